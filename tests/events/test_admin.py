"""AMF staff manage events and speakers in the admin; registrations are cancelled through the service."""

import pytest

from events.enums import RegistrationStatus
from events.models import ANONYMISED_SPEAKER_NAME
from tests.events.factories import EventRegistrationFactory, SpeakerFactory, TimeSlotFactory

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


def test_admin_cancel_action_promotes(client, amf_staff, event, commune):
    confirmed = EventRegistrationFactory(event=event, collectivity=commune)
    EventRegistrationFactory(event=event, collectivity=commune)
    waiting = EventRegistrationFactory(event=event, collectivity=commune, status=RegistrationStatus.WAITLISTED)
    client.force_login(amf_staff)

    client.post(
        "/admin/events/eventregistration/",
        {"action": "cancel_registrations", "_selected_action": [confirmed.pk]},
    )

    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_admin_erase_action(client, amf_staff):
    speaker = SpeakerFactory()
    client.force_login(amf_staff)
    client.post("/admin/events/speaker/", {"action": "erase_speakers", "_selected_action": [speaker.pk]})
    speaker.refresh_from_db()
    assert speaker.last_name == ANONYMISED_SPEAKER_NAME


def test_staff_pages_render(client, delegation_staff, event, commune, speaker_user, amf_staff):
    EventRegistrationFactory(event=event, collectivity=commune)
    client.force_login(delegation_staff)
    for path, text in [
        (f"/evenements/gestion/{event.pk}/", "Ajouter un créneau"),
        (f"/evenements/gestion/{event.pk}/modifier/", "Modifier « "),
        ("/evenements/gestion/nouveau/", "Nouvel événement"),
        (f"/evenements/gestion/{event.pk}/pointage/", "Enregistrer les présences"),
        ("/evenements/", event.title),
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert text in response.content.decode(), path
    client.force_login(speaker_user)
    assert "Mon profil d'intervenant" in client.get("/evenements/mon-profil/").content.decode()
    client.force_login(amf_staff)
    assert "Stages INET" in client.get("/stages-etudes/stages/").content.decode()
