"""Factories of events and speakers; no side effects beyond the rows they create."""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from events.enums import EventKind, EventStatus, ParticipantQuality, RegistrationStatus
from events.models import Event, EventRegistration, Speaker, SpeakerExpertise, TimeSlot
from partnership.models import Collectivity
from partnership.tokens import token_hash
from tests.factories import CommuneFactory, numbered


def _any_commune():
    """An existing collectivité if there is one (few regions, see ``EventFactory``), else a new commune."""
    return Collectivity.objects.order_by("pk").first() or CommuneFactory()


class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event

    title = numbered("Séminaire n° ")
    kind = EventKind.SEMINAR
    topic = "La prévention des risques psychosociaux"
    status = EventStatus.PUBLISHED
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=6))
    registration_closes_at = factory.LazyAttribute(lambda o: o.starts_at - timedelta(days=2))
    # Online by default: a venue commune would create a region per event, and the shared
    # RegionFactory's 3-character codes run out on PostgreSQL after 99 regions.
    venue_commune = None
    online_url = "https://visio.example.fr/salle"
    venue_address = ""
    capacity = 50


class SpeakerFactory(DjangoModelFactory):
    class Meta:
        model = Speaker

    first_name = numbered("Prénom")
    last_name = numbered("Intervenant")
    email = factory.Sequence(lambda n: f"intervenant{n}@example.fr")
    organisation = "Cabinet Conseil"
    consent_given_at = factory.LazyFunction(timezone.now)
    consent_text_version = "2026-01"


class SpeakerExpertiseFactory(DjangoModelFactory):
    class Meta:
        model = SpeakerExpertise

    speaker = factory.SubFactory(SpeakerFactory)
    theme = "occupational_health"


class TimeSlotFactory(DjangoModelFactory):
    class Meta:
        model = TimeSlot

    event = factory.SubFactory(EventFactory)
    title = numbered("Table ronde ")
    starts_at = factory.LazyAttribute(lambda o: o.event.starts_at)
    ends_at = factory.LazyAttribute(lambda o: o.event.starts_at + timedelta(hours=1))


class EventRegistrationFactory(DjangoModelFactory):
    class Meta:
        model = EventRegistration

    event = factory.SubFactory(EventFactory)
    first_name = numbered("Prénom")
    last_name = numbered("Participant")
    email = factory.Sequence(lambda n: f"participant{n}@example.fr")
    quality = ParticipantQuality.AGENT
    collectivity = factory.LazyFunction(_any_commune)
    job_title = "Secrétaire de mairie"
    status = RegistrationStatus.CONFIRMED
    token_hash = factory.Sequence(lambda n: token_hash(f"jeton-{n}"))
