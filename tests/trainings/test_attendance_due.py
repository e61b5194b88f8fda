"""« Émargement à saisir » kept by the services (``trainings.attendance_due``): after any sequence of what
staff do — register one agent or a batch, cancel, promote, change half-days, cancel a session, take and correct attendance — the
date each session owes attendance from is the one its raw rows give, and the sessions « À faire » lists are
exactly those with a missing mark on a half-day come."""

import datetime
import random

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from trainings import attendance as attendance_services
from trainings import registrations as registration_services
from trainings import services
from trainings.attendance_due import attendance_due_rebuild
from trainings.enums import AttendanceStatus, Period, RegistrationStatus, SessionStatus
from trainings.models import Attendance, Registration, Session, SessionHalfDay
from trainings.selectors import sessions_awaiting_attendance

pytestmark = pytest.mark.django_db

START = datetime.datetime(2031, 3, 3, 9, 0, tzinfo=datetime.UTC)  # a Monday


def _naive_due() -> dict[int, datetime.date | None]:
    """Each session's first half-day with a confirmed agent unmarked, from the raw rows."""
    marked = set(Attendance.objects.values_list("registration_id", "half_day_id"))
    confirmed = {}
    for pk, session_id in Registration.objects.filter(status=RegistrationStatus.CONFIRMED).values_list(
        "pk", "session_id"
    ):
        confirmed.setdefault(session_id, []).append(pk)
    due = dict.fromkeys(Session.objects.values_list("pk", flat=True))
    for half_day_id, session_id, day in SessionHalfDay.objects.order_by("date").values_list("pk", "session", "date"):
        if due[session_id] is None and any((r, half_day_id) not in marked for r in confirmed.get(session_id, [])):
            due[session_id] = day
    return due


def _naive_owing(today) -> set[int]:
    """The old definition, counted: confirmed agents × half-days come − their marks on them > 0."""
    owing = set()
    for session in Session.objects.filter(status=SessionStatus.PLANNED):
        confirmed = list(session.registrations.filter(status=RegistrationStatus.CONFIRMED))
        past = list(session.half_days.filter(date__lte=today))
        marks = Attendance.objects.filter(registration__in=confirmed, half_day__in=past).count()
        if len(confirmed) * len(past) - marks > 0:
            owing.add(session.pk)
    return owing


def _stored() -> dict[int, datetime.date | None]:
    return dict(Session.objects.values_list("pk", "attendance_due_on"))


def test_services_keep_the_date_attendance_is_owed_from(delegation_staff, action, commune):
    rng = random.Random(20)
    venue = commune  # the party of the intra action's contract: its agents may register
    first_day = START.date() + datetime.timedelta(days=2)
    steps = 0
    with time_machine.travel(START, tick=False) as clock:
        sessions = []
        for index in range(3):
            days = [first_day + datetime.timedelta(days=index + offset) for offset in (0, 1)]
            half_days = [(day, period) for day in days for period in (Period.MORNING, Period.AFTERNOON)]
            sessions.append(
                services.session_create(
                    actor=delegation_staff, action=action, half_days=half_days, venue=venue, capacity=2
                )
            )
        agents = 0

        def register():
            nonlocal agents
            agents += 1
            registration_services.registration_create(
                actor=delegation_staff,
                session=rng.choice(sessions),
                first_name="Agent",
                last_name=f"N{agents}",
                email=f"agent{agents}@mairie.example.fr",
                category="C",
                employer=venue,
            )

        def register_many():
            nonlocal agents
            rows = []
            for number in (1, 2):
                agents += 1
                rows.append(
                    registration_services.AgentRow(
                        number=number,
                        first_name="Agent",
                        last_name=f"N{agents}",
                        email=f"agent{agents}@mairie.example.fr",
                        category="C",
                        employer=venue,
                    )
                )
            registration_services.registration_create_many(
                actor=delegation_staff, session=rng.choice(sessions), agents=rows
            )

        def cancel():
            registration = rng.choice(list(Registration.objects.exclude(status=RegistrationStatus.CANCELLED)))
            registration_services.registration_cancel(actor=delegation_staff, registration=registration)

        def change_session():
            session = Session.objects.get(pk=rng.choice(sessions).pk)
            start = first_day + datetime.timedelta(days=rng.randrange(0, 3))
            half_days = [(start, Period.MORNING), (start + datetime.timedelta(days=1), Period.AFTERNOON)]
            services.session_update(
                actor=delegation_staff,
                session=session,
                capacity=session.capacity + rng.choice([0, 1]),
                venue=venue,
                half_days=half_days[: rng.choice([1, 2])],
            )

        def take_attendance():
            session = Session.objects.get(pk=rng.choice(sessions).pk)
            today = timezone.localdate()
            cells = [
                (registration.pk, half_day.pk)
                for registration in session.registrations.filter(status=RegistrationStatus.CONFIRMED)
                for half_day in session.half_days.filter(date__lte=today)
            ]
            statuses = [AttendanceStatus.PRESENT, AttendanceStatus.ABSENT, ""]  # "" erases a mark
            marks = {cell: rng.choice(statuses) for cell in rng.sample(cells, k=min(len(cells), rng.randint(1, 4)))}
            if marks:
                attendance_services.attendance_record(actor=delegation_staff, session=session, marks=marks)

        for day in range(7):
            operations = [register, register_many, cancel, change_session] if day < 2 else [take_attendance]
            if day == 1:
                operations.append(lambda: services.session_cancel(actor=delegation_staff, session=sessions[2]))
            for _ in range(12):
                try:
                    rng.choice(operations)()
                except (ValidationError, registration_services.RegistrationBatchError, IndexError):
                    continue  # refused as a user would be (session started, already cancelled…)
                steps += 1
                today = timezone.localdate()
                assert _stored() == _naive_due()
                owing = set(sessions_awaiting_attendance(delegation_staff, today=today).values_list("pk", flat=True))
                assert owing == _naive_owing(today)
            clock.shift(datetime.timedelta(days=1))
    # The walk went through every kind of change, and ended with attendance owed and attendance complete.
    assert steps >= 40
    today = START.date() + datetime.timedelta(days=7)
    assert _naive_owing(today) and set(_stored()) - _naive_owing(today)


def test_rebuild_recomputes_every_session_after_a_bulk_load(delegation_staff, action, commune):
    past = datetime.date(2020, 5, 4)
    session = Session.objects.create(action=action, venue=commune, capacity=5, start_date=past, end_date=past)
    morning = SessionHalfDay.objects.create(session=session, date=past, period=Period.MORNING)
    afternoon = SessionHalfDay.objects.create(session=session, date=past, period=Period.AFTERNOON)
    registration = Registration.objects.create(
        session=session,
        first_name="A",
        last_name="B",
        email="a@b.fr",
        category="C",
        employer=commune,
        status=RegistrationStatus.CONFIRMED,
    )
    Attendance.objects.create(registration=registration, half_day=morning, status=AttendanceStatus.PRESENT)
    complete = Session.objects.create(action=action, venue=commune, capacity=5, start_date=past, end_date=past)
    # Rows written behind the services' back (as a bulk load does): nothing knows yet.
    assert _stored() == {session.pk: None, complete.pk: None}

    assert attendance_due_rebuild() == 1
    assert _stored() == {session.pk: past, complete.pk: None} == _naive_due()
    assert attendance_due_rebuild() == 0  # nothing left to change

    Attendance.objects.create(registration=registration, half_day=afternoon, status=AttendanceStatus.ABSENT)
    assert attendance_due_rebuild() == 1
    assert _stored() == {session.pk: None, complete.pk: None}
