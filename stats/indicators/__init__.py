"""The indicators of the five axes of the framework agreement: aggregated, non-personal figures, each in a
constant number of queries.

Every indicator returns plain data (lists of dicts) so that the dashboard, the exports and the open API
share one definition (``stats.registry`` declares each). ``delegation_id`` (optional) narrows an indicator
to one CNFPT regional delegation; ``None`` gives the national figures. Nothing here returns a person's name
or e-mail. One module per subject: ``contracts``, ``coverage`` and ``trainings`` (axis 1), ``network``
(axes 2 and 4), ``exchange`` (axis 3), ``axis5``.
"""

from .axis5 import internships_by_status, studies_by_status
from .contracts import (
    contracts_by_delegation,
    contracts_by_start_year,
    contracts_by_status,
    planned_trainee_days_by_year,
)
from .coverage import coverage_by_department, coverage_by_region, coverage_levels, coverage_total
from .exchange import exports_by_dataset
from .network import events_by_kind, speakers_by_region, speakers_by_theme, speakers_summary
from .trainings import trainee_days_by_scheme, trainee_days_by_theme, trainees_by_category

__all__ = [
    "contracts_by_delegation",
    "contracts_by_start_year",
    "contracts_by_status",
    "coverage_by_department",
    "coverage_by_region",
    "coverage_levels",
    "coverage_total",
    "events_by_kind",
    "exports_by_dataset",
    "internships_by_status",
    "planned_trainee_days_by_year",
    "speakers_by_region",
    "speakers_by_theme",
    "speakers_summary",
    "studies_by_status",
    "trainee_days_by_scheme",
    "trainee_days_by_theme",
    "trainees_by_category",
]
