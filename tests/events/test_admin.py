"""AMF staff manage events and speakers in the admin; registrations are cancelled through the service."""

import pytest

from events.models import ANONYMISED_SPEAKER_NAME
from tests.events.factories import EventRegistrationFactory, SpeakerFactory, TimeSlotFactory
from tests.helpers import admin_confirmation, admin_messages, confirm_admin_action, run_admin_action

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/admin/events/event/",
        "/admin/events/event/add/",
        "/admin/events/speaker/",
        "/admin/events/eventregistration/",
        "/admin/events/timeslot/",
    ],
)
def test_admin_pages_open_for_amf_staff(client, amf_staff, event, path):
    TimeSlotFactory(event=event)
    EventRegistrationFactory(event=event)
    client.force_login(amf_staff)
    response = client.get(path)
    assert response.status_code == 200


def test_admin_event_change_page(client, amf_staff, event):
    client.force_login(amf_staff)
    response = client.get(f"/admin/events/event/{event.pk}/change/")
    assert response.status_code == 200
    assert response.context["has_change_permission"] is True


def test_admin_erase_action_asks_then_erases(django_app, amf_staff):
    speaker = SpeakerFactory()
    confirmation = run_admin_action(
        django_app, "/admin/events/speaker/", user=amf_staff, action="erase_speakers", selected=[speaker]
    )
    assert admin_confirmation(confirmation) == [
        f"{speaker} : nom, coordonnées, organisme et présentation seront effacés définitivement, et son compte "
        "utilisateur désactivé ; ses interventions restent comptées, sans son nom."
    ]
    speaker.refresh_from_db()
    assert speaker.anonymised_at is None

    page = confirm_admin_action(confirmation)

    assert admin_messages(page) == ["1 intervenant anonymisé."]
    speaker.refresh_from_db()
    assert speaker.last_name == ANONYMISED_SPEAKER_NAME


def test_staff_pages_render(client, delegation_staff, event, commune, speaker_user, amf_staff):
    EventRegistrationFactory(event=event, collectivity=commune)
    client.force_login(delegation_staff)
    for path, text in [
        (f"/evenements/gestion/{event.pk}/", "Ajouter un créneau"),
        (f"/evenements/gestion/{event.pk}/modifier/", "Modifier « "),
        ("/evenements/gestion/nouveau/", "Nouvel événement"),
        (f"/evenements/gestion/{event.pk}/pointage/", "Le pointage ouvre au début de l'événement"),
        ("/evenements/", event.title),
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert text in response.content.decode(), path
    client.force_login(speaker_user)
    assert "Mon profil d'intervenant" in client.get("/evenements/mon-profil/").content.decode()
    client.force_login(amf_staff)
    assert "Stages INET" in client.get("/stages-etudes/stages/").content.decode()
