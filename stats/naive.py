"""The training indicators computed straight from the raw rows: the reference definitions.

``stats.indicators`` reads the same figures from the rollups ``TrainingSummary`` and
``InterventionTally``. These functions are what the rollups must always equal: the tests compare both
after random series of writes, and the benchmark (``scripts/bench_stats.py``) prints how much faster
the rollups are. Pages never call them. Both count with ``stats.definitions`` (a delivered half-day,
planned trainee-days).
"""

from django.db.models import Count, Q

from agreements.enums import COMMITTED_STATUSES
from trainings.enums import AgentCategory, RegistrationStatus, SessionStatus
from trainings.models import Registration, Session, SessionHalfDay, TrainingScheme

from .definitions import delivered_half_days, share, trainee_days
from .indicators.network import event_interventions_by_region
from .indicators.network import speakers_by_region as network_speakers_by_region
from .indicators.trainings import planned_by_theme, theme_rows


def trainee_days_by_theme(*, delegation_id: int | None = None) -> list[dict]:
    """Per theme of the contracts' programmes: planned vs delivered trainee-days. 3 queries.

    - planned: Σ planned days × planned trainees of the programme lines of contracts that are signed,
      in force, expired or terminated (``COMMITTED_STATUSES``);
    - delivered: half-days attended × 0.5 in the actions under those programme lines (by the line's theme);
    - catalogue: half-days attended × 0.5 in open catalogue actions (no programme line), by action theme.
    Only themes with a figure are listed.
    """
    rows = (
        delivered_half_days(delegation_id)
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
        delivered_half_days(delegation_id)
        .values_list("half_day__session__action__scheme_id")
        .annotate(n=Count("pk"))
        .values_list("half_day__session__action__scheme_id", "n")
    )
    wanted = set(scheduled) | set(delivered)
    schemes = [scheme for scheme in TrainingScheme.objects.order_by("position", "label") if scheme.pk in wanted]
    return [
        {
            "scheme": scheme.label,
            "scheduled_trainee_days": trainee_days(scheduled.get(scheme.pk, 0)),
            "delivered_trainee_days": trainee_days(delivered.get(scheme.pk, 0)),
        }
        for scheme in schemes
    ]


def trainees_by_category(*, delegation_id: int | None = None) -> list[dict]:
    """Per category of agent (A, B, C): trainees and the trainee-days they attended. 2 queries.

    A trainee is a confirmed registration to a session that is not cancelled (an agent trained twice
    counts twice, as in CNFPT's reporting); trainee-days are their half-days present × 0.5.
    """
    registrations = Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED, session__status=SessionStatus.PLANNED
    ).order_by()
    if delegation_id is not None:
        registrations = registrations.filter(session__action__delegation_id=delegation_id)
    trainees = dict(registrations.values_list("category").annotate(n=Count("pk")).values_list("category", "n"))
    present = dict(
        delivered_half_days(delegation_id)
        .filter(registration__session__status=SessionStatus.PLANNED)
        .values_list("registration__category")
        .annotate(n=Count("pk"))
        .values_list("registration__category", "n")
    )
    total = sum(trainees.values())
    result = []
    for value, label in AgentCategory.choices:
        result.append(
            {
                "category": value,
                "label": label,
                "trainees": trainees.get(value, 0),
                "share": share(trainees.get(value, 0), total),
                "trainee_days": trainee_days(present.get(value, 0)),
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
    events = event_interventions_by_region(delegation_id)
    return network_speakers_by_region(delegation_id=delegation_id, interventions=(events, trainings))
