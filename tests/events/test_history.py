"""The action log of events and speakers: each write through a page leaves one entry, shown to staff."""

import pytest

from events import registrations as event_registrations
from events import services
from events.enums import RegistrationStatus
from events.models import ANONYMISED_SPEAKER_NAME, Event
from partnership.enums import HistoryAction
from partnership.history import ERASED_VALUE
from partnership.models import ActionLogEntry
from partnership.text import of_person
from tests.events.factories import EventRegistrationFactory, SpeakerFactory
from tests.forms.browser import browser_form
from tests.forms.edit_forms import managed_event, speaker_profile
from tests.helpers import form_to, history_rows, text

pytestmark = pytest.mark.django_db


def _entries(obj) -> list[ActionLogEntry]:
    return list(ActionLogEntry.objects.filter(object_id=obj.pk, content_type__model=obj._meta.model_name))


def test_editing_an_event_records_who_changed_what_and_the_event_page_shows_it(django_app, persona):
    target = managed_event(persona)
    event = target.rows["event"]
    staff = target.user
    form = browser_form(django_app.get(target.url, user=staff), "event-form")
    form["title"] = "Colloque sur la santé au travail, 2e édition"
    form["capacity"] = "90"

    form.submit().follow()

    [entry] = _entries(event)
    assert (entry.actor, entry.actor_label, entry.action) == (
        staff,
        f"{staff.get_full_name()} (Agent de délégation régionale CNFPT)",
        HistoryAction.UPDATED,
    )
    assert entry.changes == [
        ["Intitulé", "Colloque sur la santé au travail", "Colloque sur la santé au travail, 2e édition"],
        ["Nombre de places", "80", "90"],
    ]
    page = django_app.get(f"/evenements/gestion/{event.pk}/", user=staff)
    assert history_rows(page) == [
        (
            f"{staff.get_full_name()} (Agent de délégation régionale CNFPT)",
            "Modification",
            "Intitulé : Colloque sur la santé au travail → devient Colloque sur la santé au travail, 2e édition "
            "Nombre de places : 80 → devient 90",
        )
    ]


def test_a_refused_event_change_records_nothing(django_app, persona):
    target = managed_event(persona)
    form = browser_form(django_app.get(target.url, user=target.user), "event-form")
    form["title"] = "Un autre titre"
    form["capacity"] = "1"  # two participants are confirmed

    page = form.submit(status=400)

    assert "La capacité ne peut pas être inférieure au nombre d'inscrits confirmés (2)." in text(page)
    assert _entries(target.rows["event"]) == []
    assert Event.objects.get(pk=target.rows["event"].pk).title == "Colloque sur la santé au travail"


def test_adding_a_slot_and_cancelling_a_registration_are_in_the_event_history(
    django_app, persona, django_capture_on_commit_callbacks
):
    target = managed_event(persona)
    event, staff = target.rows["event"], target.user
    event.capacity = 2
    event.save(update_fields=["capacity"])
    waiting = EventRegistrationFactory(
        event=event, first_name="Zoé", last_name="Attente", status=RegistrationStatus.WAITLISTED
    )
    leaving = event.registrations.get(last_name="Participante0")
    page = django_app.get(f"/evenements/gestion/{event.pk}/", user=staff)
    slot_form = next(form for form in page.forms.values() if "starts_at" in form.fields)
    slot_form["title"] = "Table ronde des élus"
    slot_form["starts_at"] = event.starts_at.astimezone().strftime("%Y-%m-%dT%H:%M")
    slot_form["ends_at"] = event.ends_at.astimezone().strftime("%Y-%m-%dT%H:%M")
    slot_form.submit().follow()
    registrations = django_app.get(f"/evenements/gestion/{event.pk}/inscriptions/", user=staff)
    confirmation = form_to(registrations, f"/evenements/gestion/{event.pk}/inscriptions/{leaving.pk}/annuler/").submit()
    with django_capture_on_commit_callbacks(execute=True):
        confirmation.forms["confirmation-form"].submit().follow()

    rows = history_rows(django_app.get(f"/evenements/gestion/{event.pk}/", user=staff))

    author = f"{staff.get_full_name()} (Agent de délégation régionale CNFPT)"
    assert [row[:2] for row in rows] == [
        (author, f"Sortie de la liste d'attente Inscription {of_person(waiting.full_name)}"),
        (author, f"Annulation d'inscription Inscription {of_person(leaving.full_name)}"),
        (author, "Ajout Créneau « Table ronde des élus »"),
    ]
    assert rows[0][2] == "Statut : En liste d'attente → devient Confirmée"
    assert rows[1][2] == "Statut : Confirmée → devient Annulée"
    assert rows[2][2].startswith("Intitulé : — → devient Table ronde des élus Début : — → devient ")


def test_a_participant_cancelling_through_their_link_leaves_no_entry(event, register, commune):
    registration, _token = register(event, "alice@example.fr", commune)

    event_registrations.registration_cancel(registration=registration)

    assert _entries(event) == []


def test_a_speaker_profile_change_is_shown_to_staff_and_erased_with_the_speaker(
    django_app, persona, amf_staff, delegation_staff
):
    target = speaker_profile(persona)
    speaker, speaker_user = target.rows["speaker"], target.user
    form = browser_form(django_app.get(target.url, user=speaker_user), "speaker-profile-form")
    form["phone"] = "04 77 11 11 11"
    form.submit().follow()
    event = managed_event(persona).rows["event"]
    services.timeslot_create(
        event=event,
        actor=delegation_staff,
        title="Atelier prévention",
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        speakers=[speaker],
    )
    own_page = django_app.get("/evenements/mon-profil/", user=speaker_user)
    staff_page = django_app.get(f"/evenements/intervenants/{speaker.pk}/", user=amf_staff)

    account_name = speaker_user.get_full_name()
    assert history_rows(own_page) == []
    assert history_rows(staff_page) == [
        (f"{account_name} (Intervenant)", "Modification", "Téléphone : 04 77 00 00 00 → devient 04 77 11 11 11")
    ]

    form_to(staff_page, f"/evenements/intervenants/{speaker.pk}/effacer/").submit().follow()

    erased_page = django_app.get(f"/evenements/intervenants/{speaker.pk}/", user=amf_staff)
    assert history_rows(erased_page) == [
        (f"{amf_staff.get_full_name()} (Agent AMF)", "Effacement des données personnelles", "—"),
        (ANONYMISED_SPEAKER_NAME, "Modification", f"Téléphone : {ERASED_VALUE} → devient {ERASED_VALUE}"),
    ]
    [slot_entry] = _entries(event)
    assert ["Intervenants", None, [ANONYMISED_SPEAKER_NAME]] in slot_entry.changes
    everything = str(list(ActionLogEntry.objects.values_list("actor_label", "subject", "changes")))
    assert "Orateur" not in everything
    assert account_name not in everything


def test_an_event_changed_in_the_admin_shows_its_history_beneath_the_form(django_app, persona, amf_staff):
    event = managed_event(persona).rows["event"]
    form = django_app.get(f"/admin/events/event/{event.pk}/change/", user=amf_staff).forms["event_form"]
    form["venue_address"] = "Mairie, salle du conseil"
    form.submit("_save").follow()

    page = django_app.get(f"/admin/events/event/{event.pk}/change/", user=amf_staff)

    assert history_rows(page) == [
        (
            f"{amf_staff.get_full_name()} (Agent AMF)",
            "Modification",
            "Adresse : Salle des fêtes, place de la République → devient Mairie, salle du conseil",
        )
    ]


def test_a_speaker_changed_in_the_admin_goes_through_the_service_and_its_history(django_app, amf_staff):
    speaker = SpeakerFactory(first_name="Paul", last_name="Orateur", organisation="Cabinet Conseil")
    form = django_app.get(f"/admin/events/speaker/{speaker.pk}/change/", user=amf_staff).forms["speaker_form"]
    form["organisation"] = "Centre de gestion"
    form["is_active"] = False
    form.submit("_save").follow()

    page = django_app.get(f"/admin/events/speaker/{speaker.pk}/change/", user=amf_staff)

    assert history_rows(page) == [
        (
            f"{amf_staff.get_full_name()} (Agent AMF)",
            "Modification",
            "Organisme : Cabinet Conseil → devient Centre de gestion Actif : oui → devient non",
        )
    ]
