"""Lists run a constant number of SQL queries, whatever the number of rows (no N+1)."""

import pytest
from django.urls import reverse

from events.enums import RegistrationStatus
from tests.events.factories import (
    EventFactory,
    EventRegistrationFactory,
    SpeakerExpertiseFactory,
    SpeakerFactory,
    TimeSlotFactory,
)
from tests.factories import RegionFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def _grow(n, make):
    def grow():
        for _ in range(n):
            make()

    return grow


def test_event_list_query_count_constant(client, delegation, commune):
    EventFactory(delegation=delegation, venue_commune=commune)
    assert_constant_queries(
        client,
        reverse("events:event_list"),
        _grow(29, lambda: EventFactory(delegation=delegation)),
        rows="ul.event-list > li",
    )


def test_event_management_list_query_count_constant(client, delegation_staff, delegation, commune):
    client.force_login(delegation_staff)
    EventRegistrationFactory(event=EventFactory(delegation=delegation, venue_commune=commune), collectivity=commune)

    def make():
        event = EventFactory(delegation=delegation)
        EventRegistrationFactory(event=event, collectivity=commune)

    assert_constant_queries(client, reverse("events:event_manage_list"), _grow(29, make), rows="tbody tr")


def test_event_page_query_count_constant(client, event):
    TimeSlotFactory(event=event).speakers.add(SpeakerFactory())
    assert_constant_queries(
        client,
        reverse("events:event_detail", args=[event.pk]),
        _grow(29, lambda: TimeSlotFactory(event=event).speakers.add(SpeakerFactory(), SpeakerFactory())),
        rows="ol.timeline > li",
    )


def test_registration_list_query_count_constant(client, delegation_staff, event, commune):
    client.force_login(delegation_staff)
    EventRegistrationFactory(event=event, collectivity=commune)
    assert_constant_queries(
        client,
        reverse("events:registration_list", args=[event.pk]),
        # Waiting registrations: each shows its place in the queue, still in one query.
        _grow(29, lambda: EventRegistrationFactory(event=event, status=RegistrationStatus.WAITLISTED)),
        rows="tbody tr",
    )


def test_check_in_query_count_constant(client, delegation_staff, event, commune):
    client.force_login(delegation_staff)
    EventRegistrationFactory(event=event, collectivity=commune)
    assert_constant_queries(
        client,
        reverse("events:check_in", args=[event.pk]),
        _grow(29, lambda: EventRegistrationFactory(event=event)),
        rows="#check-in-form .form-check",
    )


def test_speaker_directory_query_count_constant(client, amf_staff, event):
    client.force_login(amf_staff)

    regions = [RegionFactory(), RegionFactory()]

    def make():
        speaker = SpeakerFactory()
        speaker.regions.add(*regions)
        SpeakerExpertiseFactory(speaker=speaker)
        TimeSlotFactory(event=event).speakers.add(speaker)

    make()
    assert_constant_queries(client, reverse("events:speaker_list"), _grow(29, make), rows="tbody tr")


def test_speaker_profile_query_count_constant(client, amf_staff, event):
    client.force_login(amf_staff)
    speaker = SpeakerFactory()
    TimeSlotFactory(event=event).speakers.add(speaker)
    assert_constant_queries(
        client,
        reverse("events:speaker_detail", args=[speaker.pk]),
        _grow(29, lambda: TimeSlotFactory(event=EventFactory()).speakers.add(speaker)),
        rows="main ul > li",
    )
