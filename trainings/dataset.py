"""This app's rows of the synthetic national year (``generate_dataset``): actions, sessions, registrations, attendance.

Attendance is taken for every half-day passed, except for a quarter of the sessions of the last two
weeks, still waiting for their sheet as a delegation's would: « À faire » has some to list.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from agreements.models import Theme
from partnership.dataset_registry import CHUNK, Dataset, Step, picker, register

from .enums import ActionMode, AgentCategory, AttendanceStatus, Period, RegistrationStatus, SessionStatus
from .models import Attendance, Registration, Session, SessionHalfDay, TrainingAction, TrainingScheme

# Shares drawn from, as (value, weight).
CATEGORIES = [(AgentCategory.A, 10), (AgentCategory.B, 15), (AgentCategory.C, 75)]
REGISTRATION_STATUSES = [
    (RegistrationStatus.CONFIRMED, 97),
    (RegistrationStatus.WAITLISTED, 1),
    (RegistrationStatus.CANCELLED, 2),
]
ATTENDANCE = [(AttendanceStatus.PRESENT, 88), (AttendanceStatus.ABSENT, 8), (AttendanceStatus.EXCUSED, 4)]
CANCELLED_SESSIONS = 0.02
# Sessions ended within this many days whose attendance is not taken yet, and their share.
UNMARKED_DAYS, UNMARKED_SHARE = 14, 0.25


def trainings(dataset: Dataset) -> None:
    """The training year: actions (60 % under a programme line), two-day sessions, registrations, attendance.

    Written with ``COPY``: a million registrations and four million attendance marks by default.
    """
    rng, loader, options, now = dataset.rng, dataset.loader, dataset.options, dataset.now
    lines_by_delegation = dataset.needs("programme_lines_by_delegation")
    speaker_ids = dataset.needs("speaker_ids")
    schemes = list(TrainingScheme.objects.order_by("position").values_list("pk", flat=True))
    scheme_of = picker(rng, [(pk, 12 if i < 4 else 3) for i, pk in enumerate(schemes)])
    themes = list(Theme.objects.order_by("pk").values_list("pk", flat=True))
    category_of = picker(rng, CATEGORIES)
    registration_status_of = picker(rng, REGISTRATION_STATUSES)
    attendance_of = picker(rng, ATTENDANCE)
    sessions_wanted = options["sessions"]
    per_session = options["registrations"] / max(sessions_wanted, 1)
    year_start = datetime.date(options["year"] - 1, 12, 1)
    today = timezone.localdate()

    action_id = loader.next_id(TrainingAction)
    actions = []
    sessions_of_action = []
    remaining = sessions_wanted
    while remaining > 0:
        delegation = dataset.pick_delegation()[0]
        lines = lines_by_delegation.get(delegation.pk) or []
        under_contract = lines and rng.random() < 0.6
        line_id, line_theme = rng.choice(lines) if under_contract else (None, None)
        n = min(remaining, rng.randint(1, 7))
        remaining -= n
        actions.append(
            (
                action_id,
                delegation.pk,
                line_id,
                f"Action de formation {action_id}",
                scheme_of()[0],
                line_theme or rng.choice(themes),
                ActionMode.INTRA if under_contract else ActionMode.INTER,
                True,
                True,
                True,
                "",
                Decimal(2),
                now,
            )
        )
        sessions_of_action.append((action_id, delegation.pk, n))
        action_id += 1
    dataset.counts["actions"] = loader.insert(
        TrainingAction,
        [
            "id",
            "delegation_id",
            "programme_line_id",
            "title",
            "scheme_id",
            "theme_id",
            "mode",
            "for_category_a",
            "for_category_b",
            "for_category_c",
            "objectives",
            "duration_days",
            "created_at",
        ],
        actions,
    )
    dataset.log(f"{len(actions)} actions.")

    session_id = loader.next_id(Session)
    half_day_id = loader.next_id(SessionHalfDay)
    sessions, half_days, trainers = [], [], []
    plan = []  # (session id, delegation id, planned?, half-day ids and dates)
    for action, delegation_id, n in sessions_of_action:
        for _ in range(n):
            start = year_start + datetime.timedelta(days=rng.randrange(0, 360))
            if start.weekday() >= 4:  # two consecutive working days
                start -= datetime.timedelta(days=start.weekday() - 3)
            end = start + datetime.timedelta(days=1)
            planned = rng.random() > CANCELLED_SESSIONS
            venue = dataset.employers(delegation_id, 1)[0]
            sessions.append(
                (
                    session_id,
                    action,
                    SessionStatus.PLANNED if planned else SessionStatus.CANCELLED,
                    venue,
                    "",
                    20,
                    start,
                    end,
                    now,
                    now,
                )
            )
            ids = []
            for day in (start, end):
                for period in (Period.MORNING, Period.AFTERNOON):
                    half_days.append((half_day_id, session_id, day, period))
                    ids.append((half_day_id, day))
                    half_day_id += 1
            plan.append((session_id, delegation_id, planned, ids))
            if speaker_ids:
                trainers.append((session_id, rng.choice(speaker_ids)))
            session_id += 1
    dataset.counts["sessions"] = loader.insert(
        Session,
        [
            "id",
            "action_id",
            "status",
            "venue_id",
            "address",
            "capacity",
            "start_date",
            "end_date",
            "created_at",
            "updated_at",
        ],
        sessions,
    )
    dataset.counts["demi-journées"] = loader.insert(SessionHalfDay, ["id", "session_id", "date", "period"], half_days)
    loader.insert(Session.trainers.through, ["session_id", "speaker_id"], trainers)
    dataset.log(f"{len(sessions)} sessions.")
    del sessions, half_days, trainers

    registration_id = loader.next_id(Registration)
    first_registration = registration_id
    marks = []
    attendance_id = loader.next_id(Attendance)
    mark_count = 0

    def flush_marks():
        nonlocal attendance_id, mark_count
        loader.insert(
            Attendance,
            ["id", "registration_id", "half_day_id", "status", "recorded_at"],
            ((attendance_id + i, *mark) for i, mark in enumerate(marks)),
        )
        attendance_id += len(marks)
        mark_count += len(marks)
        marks.clear()

    def registrations():
        nonlocal registration_id
        for session, delegation_id, planned, ids in plan:
            n = max(1, round(rng.gauss(per_session, per_session / 4)))
            recent = today - datetime.timedelta(days=UNMARKED_DAYS) <= ids[-1][1] <= today
            unmarked = recent and rng.random() < UNMARKED_SHARE
            employers = dataset.employers(delegation_id, n)
            categories = category_of(n)
            statuses = registration_status_of(n)
            for employer, category, status in zip(employers, categories, statuses, strict=True):
                if not planned:
                    status = RegistrationStatus.CANCELLED
                yield (
                    registration_id,
                    session,
                    "Agent",
                    f"Mesure {registration_id}",
                    f"agent{registration_id}@bench.example",
                    category,
                    "",
                    employer,
                    status,
                    now,
                    now if status == RegistrationStatus.CONFIRMED else None,
                    now if status == RegistrationStatus.CANCELLED else None,
                )
                if status == RegistrationStatus.CONFIRMED and not unmarked:
                    for half_day, day in ids:
                        if day <= today:
                            marks.append((registration_id, half_day, attendance_of()[0], now))
                registration_id += 1
            if len(marks) >= CHUNK:
                # Foreign keys are checked at commit: marks may reach the table before their registrations.
                flush_marks()

    dataset.counts["inscriptions"] = loader.insert(
        Registration,
        [
            "id",
            "session_id",
            "first_name",
            "last_name",
            "email",
            "category",
            "job",
            "employer_id",
            "status",
            "created_at",
            "confirmed_at",
            "cancelled_at",
        ],
        registrations(),
    )
    dataset.log(f"{registration_id - first_registration} inscriptions.")
    flush_marks()
    dataset.counts["émargements"] = mark_count
    dataset.log(f"{mark_count} émargements.")


# After the contracts (10: programme lines) and the speakers (20: trainers), before the events (40).
register(Step("trainings", 30, trainings))
