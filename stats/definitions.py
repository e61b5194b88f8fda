"""The definitions every training figure shares: a delivered half-day, planned trainee-days, days and shares.

The indicators read from the rollups (``stats.indicators``), the raw-row oracle of the tests (``stats.naive``)
and the exports by collectivité (``stats.datasets_lists``) all count with these. The rollups' SQL
(``stats.triggers``, which ``stats.rebuild`` runs) writes the same rule in SQL: ``tests/stats/test_rollup_exact.py``
holds it equal to these on data, after series of writes.
"""

from decimal import Decimal

from django.db.models import DecimalField, F, Q, QuerySet, Sum

from agreements.enums import COMMITTED_STATUSES
from agreements.models import ProgrammeLine
from trainings.enums import AttendanceStatus, RegistrationStatus
from trainings.models import HALF_DAY, Attendance

ONE_DECIMAL = Decimal("0.1")

# A delivered half-day: an attendance mark « present » of a confirmed registration, whatever the session's
# status. Each is half a trainee-day (``HALF_DAY``), the figure CNFPT reports.
DELIVERED_HALF_DAY = Q(status=AttendanceStatus.PRESENT, registration__status=RegistrationStatus.CONFIRMED)

# Planned trainee-days of programme lines: Σ planned days × planned trainees (a three-year contract plans
# three years, one line per year).
PLANNED_TRAINEE_DAYS = Sum(F("planned_days") * F("planned_trainees"), output_field=DecimalField())


def delivered_half_days(delegation_id: int | None = None) -> QuerySet[Attendance]:
    """Every delivered half-day (``DELIVERED_HALF_DAY``), of the actions of ``delegation_id`` when given."""
    attendances = Attendance.objects.filter(DELIVERED_HALF_DAY).order_by()
    if delegation_id is not None:
        attendances = attendances.filter(half_day__session__action__delegation_id=delegation_id)
    return attendances


def committed_programme_lines(delegation_id: int | None = None) -> QuerySet[ProgrammeLine]:
    """The programme lines whose planned trainee-days count: those of contracts signed, in force, expired or
    terminated (``COMMITTED_STATUSES``), of ``delegation_id``'s contracts when given."""
    lines = ProgrammeLine.objects.filter(contract__status__in=COMMITTED_STATUSES).order_by()
    if delegation_id is not None:
        lines = lines.filter(contract__delegation_id=delegation_id)
    return lines


def days(value) -> Decimal:
    """A number of days as the statistics give it: one decimal."""
    return Decimal(value or 0).quantize(ONE_DECIMAL)


def trainee_days(half_days) -> Decimal:
    """The trainee-days of a number of half-days (delivered or scheduled): each is half a day."""
    return days((half_days or 0) * HALF_DAY)


def share(part, whole) -> float:
    """Percentage with one decimal; 0 when there is nothing to share."""
    return round(100 * float(part) / float(whole), 1) if whole else 0.0
