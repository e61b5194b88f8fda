"""A page shown again after a refusal says why in its status: 400 for a field to correct, 409 when the
event left the state the page was drawn in (cancelled, or its registrations closed, meanwhile)."""

from datetime import timedelta

from django.utils import timezone

from events.enums import EventStatus
from events.models import Event, EventRegistration
from events.services import event_cancel


def test_an_event_form_with_a_field_to_correct_answers_400(django_app, delegation_staff, event):
    form = django_app.get(f"/evenements/gestion/{event.pk}/modifier/", user=delegation_staff).forms["event-form"]
    form["capacity"] = "0"
    response = form.submit(status=400)
    assert "Il faut au moins une place." in response.text
    event.refresh_from_db()
    assert event.capacity == 2


def test_editing_an_event_cancelled_meanwhile_answers_409(django_app, delegation_staff, event):
    form = django_app.get(f"/evenements/gestion/{event.pk}/modifier/", user=delegation_staff).forms["event-form"]
    form["title"] = "Un autre titre"
    event_cancel(event=event, actor=delegation_staff)
    response = form.submit(status=409)
    assert "Un événement annulé ne peut plus être modifié." in response.text
    assert Event.objects.get(pk=event.pk).status == EventStatus.CANCELLED
    assert Event.objects.get(pk=event.pk).title == event.title


def test_registering_to_an_event_whose_registrations_closed_meanwhile_answers_409(django_app, event, commune):
    page = django_app.get(f"/evenements/{event.pk}/")
    form = next(form for form in page.forms.values() if "first_name" in form.fields)
    form["first_name"] = "Agathe"
    form["last_name"] = "Roussel"
    form["email"] = "agathe.roussel@ville.example.fr"
    form["quality"] = "elected"
    form["collectivity"] = commune.code
    closed = timezone.now() - timedelta(minutes=1)
    Event.objects.filter(pk=event.pk).update(registration_closes_at=closed)
    response = form.submit(status=409)
    assert "Les inscriptions sont closes." in response.text
    assert EventRegistration.objects.filter(event=event).count() == 0
