"""Two writers meeting on the rollups' rows in opposite orders wait for each other, never deadlock.

Two trainers record attendance at the same time for two sessions of the same theme and scheme in
one delegation: each transaction adds to the summary rows of categories B and C, one in the order
B then C, the other C then B. Without the delegations' advisory locks (``stats.tally``), PostgreSQL
detects the deadlock and refuses one of them. The steps are ordered by events, so the interleaving
that deadlocks is the one that runs, every time.
"""

import threading

import pytest
from django.db import connection, connections, transaction

from partnership.enums import Role
from stats import tally
from stats.models import TrainingSummary
from tests.factories import CommuneFactory, DelegationFactory, UserFactory
from tests.trainings.factories import RegistrationFactory, SessionFactory, TrainingActionFactory, in_days
from trainings.enums import AttendanceStatus, Period
from trainings.models import Attendance

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def test_crossed_attendance_writes_in_one_delegation_both_commit():
    if connection.vendor != "postgresql":
        pytest.skip("nécessite PostgreSQL (verrous de ligne)")
    delegation = DelegationFactory()
    trainer = UserFactory(role=Role.DELEGATION_STAFF, delegation=delegation)
    venue = CommuneFactory(department=delegation.departments.first())
    day = in_days(-2)
    marks = []
    for categories in (("B", "C"), ("C", "B")):  # the second session crosses the first's order
        session = SessionFactory(
            action=TrainingActionFactory(delegation=delegation),  # same theme and scheme: same summary rows
            venue=venue,
            start_date=day,
            half_days=[(day, Period.MORNING)],
        )
        half_day = session.half_days.get()
        marks.append([(RegistrationFactory(session=session, employer=venue, category=c), half_day) for c in categories])
    first_written, second_written = threading.Event(), threading.Event()
    errors = []

    def record(steps, after_first_mark, before_second_mark):
        try:
            with transaction.atomic():
                for index, (registration, half_day) in enumerate(steps):
                    if index == 1:
                        before_second_mark()
                    Attendance.objects.create(
                        registration=registration,
                        half_day=half_day,
                        status=AttendanceStatus.PRESENT,
                        recorded_by=trainer,
                    )
                    if index == 0:
                        after_first_mark()
        except Exception as exc:  # collected for the assertion
            errors.append(exc)
        finally:
            connections.close_all()

    one = threading.Thread(target=record, args=(marks[0], first_written.set, lambda: second_written.wait(3)))
    two = threading.Thread(target=record, args=(marks[1], second_written.set, lambda: None))
    one.start()
    first_written.wait(5)
    two.start()
    one.join(30)
    two.join(30)

    assert errors == []
    assert Attendance.objects.count() == 4
    summary = dict(
        TrainingSummary.objects.filter(delegation_id=delegation.pk).values_list("category", "present_half_days")
    )
    assert summary == {"B": 2, "C": 2}
    maintained = sorted(TrainingSummary.objects.values_list("delegation_id", "category", "present_half_days"))
    tally.tally_rebuild()
    assert sorted(TrainingSummary.objects.values_list("delegation_id", "category", "present_half_days")) == maintained
