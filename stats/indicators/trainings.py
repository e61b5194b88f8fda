"""Axis 1, the trainings: trainee-days planned and delivered by theme and by scheme, trainees by category.

Registrations and attendance are read from their rollup ``TrainingSummary`` (a few thousand rows, by
delegation, commitment, themes, scheme and category), kept exact by triggers (``stats.tally``);
``stats.naive`` holds the same indicators computed from the raw rows, which the tests compare with these
after random series of writes. Both count with ``stats.definitions``.
"""

from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from agreements.models import Theme
from trainings.enums import AgentCategory
from trainings.models import TrainingScheme

from ..definitions import PLANNED_TRAINEE_DAYS, committed_programme_lines, days, share, trainee_days
from ..models import TrainingSummary

NO_LINE = 0  # ``TrainingSummary.line_theme_id`` of open catalogue actions


def _summaries(delegation_id: int | None) -> QuerySet[TrainingSummary]:
    summaries = TrainingSummary.objects.order_by()
    if delegation_id is not None:
        summaries = summaries.filter(delegation_id=delegation_id)
    return summaries


def trainee_days_by_theme(*, delegation_id: int | None = None) -> list[dict]:
    """Per theme of the contracts' programmes: planned vs delivered trainee-days. 3 queries.

    - planned: Σ planned days × planned trainees of the programme lines of contracts that are signed,
      in force, expired or terminated (``COMMITTED_STATUSES``);
    - delivered: half-days attended × 0.5 in the actions under those programme lines (by the line's theme);
    - catalogue: half-days attended × 0.5 in open catalogue actions (no programme line), by action theme.
    Only themes with a figure are listed.
    """
    rows = (
        _summaries(delegation_id)
        .filter(Q(line_theme_id=NO_LINE) | Q(committed=True))
        .values_list("line_theme_id", "theme_id")
        .annotate(n=Sum("present_half_days"))
    )
    attended = ((line_theme_id or None, theme_id, n) for line_theme_id, theme_id, n in rows)
    return theme_rows(planned_by_theme(delegation_id), attended)


def planned_by_theme(delegation_id: int | None) -> dict[int, Decimal]:
    """Planned trainee-days of the committed contracts' programme lines, by theme: ``{theme_id: days}``."""
    return dict(
        committed_programme_lines(delegation_id)
        .values_list("theme_id")
        .annotate(total=PLANNED_TRAINEE_DAYS)
        .values_list("theme_id", "total")
    )


def theme_rows(planned: dict[int, Decimal], attended) -> list[dict]:
    """The rows of « jours-stagiaires par thème » from the planned days and the attended half-days.

    ``attended`` yields ``(programme line's theme id or None, action's theme id, half-days present)``:
    under a programme line they count as delivered, in the open catalogue as catalogue days.
    """
    delivered: dict[int, int] = {}
    catalogue: dict[int, int] = {}
    for line_theme_id, action_theme_id, n in attended:
        if line_theme_id is None:
            catalogue[action_theme_id] = catalogue.get(action_theme_id, 0) + n
        else:
            delivered[line_theme_id] = delivered.get(line_theme_id, 0) + n
    # A tally row may hold zeros (every registration cancelled): only figures list a theme.
    wanted = set(planned) | {k for k, v in delivered.items() if v} | {k for k, v in catalogue.items() if v}
    # All themes (a short list) rather than ``pk__in=wanted``: an empty ``IN`` skips the query, and
    # the number of queries must not depend on the data.
    themes = [theme for theme in Theme.objects.order_by("family", "position", "label") if theme.pk in wanted]
    result = []
    for theme in themes:
        planned_days = days(planned.get(theme.pk))
        delivered_days = trainee_days(delivered.get(theme.pk, 0))
        result.append(
            {
                "theme": theme.label,
                "family": theme.get_family_display(),
                "planned_trainee_days": planned_days,
                "delivered_trainee_days": delivered_days,
                "catalogue_trainee_days": trainee_days(catalogue.get(theme.pk, 0)),
                "completion": share(delivered_days, planned_days),
            }
        )
    return result


def trainee_days_by_scheme(*, delegation_id: int | None = None) -> list[dict]:
    """Per training scheme (loi du 19 février 2007): scheduled vs delivered trainee-days. 2 queries.

    - scheduled: half-days of the sessions (not cancelled) × confirmed registrations × 0.5, what
      would be delivered if every registered agent attended;
    - delivered: half-days attended by confirmed agents × 0.5.
    Only schemes with a figure are listed.
    """
    rows = {
        scheme_id: (scheduled, delivered)
        for scheme_id, scheduled, delivered in _summaries(delegation_id)
        .values_list("scheme_id")
        .annotate(scheduled=Sum("scheduled_half_days"), delivered=Sum("present_half_days"))
        .values_list("scheme_id", "scheduled", "delivered")
        if scheduled or delivered
    }
    schemes = [scheme for scheme in TrainingScheme.objects.order_by("position", "label") if scheme.pk in rows]
    return [
        {
            "scheme": scheme.label,
            "scheduled_trainee_days": trainee_days(rows[scheme.pk][0]),
            "delivered_trainee_days": trainee_days(rows[scheme.pk][1]),
        }
        for scheme in schemes
    ]


def trainees_by_category(*, delegation_id: int | None = None) -> list[dict]:
    """Per category of agent (A, B, C): trainees and the trainee-days they attended. 1 query.

    A trainee is a confirmed registration to a session that is not cancelled (an agent trained twice
    counts twice, as in CNFPT's reporting); trainee-days are their half-days present × 0.5.
    """
    rows = {
        category: (trainees, present)
        for category, trainees, present in _summaries(delegation_id)
        .values_list("category")
        .annotate(trainees=Sum("trainees"), present=Sum("present_half_days_planned"))
        .values_list("category", "trainees", "present")
    }
    total = sum(trainees for trainees, _present in rows.values())
    result = []
    for value, label in AgentCategory.choices:
        trainees, present = rows.get(value, (0, 0))
        result.append(
            {
                "category": value,
                "label": label,
                "trainees": trainees,
                "share": share(trainees, total),
                "trainee_days": trainee_days(present),
            }
        )
    return result
