"""A small, fully known dataset for the statistics: every figure of the tests is computed by hand from it.

Every kind of row the indicators read: contracts in several states, communes and an EPCI, training
sessions with registrations and attendance, speakers, events with registrations and feedback, axis 5.
``tests/stats/conftest.py`` (the statistics' tests) and ``tests/api/conftest.py`` (the API fuzzing) build it.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from agreements.enums import ContractStatus, InternshipStatus, StudyStatus
from agreements.models import Internship, Study
from events.enums import EventKind, EventStatus
from events.enums import RegistrationStatus as EventRegistrationStatus
from events.models import EventFeedback
from tests.agreements.factories import make_contract
from tests.events.factories import (
    EventFactory,
    EventRegistrationFactory,
    SpeakerExpertiseFactory,
    SpeakerFactory,
    TimeSlotFactory,
)
from tests.factories import CommuneFactory, EpciFactory
from tests.trainings.factories import RegistrationFactory, SessionFactory, TrainingActionFactory
from trainings.enums import ActionMode, AgentCategory, AttendanceStatus, RegistrationStatus
from trainings.models import Attendance


@dataclass
class World:
    delegation: object
    other_delegation: object
    communes: dict
    epci: object
    contracts: dict


def _attend(registration, statuses):
    half_days = list(registration.session.half_days.order_by("date", "period"))
    for half_day, status in zip(half_days, statuses, strict=False):
        Attendance.objects.create(registration=registration, half_day=half_day, status=status)


def build_world(delegation, other_delegation, delegation_staff, other_delegation_staff) -> World:
    """Two delegations, six communes and an EPCI, five contracts, trainings, events, speakers, axis 5.

    Département of ``delegation``: c1 (1 000 inh.), c2 (2 000), c3 (3 000), c5 (5 000); EPCI e1 = {c2, c3}.
    Département of ``other_delegation``: c4 (4 000), c6 (600).
    Contracts (each with one programme line of 3 days × 10 trainees = 30 trainee-days, in 2027):
    A active [c1], B active [e1], E ready for signature [c5] (delegation); D active [c6], C draft [c4] (other).
    """
    d1 = delegation.departments.first()
    d2 = other_delegation.departments.first()
    c = {
        "c1": CommuneFactory(department=d1, population=1000),
        "c2": CommuneFactory(department=d1, population=2000),
        "c3": CommuneFactory(department=d1, population=3000),
        "c5": CommuneFactory(department=d1, population=5000),
        "c4": CommuneFactory(department=d2, population=4000),
        "c6": CommuneFactory(department=d2, population=600),
    }
    epci = EpciFactory(department=d1, population=5000)
    epci.members.set([c["c2"], c["c3"]])
    contracts = {
        "A": make_contract(actor=delegation_staff, collectivities=[c["c1"]], status=ContractStatus.ACTIVE),
        "B": make_contract(actor=delegation_staff, collectivities=[epci], status=ContractStatus.ACTIVE),
        "E": make_contract(actor=delegation_staff, collectivities=[c["c5"]], status=ContractStatus.READY_FOR_SIGNATURE),
        "D": make_contract(actor=other_delegation_staff, collectivities=[c["c6"]], status=ContractStatus.ACTIVE),
        "C": make_contract(actor=other_delegation_staff, collectivities=[c["c4"]], status=ContractStatus.DRAFT),
    }

    # Trainings. Session 1: intra action under contract A's line; r1 (C) present twice, r2 (A) once,
    # r3 (B) waitlisted. Session 2: catalogue action of the delegation; r4 (C) present twice.
    # Session 3: catalogue action of the other delegation; r5 (A) present once.
    line = contracts["A"].programme_lines.get()
    action1 = TrainingActionFactory(delegation=delegation, programme_line=line, mode=ActionMode.INTRA)
    session1 = SessionFactory(action=action1, venue=c["c1"])
    r1 = RegistrationFactory(session=session1, employer=c["c1"], category=AgentCategory.C)
    r2 = RegistrationFactory(session=session1, employer=c["c1"], category=AgentCategory.A)
    RegistrationFactory(
        session=session1, employer=c["c1"], category=AgentCategory.B, status=RegistrationStatus.WAITLISTED
    )
    _attend(r1, [AttendanceStatus.PRESENT, AttendanceStatus.PRESENT])
    _attend(r2, [AttendanceStatus.PRESENT, AttendanceStatus.ABSENT])
    session2 = SessionFactory(action=TrainingActionFactory(delegation=delegation), venue=c["c2"])
    r4 = RegistrationFactory(session=session2, employer=c["c2"], category=AgentCategory.C)
    _attend(r4, [AttendanceStatus.PRESENT, AttendanceStatus.PRESENT])
    session3 = SessionFactory(action=TrainingActionFactory(delegation=other_delegation), venue=c["c4"])
    r5 = RegistrationFactory(session=session3, employer=c["c4"], category=AgentCategory.A)
    _attend(r5, [AttendanceStatus.PRESENT])

    # Speakers: sp1 and sp2 active, sp3 inactive.
    sp1 = SpeakerExpertiseFactory(theme="occupational_health").speaker
    sp1.regions.set([delegation.region])
    sp2 = SpeakerExpertiseFactory(theme="occupational_health").speaker
    SpeakerExpertiseFactory(speaker=sp2, theme="illiteracy")
    sp3 = SpeakerFactory(is_active=False)
    SpeakerExpertiseFactory(speaker=sp3, theme="illiteracy")
    session1.trainers.set([sp1])

    # Events: a seminar of the delegation in c1 (2 confirmed, one checked in and rating 4; 1 waitlisted),
    # an online webinar of the other delegation (1 confirmed), a draft event (not counted).
    e1 = EventFactory(delegation=delegation, kind=EventKind.SEMINAR, theme="occupational_health", venue_commune=c["c1"])
    attended = EventRegistrationFactory(event=e1, collectivity=c["c1"], checked_in_at=timezone.now())
    EventFeedback.objects.create(registration=attended, rating=4)
    EventRegistrationFactory(event=e1, collectivity=c["c1"])
    EventRegistrationFactory(event=e1, collectivity=c["c1"], status=EventRegistrationStatus.WAITLISTED)
    TimeSlotFactory(event=e1).speakers.set([sp1, sp2])
    e2 = EventFactory(delegation=other_delegation, kind=EventKind.WEBINAR)
    EventRegistrationFactory(event=e2, collectivity=c["c4"])
    TimeSlotFactory(event=e2).speakers.set([sp1])
    draft = EventFactory(delegation=delegation, status=EventStatus.DRAFT)
    EventRegistrationFactory(event=draft, collectivity=c["c1"])

    # Axis 5.
    day = datetime.date(2026, 3, 1)
    for status in (InternshipStatus.PLANNED, InternshipStatus.PLANNED, InternshipStatus.COMPLETED):
        Internship.objects.create(
            student_name="Élève", promotion="2026", start_date=day, end_date=day, tutor="T", subject="S", status=status
        )
    Study.objects.create(subject="Étude 1", requester="AMF", requested_on=day)
    Study.objects.create(
        subject="Étude 2", requester="AMF", requested_on=day, status=StudyStatus.DELIVERED, delivered_on=day
    )
    return World(delegation, other_delegation, c, epci, contracts)


def grow_world(world: World, delegation_staff, n=3) -> None:
    """Add ``n`` more of everything to ``world``: the query counts must not change."""
    department = world.delegation.departments.first()
    for i in range(n):
        commune = CommuneFactory(department=department, population=100 + i)
        contract = make_contract(
            actor=delegation_staff,
            collectivities=[commune],
            status=ContractStatus.ACTIVE,
            start=datetime.date(2028 + i, 1, 1),
        )
        action = TrainingActionFactory(
            delegation=world.delegation,
            programme_line=contract.programme_lines.get(),
            mode=ActionMode.INTRA,
        )
        session = SessionFactory(action=action, venue=commune)
        registration = RegistrationFactory(session=session, employer=commune, category=AgentCategory.B)
        _attend(registration, [AttendanceStatus.PRESENT, AttendanceStatus.PRESENT])
        session.trainers.set([SpeakerExpertiseFactory(theme="disability").speaker])
        event = EventFactory(delegation=world.delegation, kind=EventKind.CONFERENCE, venue_commune=commune)
        EventRegistrationFactory(event=event, collectivity=commune)
        Study.objects.create(subject=f"Étude {i}", requester="AMF", requested_on=datetime.date(2026, 1, 1))
