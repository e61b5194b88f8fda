"""Lists run a constant number of SQL queries, whatever the number of rows (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.events.factories import (
    EventFactory,
    EventRegistrationFactory,
    SpeakerExpertiseFactory,
    SpeakerFactory,
    TimeSlotFactory,
)
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


def _count(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def _grow(n, make):
    for _ in range(n):
        make()


def test_event_list_query_count_constant(client, delegation, commune):
    EventFactory(delegation=delegation, venue_commune=commune)
    one = _count(client, "/evenements/")
    _grow(29, lambda: EventFactory(delegation=delegation))
    assert _count(client, "/evenements/") == one


def test_event_page_query_count_constant(client, event):
    TimeSlotFactory(event=event).speakers.add(SpeakerFactory())
    one = _count(client, f"/evenements/{event.pk}/")
    _grow(29, lambda: TimeSlotFactory(event=event).speakers.add(SpeakerFactory(), SpeakerFactory()))
    assert _count(client, f"/evenements/{event.pk}/") == one


def test_registration_list_query_count_constant(client, delegation_staff, event, commune):
    client.force_login(delegation_staff)
    EventRegistrationFactory(event=event, collectivity=commune)
    url = f"/evenements/gestion/{event.pk}/inscriptions/"
    one = _count(client, url)
    _grow(29, lambda: EventRegistrationFactory(event=event))
    assert _count(client, url) == one


def test_check_in_query_count_constant(client, delegation_staff, event, commune):
    client.force_login(delegation_staff)
    EventRegistrationFactory(event=event, collectivity=commune)
    url = f"/evenements/gestion/{event.pk}/pointage/"
    one = _count(client, url)
    _grow(29, lambda: EventRegistrationFactory(event=event))
    assert _count(client, url) == one


def test_speaker_directory_query_count_constant(client, amf_staff, event):
    client.force_login(amf_staff)

    regions = [RegionFactory(), RegionFactory()]

    def make():
        speaker = SpeakerFactory()
        speaker.regions.add(*regions)
        SpeakerExpertiseFactory(speaker=speaker)
        TimeSlotFactory(event=event).speakers.add(speaker)

    make()
    one = _count(client, "/evenements/intervenants/")
    _grow(29, make)
    assert _count(client, "/evenements/intervenants/") == one


def test_speaker_profile_query_count_constant(client, amf_staff, event):
    client.force_login(amf_staff)
    speaker = SpeakerFactory()
    TimeSlotFactory(event=event).speakers.add(speaker)
    url = f"/evenements/intervenants/{speaker.pk}/"
    one = _count(client, url)
    _grow(29, lambda: TimeSlotFactory(event=EventFactory()).speakers.add(speaker))
    assert _count(client, url) == one
