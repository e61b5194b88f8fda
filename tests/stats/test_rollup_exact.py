"""The training indicators read a rollup: after any series of writes, they equal the raw-row definitions.

Writes go through the services (registrations, cancellations, attendance, session cancellation,
contract transitions, trainers) and through plain ORM updates, as the admin or an import would make
them (categories, half-days, venues, an action's theme, scheme, programme line or delegation, a
programme line's theme): the rollups' triggers must follow every path. The seeds are fixed, so each run replays the same
series (no random collision, the same result every time).
"""

import datetime
import random

import pytest
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connection
from django.db.models import Count, Sum

from agreements.enums import ContractStatus
from agreements.models import ProgrammeLine
from agreements.services import lifecycle
from stats import indicators, naive, tally
from stats.definitions import committed_programme_lines, delivered_half_days
from stats.models import InterventionTally, TrainingSummary, TrainingTally
from tests.agreements.factories import make_contract
from tests.conftest import ROLLUP_TABLES
from tests.factories import CommuneFactory
from tests.trainings.factories import (
    RegistrationFactory,
    SessionFactory,
    SpeakerFactory,
    ThemeFactory,
    TrainingActionFactory,
    TrainingSchemeFactory,
)
from trainings import attendance as attendance_services
from trainings import registrations as registration_services
from trainings import services as training_services
from trainings.enums import ActionMode, AgentCategory, AttendanceStatus, Period, RegistrationStatus
from trainings.models import Registration, Session, SessionHalfDay, TrainingAction

pytestmark = pytest.mark.django_db

INDICATORS = ("trainee_days_by_theme", "trainee_days_by_scheme", "trainees_by_category", "speakers_by_region")
MARKS = [AttendanceStatus.PRESENT, AttendanceStatus.PRESENT, AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED, ""]


def _assert_exact(delegations):
    for name in INDICATORS:
        for delegation_id in (None, *delegations):
            assert getattr(indicators, name)(delegation_id=delegation_id) == getattr(naive, name)(
                delegation_id=delegation_id
            ), (name, delegation_id)
    _assert_sql_counts_the_definitions()
    # And row by row: the triggers' sums equal a full recomputation.
    maintained = _rollup_rows()
    tally.tally_rebuild()
    assert _rollup_rows() == maintained


SUMS = ("trainees", "scheduled_half_days", "present_half_days", "present_half_days_planned")


def _figures(rows) -> dict:
    return {key: n for key, n in rows if n}


def _assert_sql_counts_the_definitions():
    """The triggers' SQL (and the rebuild's) counts a delivered half-day and a committed programme as
    ``stats.definitions`` defines them, on the same data."""
    by_action = "registration__session__action_id"
    assert _figures(
        TrainingTally.objects.values_list("action_id")
        .annotate(n=Sum("present_half_days"))
        .values_list("action_id", "n")
    ) == _figures(delivered_half_days().values_list(by_action).annotate(n=Count("pk")).values_list(by_action, "n"))
    line_theme = "registration__session__action__programme_line__theme_id"
    under_committed = delivered_half_days().filter(
        registration__session__action__programme_line__in=committed_programme_lines()
    )
    assert _figures(
        TrainingSummary.objects.filter(committed=True)
        .values_list("line_theme_id")
        .annotate(n=Sum("present_half_days"))
        .values_list("line_theme_id", "n")
    ) == _figures(under_committed.values_list(line_theme).annotate(n=Count("pk")).values_list(line_theme, "n"))


def _rollup_rows() -> tuple[list[tuple], ...]:
    """The rollups' rows that hold a figure (an all-zero row and a missing row mean the same)."""
    tallies = TrainingTally.objects.values_list("action_id", "category", *SUMS)
    key = ("delegation_id", "committed", "line_theme_id", "theme_id", "scheme_id", "category")
    summaries = TrainingSummary.objects.values_list(*key, *SUMS)
    interventions = InterventionTally.objects.values_list("delegation_id", "venue_id", "interventions")
    return (
        sorted(row for row in tallies if any(row[2:])),
        sorted(row for row in summaries if any(row[6:])),
        sorted(row for row in interventions if row[2]),
    )


def _universe(delegation, other_delegation, delegation_staff, other_delegation_staff):
    """Two delegations, a committed contract and a catalogue action each, past and future sessions with trainers."""
    today = datetime.date.today()
    sessions, contracts = [], []
    trainers = [SpeakerFactory(), SpeakerFactory()]
    for owner, staff in ((delegation, delegation_staff), (other_delegation, other_delegation_staff)):
        commune = CommuneFactory(department=owner.departments.first())
        contract = make_contract(actor=staff, collectivities=[commune], status=ContractStatus.ACTIVE)
        contracts.append((contract, staff))
        under_contract = TrainingActionFactory(
            delegation=owner, programme_line=contract.programme_lines.get(), mode=ActionMode.INTRA
        )
        catalogue = TrainingActionFactory(delegation=owner)
        for action in (under_contract, catalogue):
            for offset in (-20, -3, 12, 30):
                start = today + datetime.timedelta(days=offset)
                session = SessionFactory(
                    action=action,
                    venue=commune,
                    capacity=4,
                    start_date=start,
                    half_days=[(start, Period.MORNING), (start, Period.AFTERNOON)],
                )
                session.trainers.set(trainers[: 1 + offset % 2])
                sessions.append(session)
    return sessions, contracts


def _staff_for(session, delegation, delegation_staff, other_delegation_staff):
    return delegation_staff if session.action.delegation_id == delegation.pk else other_delegation_staff


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_indicators_equal_the_raw_rows_after_random_writes(
    seed, delegation, other_delegation, delegation_staff, other_delegation_staff
):
    rng = random.Random(seed)
    sessions, contracts = _universe(delegation, other_delegation, delegation_staff, other_delegation_staff)
    today = datetime.date.today()
    speakers = [SpeakerFactory(), SpeakerFactory(), SpeakerFactory()]
    themes = [ThemeFactory(code=f"theme-{n}", label=f"Thème {n}") for n in (1, 2)]
    schemes = [TrainingSchemeFactory(code=f"dispositif-{n}", label=f"Dispositif {n}") for n in (1, 2)]
    venues = [CommuneFactory(department=d.departments.first()) for d in (delegation, other_delegation)]
    lines = [contract.programme_lines.get() for contract, _actor in contracts]

    def staff(session):
        return _staff_for(session, delegation, delegation_staff, other_delegation_staff)

    for counter in range(45):
        session = Session.objects.get(pk=rng.choice(sessions).pk)
        operation = rng.choice(
            [
                "register",
                "register",
                "register",
                "past_registration",
                "cancel",
                "attendance",
                "attendance",
                "cancel_session",
                "contract",
                "category",
                "half_day",
                "trainers",
                "venue",
                "action",
                "line_theme",
            ]
        )
        try:
            if operation == "register":
                registration_services.registration_create(
                    actor=staff(session),
                    session=session,
                    first_name="Agent",
                    last_name=f"N{counter}",
                    email=f"agent{seed}-{counter}@mairie.example.fr",
                    category=rng.choice(AgentCategory.values),
                    employer=session.venue,
                )
            elif operation == "past_registration":
                # As an import or the admin would: straight into the table.
                RegistrationFactory(
                    session=session,
                    employer=session.venue,
                    category=rng.choice(AgentCategory.values),
                    status=rng.choice([RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]),
                )
            elif operation == "cancel":
                registration = session.registrations.exclude(status=RegistrationStatus.CANCELLED).first()
                if registration:
                    registration_services.registration_cancel(actor=staff(session), registration=registration)
            elif operation == "attendance":
                attended = Session.objects.filter(
                    pk__in=[s.pk for s in sessions],
                    start_date__lte=today,
                    registrations__status=RegistrationStatus.CONFIRMED,
                ).first()
                session = attended or session
                confirmed = list(session.registrations.filter(status=RegistrationStatus.CONFIRMED))
                half_days = [h for h in session.half_days.all() if h.date <= today]
                marks = {(r.pk, h.pk): rng.choice(MARKS) for r in confirmed for h in half_days}
                attendance_services.attendance_record(actor=staff(session), session=session, marks=marks)
            elif operation == "cancel_session":
                training_services.session_cancel(actor=staff(session), session=session)
            elif operation == "contract":
                contract, actor = rng.choice(contracts)
                contract.refresh_from_db()
                if contract.status == ContractStatus.ACTIVE:
                    lifecycle.contract_terminate(contract=contract, actor=actor, reason="Fin anticipée")
                else:
                    # Back to the committed statuses, as a correction in the admin would.
                    type(contract).objects.filter(pk=contract.pk).update(status=ContractStatus.ACTIVE)
            elif operation == "category":
                registration = session.registrations.order_by("?").first()
                if registration:
                    Registration.objects.filter(pk=registration.pk).update(category=rng.choice(AgentCategory.values))
            elif operation == "half_day":
                last = session.half_days.order_by("-date", "-period").first()
                if rng.random() < 0.5 and session.half_days.count() > 1:
                    last.delete()
                else:
                    SessionHalfDay.objects.create(
                        session=session, date=last.date + datetime.timedelta(days=1), period=Period.MORNING
                    )
            elif operation == "trainers":
                session.trainers.set(rng.sample(speakers, rng.randint(0, 2)))
            elif operation == "venue":
                Session.objects.filter(pk=session.pk).update(venue=rng.choice(venues))
            elif operation == "action":
                # As the admin would: another theme, scheme, programme line (or none), or delegation.
                field = rng.choice(["theme", "scheme", "programme_line", "delegation"])
                value = {
                    "theme": lambda: rng.choice(themes),
                    "scheme": lambda: rng.choice(schemes),
                    "programme_line": lambda: rng.choice([None, *lines]),
                    "delegation": lambda: rng.choice([delegation, other_delegation]),
                }[field]()
                TrainingAction.objects.filter(pk=session.action_id).update(**{field: value})
            elif operation == "line_theme":
                ProgrammeLine.objects.filter(pk=rng.choice(lines).pk).update(theme=rng.choice(themes))
        except ValidationError:
            pass  # the rules refused the write: nothing changed, the figures must still agree
        _assert_exact([delegation.pk, other_delegation.pk])

    # A last known write, so that every seed ends with figures that moved (a constant proves nothing).
    past = Session.objects.get(pk=sessions[1].pk)  # three days ago, under the first contract
    agent = RegistrationFactory(session=past, employer=past.venue, category=AgentCategory.B)
    before = indicators.trainee_days_by_scheme()
    marks = {(agent.pk, half_day.pk): AttendanceStatus.PRESENT for half_day in past.half_days.filter(date__lte=today)}
    attendance_services.attendance_record(actor=delegation_staff, session=past, marks=marks)
    _assert_exact([delegation.pk, other_delegation.pk])
    assert indicators.trainee_days_by_scheme() != before
    assert sum(row["trainees"] for row in indicators.trainees_by_category()) > 0


def test_the_rollups_sql_and_the_definitions_agree_when_a_registration_or_a_contract_leaves_its_state(
    delegation, other_delegation, delegation_staff, other_delegation_staff
):
    """A half-day present counts while its registration is confirmed, a programme while its contract is signed,
    in force or past: the triggers' SQL and ``stats.definitions`` say so together, step by step."""
    sessions, contracts = _universe(delegation, other_delegation, delegation_staff, other_delegation_staff)
    today = datetime.date.today()
    past = Session.objects.get(pk=sessions[1].pk)  # three days ago, under the first contract
    agent = RegistrationFactory(session=past, employer=past.venue, category=AgentCategory.A)
    marks = {(agent.pk, half_day.pk): AttendanceStatus.PRESENT for half_day in past.half_days.filter(date__lte=today)}
    attendance_services.attendance_record(actor=delegation_staff, session=past, marks=marks)
    assert delivered_half_days().filter(registration=agent).count() == 2
    _assert_sql_counts_the_definitions()
    # As the admin or an import would: the registration leaves « confirmed », its presence stops counting.
    Registration.objects.filter(pk=agent.pk).update(status=RegistrationStatus.WAITLISTED)
    _assert_sql_counts_the_definitions()
    assert delivered_half_days().filter(registration=agent).count() == 0
    Registration.objects.filter(pk=agent.pk).update(status=RegistrationStatus.CONFIRMED)
    contract = contracts[0][0]
    assert committed_programme_lines().filter(contract=contract).exists()
    contract.__class__.objects.filter(pk=contract.pk).update(status=ContractStatus.DRAFT)
    assert not committed_programme_lines().filter(contract=contract).exists()
    _assert_sql_counts_the_definitions()
    _assert_exact([delegation.pk, other_delegation.pk])


def test_rollup_is_built_from_existing_rows_by_the_rebuild(world):
    before = sorted(TrainingTally.objects.values_list("action_id", "category", "trainees", "present_half_days"))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM stats_trainingtally")
    assert indicators.trainees_by_category()[0]["trainees"] == 0
    tally.tally_rebuild()
    assert sorted(TrainingTally.objects.values_list("action_id", "category", "trainees", "present_half_days")) == before
    assert [row["trainees"] for row in indicators.trainees_by_category()] == [2, 0, 2]


def test_the_tests_flush_empties_the_rollups_after_the_tables_their_triggers_follow():
    """``tests/conftest.py``: whatever the order of the names, a SQLite flush deletes the rollups last."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL vide les tables par TRUNCATE, qui ne déclenche aucun trigger de ligne")
    tables = ["stats_trainingsummary", "trainings_attendance", "stats_interventiontally", "trainings_session_trainers"]
    tables += ["stats_trainingtally", "trainings_registration"]
    statements = connection.ops.sql_flush(no_style(), tables)
    emptied = [next(table for table in tables if f'"{table}"' in statement) for statement in statements]
    assert emptied[:3] == ["trainings_attendance", "trainings_session_trainers", "trainings_registration"]
    assert sorted(emptied[3:]) == sorted(ROLLUP_TABLES)
