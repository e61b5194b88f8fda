"""Demonstration data of events and speakers (called by ``partnership.demo.seed``).

Idempotent: every row is looked up by a natural key before being created.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from partnership.demo import Seeder, register
from partnership.models import Collectivity, MayorsAssociation, Region, User
from partnership.tokens import token_hash

from .enums import EventKind, EventStatus, ExpertiseTheme, ParticipantQuality, RegistrationStatus
from .models import SPEAKER_CONSENT_VERSION, Event, EventRegistration, Speaker, SpeakerExpertise, TimeSlot


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _speaker(*, email, first_name, last_name, organisation, themes, region_codes, user=None, bio="") -> Speaker:
    speaker, created = Speaker.objects.get_or_create(
        email=email,
        defaults={
            "user": user,
            "first_name": first_name,
            "last_name": last_name,
            "organisation": organisation,
            "bio": bio,
            "availability": "Deux jours par mois, en semaine.",
            "consent_given_at": timezone.now(),
            "consent_text_version": SPEAKER_CONSENT_VERSION,
        },
    )
    if created:
        speaker.regions.set(Region.objects.filter(code__in=region_codes))
        SpeakerExpertise.objects.bulk_create([SpeakerExpertise(speaker=speaker, theme=theme) for theme in themes])
    return speaker


def seed_speakers(accounts: dict[str, User]) -> list[Speaker]:
    speaker_user = accounts["speaker"]
    return [
        _speaker(
            email=speaker_user.email,
            user=speaker_user,
            first_name=speaker_user.first_name,
            last_name=speaker_user.last_name,
            organisation="Cabinet Prévention & Territoires",
            themes=[ExpertiseTheme.OCCUPATIONAL_HEALTH],
            region_codes=["84", "93"],
            bio="Consultant en santé au travail, ancien conseiller de prévention en collectivité.",
        ),
        _speaker(
            email="h.nguyen@demo.example.fr",
            first_name="Hélène",
            last_name="Nguyen",
            organisation="Centre de gestion de la Loire",
            themes=[ExpertiseTheme.TRAINING_PLAN, ExpertiseTheme.SMALL_COLLECTIVITIES],
            region_codes=["84"],
        ),
        _speaker(
            email="k.traore@demo.example.fr",
            first_name="Karim",
            last_name="Traoré",
            organisation="Association Égalité Territoires",
            themes=[ExpertiseTheme.EQUAL_OPPORTUNITY, ExpertiseTheme.DISABILITY],
            region_codes=["11", "53"],
        ),
    ]


def seed_events(accounts: dict[str, User], speakers: list[Speaker]) -> None:
    delegation = accounts["delegation"].delegation
    venue = Collectivity.objects.filter(kind="commune", code="42218").first()
    amf = MayorsAssociation.objects.filter(department__isnull=True).first()
    loire = MayorsAssociation.objects.filter(department__code="42").first()
    seminar, created = Event.objects.get_or_create(
        title="Prévenir les risques psychosociaux dans les petites communes",
        defaults={
            "kind": EventKind.SEMINAR,
            "topic": "Santé au travail des agents communaux",
            "theme": ExpertiseTheme.OCCUPATIONAL_HEALTH,
            "description": "Une journée d'échanges entre élus, secrétaires de mairie et préventeurs.",
            "status": EventStatus.PUBLISHED,
            "delegation": delegation,
            "starts_at": _at(30, 9),
            "ends_at": _at(30, 17),
            "venue_commune": venue,
            "venue_address": "Centre de congrès, 23 rue Ponchardier",
            "online_url": "" if venue else "https://visio.example.fr/rps",
            "capacity": 3,
            "registration_closes_at": _at(27, 18),
            "created_by": accounts["delegation"],
        },
    )
    if created:
        seminar.mayors_associations.set([a for a in (amf, loire) if a])
        opening = TimeSlot.objects.create(
            event=seminar, title="Ouverture et état des lieux", starts_at=_at(30, 9), ends_at=_at(30, 10, 30)
        )
        opening.speakers.set(speakers[:2])
        workshop = TimeSlot.objects.create(
            event=seminar, title="Atelier : le document unique", starts_at=_at(30, 14), ends_at=_at(30, 16)
        )
        workshop.speakers.set(speakers[:1])
        signatory_commune = accounts["signatory"].collectivity
        for index, (first_name, last_name, quality, status) in enumerate(
            [
                ("Lucie", "Bernard", ParticipantQuality.AGENT, RegistrationStatus.CONFIRMED),
                ("Paul", "Mercier", ParticipantQuality.ELECTED, RegistrationStatus.CONFIRMED),
                ("Sarah", "Lopez", ParticipantQuality.AGENT, RegistrationStatus.CONFIRMED),
                ("Hugo", "Fabre", ParticipantQuality.AGENT, RegistrationStatus.WAITLISTED),
            ]
        ):
            EventRegistration.objects.create(
                event=seminar,
                first_name=first_name,
                last_name=last_name,
                email=f"{first_name.lower()}.{last_name.lower()}@demo.example.fr",
                quality=quality,
                collectivity=signatory_commune,
                job_title="Secrétaire de mairie" if quality == ParticipantQuality.AGENT else "Adjoint(e) au maire",
                status=status,
                # Demo rows have no personal link: a hash no token can match.
                token_hash=token_hash(f"demo-{seminar.pk}-{index}"),
            )
    webinar, created = Event.objects.get_or_create(
        title="Webinaire : élaborer le plan de formation de sa collectivité",
        defaults={
            "kind": EventKind.WEBINAR,
            "topic": "Le plan de formation, obligation et outil de gestion",
            "theme": ExpertiseTheme.TRAINING_PLAN,
            "status": EventStatus.PUBLISHED,
            "delegation": None,
            "starts_at": _at(45, 10),
            "ends_at": _at(45, 12),
            "online_url": "https://visio.example.fr/plan-de-formation",
            "capacity": 200,
            "registration_closes_at": _at(44, 12),
            "created_by": accounts["national"],
        },
    )
    if created:
        if amf:
            webinar.mayors_associations.set([amf])
        TimeSlot.objects.create(
            event=webinar, title="Méthode et calendrier", starts_at=_at(45, 10), ends_at=_at(45, 11)
        ).speakers.set(speakers[1:2])
        TimeSlot.objects.create(
            event=webinar, title="Questions-réponses", starts_at=_at(45, 11), ends_at=_at(45, 12)
        ).speakers.set(speakers[1:3])
    soon, created = Event.objects.get_or_create(
        title="Réunion d'information : le compte personnel de formation",
        defaults={
            "kind": EventKind.INFO_MEETING,
            "topic": "Le CPF des agents territoriaux",
            "theme": ExpertiseTheme.TRAINING_PLAN,
            "status": EventStatus.PUBLISHED,
            "delegation": delegation,
            "starts_at": _at(5, 14),
            "ends_at": _at(5, 16),
            "online_url": "https://visio.example.fr/cpf",
            "capacity": 50,
            "registration_closes_at": _at(4, 12),
            "created_by": accounts["delegation"],
        },
    )
    if created:  # in 5 days: its registrants' « une semaine avant » reminder is due
        for index, (first_name, last_name) in enumerate([("Anne", "Roche"), ("Marc", "Giraud")]):
            EventRegistration.objects.create(
                event=soon,
                first_name=first_name,
                last_name=last_name,
                email=f"{first_name.lower()}.{last_name.lower()}@demo.example.fr",
                quality=ParticipantQuality.AGENT,
                collectivity=accounts["signatory"].collectivity,
                status=RegistrationStatus.CONFIRMED,
                token_hash=token_hash(f"demo-{soon.pk}-{index}"),
            )
    Event.objects.get_or_create(
        title="Colloque égalité des chances (brouillon)",
        defaults={
            "kind": EventKind.CONFERENCE,
            "topic": "Lutter contre les discriminations dans le recrutement",
            "theme": ExpertiseTheme.EQUAL_OPPORTUNITY,
            "status": EventStatus.DRAFT,
            "delegation": delegation,
            "starts_at": _at(90, 9),
            "ends_at": _at(90, 17),
            "online_url": "https://visio.example.fr/egalite",
            "capacity": 120,
            "registration_closes_at": _at(85, 18),
            "created_by": accounts["delegation"],
        },
    )


def seed(accounts: dict[str, User]) -> None:
    speakers = seed_speakers(accounts)
    seed_events(accounts, speakers)


# Before trainings (40): the demo sessions' trainers are this app's speakers.
register(Seeder("events", 20, seed))
