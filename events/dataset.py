"""This app's rows of the synthetic national year (``generate_dataset``): speakers, then events and participants."""

import datetime

from django.utils import timezone

from partnership.dataset_registry import Dataset, Step, register

from .enums import EventKind, EventStatus, ExpertiseTheme, ParticipantQuality, RegistrationStatus
from .models import Event, EventRegistration, Speaker, SpeakerExpertise, TimeSlot


def speakers(dataset: Dataset) -> None:
    """A few hundred speakers, their themes and regions. Provides ``speaker_ids``."""
    rng = dataset.rng
    first = Speaker.objects.count()
    created = Speaker.objects.bulk_create(
        [
            Speaker(
                first_name="Intervenant",
                last_name=f"Mesure {first + i}",
                email=f"intervenant{first + i}@bench.example",
                organisation="Jeu de mesure",
                is_active=rng.random() > 0.05,
            )
            for i in range(dataset.options["speakers"])
        ]
    )
    themes = ExpertiseTheme.values
    SpeakerExpertise.objects.bulk_create(
        [
            SpeakerExpertise(speaker=speaker, theme=theme)
            for speaker in created
            for theme in rng.sample(themes, k=rng.randint(1, 3))
        ]
    )
    regions = [delegation.region_id for delegation in dataset.delegations]
    Speaker.regions.through.objects.bulk_create(
        [
            Speaker.regions.through(speaker_id=speaker.pk, region_id=region)
            for speaker in created
            for region in rng.sample(regions, k=min(len(regions), rng.randint(1, 2)))
        ]
    )
    dataset.provide("speaker_ids", [speaker.pk for speaker in created])
    dataset.counts["intervenants"] = len(created)


def events(dataset: Dataset) -> None:
    """A few hundred events (``bulk_create``), a round table each with two speakers, and their participants."""
    rng, now = dataset.rng, dataset.now
    speaker_ids = dataset.needs("speaker_ids")
    kinds = EventKind.values
    new = []
    for i in range(dataset.options["events"]):
        delegation = dataset.pick_delegation()[0] if rng.random() < 0.8 else None
        starts = timezone.make_aware(
            datetime.datetime(dataset.options["year"], rng.randint(1, 12), rng.randint(1, 28), 9, 30)
        )
        online = rng.random() < 0.25
        venue = None if online or delegation is None else dataset.employers(delegation.pk, 1)[0]
        new.append(
            Event(
                title=f"Événement de mesure {i + 1}",
                kind=rng.choice(kinds),
                topic="Actualité des collectivités",
                theme=rng.choice(ExpertiseTheme.values),
                status=EventStatus.PUBLISHED if rng.random() < 0.9 else EventStatus.DRAFT,
                delegation=delegation,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=7),
                venue_commune_id=venue,
                online_url="https://visio.bench.example/salle" if venue is None else "",
                capacity=rng.choice([50, 100, 200]),
                registration_closes_at=starts - datetime.timedelta(days=2),
            )
        )
    created = Event.objects.bulk_create(new)
    slots, registrations = [], []
    for event in created:
        slots.append(TimeSlot(event=event, title="Table ronde", starts_at=event.starts_at, ends_at=event.ends_at))
        collectivities = dataset.employers(event.delegation_id or dataset.delegations[0].pk, event.capacity)
        for j, collectivity in enumerate(collectivities[: rng.randint(event.capacity // 2, event.capacity)]):
            confirmed = rng.random() < 0.95
            registrations.append(
                EventRegistration(
                    event=event,
                    first_name="Participant",
                    last_name=f"Mesure {j}",
                    email=f"participant{event.pk}-{j}@bench.example",
                    quality=rng.choice(ParticipantQuality.values),
                    collectivity_id=collectivity,
                    status=RegistrationStatus.CONFIRMED if confirmed else RegistrationStatus.WAITLISTED,
                    token_hash=f"bench-{event.pk}-{j}",
                    checked_in_at=now if confirmed and rng.random() < 0.8 else None,
                )
            )
    slots = TimeSlot.objects.bulk_create(slots)
    TimeSlot.speakers.through.objects.bulk_create(
        [
            TimeSlot.speakers.through(timeslot_id=slot.pk, speaker_id=speaker)
            for slot in slots
            for speaker in rng.sample(speaker_ids, k=min(2, len(speaker_ids)))
        ]
    )
    EventRegistration.objects.bulk_create(registrations, batch_size=5000)
    dataset.counts["événements"] = len(created)
    dataset.counts["participants"] = len(registrations)


# Speakers before the training year (30), whose sessions they train; events after it, as they always were
# drawn (one random generator: the order of the draws is the dataset).
register(Step("speakers", 20, speakers))
register(Step("events", 40, events))
