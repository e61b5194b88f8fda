"""A page shown again after a refusal says why in its status: 400 for a field to correct, 409 when the
session left the state the page was drawn in (cancelled while the form was being filled)."""

from trainings.models import Registration
from trainings.services import session_cancel


def _registration_form(page):
    return next(form for form in page.forms.values() if "first_name" in form.fields)


def _fill(form, email):
    form["first_name"] = "Agathe"
    form["last_name"] = "Roussel"
    form["email"] = email
    form["category"] = "C"
    return form


def test_a_registration_with_a_field_to_correct_answers_400(django_app, hr_contact, session):
    page = django_app.get(f"/formations/sessions/{session.pk}/", user=hr_contact)
    response = _fill(_registration_form(page), "pas-une-adresse").submit(status=400)
    assert "Saisissez une adresse e-mail valide." in response.text
    assert Registration.objects.filter(session=session).count() == 0


def test_a_registration_to_a_session_cancelled_meanwhile_answers_409(django_app, hr_contact, delegation_staff, session):
    page = django_app.get(f"/formations/sessions/{session.pk}/", user=hr_contact)
    form = _fill(_registration_form(page), "agathe.roussel@ville.example.fr")
    session_cancel(actor=delegation_staff, session=session)
    response = form.submit(status=409)
    assert "Cette session est annulée : les inscriptions sont fermées." in response.text
    assert Registration.objects.filter(session=session).count() == 0


def test_a_session_form_with_a_field_to_correct_answers_400(django_app, delegation_staff, session):
    page = django_app.get(f"/formations/sessions/{session.pk}/modifier/", user=delegation_staff)
    form = page.forms["session-form"]
    form["capacity"] = "0"
    response = form.submit(status=400)
    assert "Assurez-vous que cette valeur est supérieure ou égale à 1." in response.text
    session.refresh_from_db()
    assert session.capacity == 2
