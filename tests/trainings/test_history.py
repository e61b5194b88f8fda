"""The action log of trainings: actions, sessions, registrations and attendance, shown to staff only."""

import pytest

from partnership.enums import HistoryAction
from partnership.models import ActionLogEntry
from partnership.text import of_person
from tests.forms.browser import browser_form
from tests.forms.edit_forms import attendance_sheet, training_session
from tests.helpers import history_rows, text
from tests.trainings.factories import RegistrationFactory, ThemeFactory, TrainingSchemeFactory
from trainings.enums import RegistrationStatus
from trainings.models import TrainingAction

pytestmark = pytest.mark.django_db


def _entries(obj) -> list[ActionLogEntry]:
    return list(ActionLogEntry.objects.filter(object_id=obj.pk, content_type__model=obj._meta.model_name))


def _author(user) -> str:
    return f"{user.get_full_name()} ({user.get_role_display()})"


def test_creating_an_action_records_its_values_on_the_action_page(django_app, delegation_staff):
    scheme, theme = TrainingSchemeFactory(), ThemeFactory()
    form = django_app.get("/formations/actions/nouvelle/", user=delegation_staff).forms[1]
    form["title"] = "Accueil du public en mairie"
    form["scheme"] = str(scheme.pk)
    form["theme"] = str(theme.pk)
    form["mode"] = "inter"
    form.get("audience", index=2).checked = True
    form["duration_days"] = "1.5"

    form.submit().follow()

    action = TrainingAction.objects.get()
    [entry] = _entries(action)
    assert (entry.actor, entry.action) == (delegation_staff, HistoryAction.CREATED)
    assert entry.changes == [
        ["Délégation", None, str(delegation_staff.delegation)],
        ["Intitulé", None, "Accueil du public en mairie"],
        ["Dispositif", None, str(scheme)],
        ["Thème", None, str(theme)],
        ["Modalité", None, "Inter (catalogue ouvert)"],
        ["Public : catégorie A", None, "non"],
        ["Public : catégorie B", None, "non"],
        ["Public : catégorie C", None, "oui"],
        ["Durée (jours)", None, "1,5"],
    ]
    page = django_app.get(f"/formations/actions/{action.pk}/", user=delegation_staff)
    assert [row[:2] for row in history_rows(page)] == [(_author(delegation_staff), "Création")]


def test_editing_a_session_records_the_change_and_a_refusal_records_nothing(django_app, persona):
    target = training_session(persona)
    session, staff = target.rows["session"], target.user
    form = browser_form(django_app.get(target.url, user=staff), "session-form")
    form["capacity"] = "2"  # three agents are confirmed

    refused = form.submit(status=400)

    assert "Impossible de réduire à 2 places" in text(refused)
    assert _entries(session) == []

    form = browser_form(django_app.get(target.url, user=staff), "session-form")
    form["capacity"] = "12"
    form["address"] = "Salle polyvalente"
    form.submit().follow()

    assert history_rows(django_app.get(f"/formations/sessions/{session.pk}/", user=staff)) == [
        (
            _author(staff),
            "Modification",
            "Adresse : Salle du conseil, 1 place de la Mairie → devient Salle polyvalente "
            "Nombre de places : 10 → devient 12",
        )
    ]


def test_a_registration_by_an_hr_contact_is_in_the_history_that_only_staff_see(
    django_app, hr_contact, delegation_staff, session, django_capture_on_commit_callbacks
):
    page = django_app.get(f"/formations/sessions/{session.pk}/", user=hr_contact)
    form = next(f for f in page.forms.values() if f.action == f"/formations/sessions/{session.pk}/inscrire/")
    form["first_name"] = "Hugo"
    form["last_name"] = "Lefèvre"
    form["email"] = "hugo.lefevre@mairie.example.fr"
    form["category"] = "C"
    with django_capture_on_commit_callbacks(execute=True):
        own_page = form.submit().follow()

    [entry] = _entries(session)
    assert (entry.actor, entry.action, entry.subject, entry.subject_is_person) == (
        hr_contact,
        HistoryAction.REGISTERED,
        "Inscription de Hugo Lefèvre",
        True,
    )
    assert entry.changes == [
        ["Statut", None, "Confirmée"],
        ["Catégorie", None, "Catégorie C"],
        ["Collectivité employeur", None, str(hr_contact.collectivity)],
    ]
    # The HR contact sees the session and their agent, not the staff's log.
    assert "Hugo" in text(own_page)
    assert history_rows(own_page) == []
    assert "Historique" not in text(own_page)
    staff_page = django_app.get(f"/formations/sessions/{session.pk}/", user=delegation_staff)
    assert history_rows(staff_page) == [
        (
            _author(hr_contact),
            "Inscription Inscription de Hugo Lefèvre",
            f"Statut : — → devient Confirmée Catégorie : — → devient Catégorie C "
            f"Collectivité employeur : — → devient {hr_contact.collectivity}",
        )
    ]


def test_cancelling_a_registration_records_it_and_the_promotion_it_causes(
    django_app, delegation_staff, session, commune, django_capture_on_commit_callbacks
):
    leaving = RegistrationFactory(session=session, employer=commune, first_name="Léo", last_name="Départ")
    RegistrationFactory(session=session, employer=commune)
    waiting = RegistrationFactory(
        session=session, employer=commune, first_name="Ana", last_name="Attente", status=RegistrationStatus.WAITLISTED
    )
    page = django_app.get(f"/formations/sessions/{session.pk}/", user=delegation_staff)
    cancel = next(f for f in page.forms.values() if f.action == f"/formations/inscriptions/{leaving.pk}/annuler/")
    confirmation = cancel.submit()
    with django_capture_on_commit_callbacks(execute=True):
        confirmation.forms["confirmation-form"].submit().follow()

    rows = history_rows(django_app.get(f"/formations/sessions/{session.pk}/", user=delegation_staff))

    assert rows == [
        (
            _author(delegation_staff),
            f"Sortie de la liste d'attente Inscription {of_person(waiting.full_name)}",
            "Statut : En liste d'attente → devient Confirmée",
        ),
        (
            _author(delegation_staff),
            "Annulation d'inscription Inscription de Léo Départ",
            "Statut : Confirmée → devient Annulée",
        ),
    ]


def test_attendance_records_the_counts_of_each_half_day(django_app, persona):
    target = attendance_sheet(persona)
    half_day, staff = target.rows["half_day"], target.user
    form = browser_form(django_app.get(target.url, user=staff), "attendance-form")
    name = next(n for n in form.fields if n and n.startswith("presence_") and form[n].value == "absent")
    form[name] = "present"

    form.submit().follow()

    [entry] = _entries(half_day.session)
    assert (entry.actor, entry.action) == (staff, HistoryAction.ATTENDANCE)
    assert entry.changes == [
        [f"Demi-journée du {half_day}", "1 présent, 1 absent, 1 excusé", "2 présents, 1 excusé"],
    ]
    assert "Arnaud" not in str(entry.changes)


def test_a_session_admin_page_shows_its_history_read_only(django_app, persona, amf_staff):
    target = training_session(persona)
    session = target.rows["session"]
    form = browser_form(django_app.get(target.url, user=target.user), "session-form")
    form["capacity"] = "11"
    form.submit().follow()

    page = django_app.get(f"/admin/trainings/session/{session.pk}/change/", user=amf_staff)

    assert history_rows(page) == [(_author(target.user), "Modification", "Nombre de places : 10 → devient 11")]
