"""The training indicators computed straight from the raw rows: the reference definitions.

``stats.selectors`` reads the same figures from the rollups ``TrainingSummary`` and
``InterventionTally``. These functions are what the rollups must always equal: the tests compare both
after random series of writes, and the benchmark (``scripts/bench_stats.py``) prints how much faster
the rollups are. Pages never call them.
"""

from django.db.models import Count, Q, QuerySet

from trainings.enums import AgentCategory, AttendanceStatus, RegistrationStatus, SessionStatus
from trainings.models import HALF_DAY, Attendance, Registration, Session, SessionHalfDay, TrainingScheme

from . import selectors
from .selectors import COMMITTED_STATUSES, _days, _share, planned_by_theme, theme_rows


def _present(delegation_id: int | None) -> QuerySet[Attendance]:
    """Half-days attended by confirmed agents: each one is half a trainee-day (the figure CNFPT reports)."""
    attendances = Attendance.objects.filter(
        status=AttendanceStatus.PRESENT, registration__status=RegistrationStatus.CONFIRMED
    ).order_by()
    if delegation_id is not None:
        attendances = attendances.filter(half_day__session__action__delegation_id=delegation_id)
    return attendances


def trainee_days_by_theme(*, delegation_id: int | None = None) -> list[dict]:
    """Per theme of the contracts' programmes: planned vs delivered trainee-days. 3 queries.

    - planned: Σ planned days × planned trainees of the programme lines of contracts that are signed,
      in force, expired or terminated (``COMMITTED_STATUSES``);
    - delivered: half-days attended × 0.5 in the actions under those programme lines (by the line's theme);
    - catalogue: half-days attended × 0.5 in open catalogue actions (no programme line), by action theme.
    Only themes with a figure are listed.
    """
    rows = (
        _present(delegation_id)
        .filter(
            Q(half_day__session__action__programme_line__isnull=True)
            | Q(half_day__session__action__programme_line__contract__status__in=COMMITTED_STATUSES)
        )
        .values_list("half_day__session__action__programme_line__theme_id", "half_day__session__action__theme_id")
        .annotate(n=Count("pk"))
    )
    return theme_rows(planned_by_theme(delegation_id), rows)


def trainee_days_by_scheme(*, delegation_id: int | None = None) -> list[dict]:
    """Per training scheme (loi du 19 février 2007): scheduled vs delivered trainee-days. 3 queries.

    - scheduled: half-days of the sessions (not cancelled) × confirmed registrations × 0.5, what
      would be delivered if every registered agent attended;
    - delivered: half-days attended by confirmed agents × 0.5.
    Only schemes with a figure are listed.
    """
    half_days = SessionHalfDay.objects.filter(
        session__status=SessionStatus.PLANNED, session__registrations__status=RegistrationStatus.CONFIRMED
    ).order_by()
    if delegation_id is not None:
        half_days = half_days.filter(session__action__delegation_id=delegation_id)
    scheduled = dict(
        half_days.values_list("session__action__scheme_id")
        .annotate(n=Count("pk"))
        .values_list("session__action__scheme_id", "n")
    )
    delivered = dict(
        _present(delegation_id)
        .values_list("half_day__session__action__scheme_id")
        .annotate(n=Count("pk"))
        .values_list("half_day__session__action__scheme_id", "n")
    )
    wanted = set(scheduled) | set(delivered)
    schemes = [scheme for scheme in TrainingScheme.objects.order_by("position", "label") if scheme.pk in wanted]
    return [
        {
            "scheme": scheme.label,
            "scheduled_trainee_days": _days(scheduled.get(scheme.pk, 0) * HALF_DAY),
            "delivered_trainee_days": _days(delivered.get(scheme.pk, 0) * HALF_DAY),
        }
        for scheme in schemes
    ]


def trainees_by_category(*, delegation_id: int | None = None) -> list[dict]:
    """Per category of agent (A, B, C): trainees and the trainee-days they attended. 1 query.

    A trainee is a confirmed registration to a session that is not cancelled (an agent trained twice
    counts twice, as in CNFPT's reporting); trainee-days are their half-days present × 0.5.
    """
    registrations = Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED, session__status=SessionStatus.PLANNED
    ).order_by()
    if delegation_id is not None:
        registrations = registrations.filter(session__action__delegation_id=delegation_id)
    rows = {
        r["category"]: r
        for r in registrations.values("category").annotate(
            trainees=Count("pk", distinct=True),
            present=Count("attendances", filter=Q(attendances__status=AttendanceStatus.PRESENT)),
        )
    }
    total = sum(r["trainees"] for r in rows.values())
    result = []
    for value, label in AgentCategory.choices:
        row = rows.get(value, {"trainees": 0, "present": 0})
        result.append(
            {
                "category": value,
                "label": label,
                "trainees": row["trainees"],
                "share": _share(row["trainees"], total),
                "trainee_days": _days(row["present"] * HALF_DAY),
            }
        )
    return result


def speakers_by_region(*, delegation_id: int | None = None) -> list[dict]:
    """« Intervenants par région » with the trainers' interventions counted from the sessions' trainers."""
    trainers = Session.trainers.through.objects.filter(session__status=SessionStatus.PLANNED).order_by()
    if delegation_id is not None:
        trainers = trainers.filter(session__action__delegation_id=delegation_id)
    trainings = dict(
        trainers.values_list("session__venue__department__region_id")
        .annotate(n=Count("pk"))
        .values_list("session__venue__department__region_id", "n")
    )
    events = selectors._event_interventions_by_region(delegation_id)
    return selectors.speakers_by_region(delegation_id=delegation_id, interventions=(events, trainings))
