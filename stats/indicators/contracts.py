"""Axis 1, the contracts: how many in each status, by delegation and by start year, and the trainee-days
their programmes plan. Aggregated figures, each in a constant number of queries; ``delegation_id`` (optional)
narrows one to a CNFPT regional delegation, ``None`` gives the national figures."""

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear

from agreements.enums import ContractStatus
from agreements.models import PartnershipContract
from partnership.models import Delegation
from partnership.text import french_sort_key

from ..definitions import PLANNED_TRAINEE_DAYS, committed_programme_lines, days


def _contracts(delegation_id: int | None) -> QuerySet[PartnershipContract]:
    contracts = PartnershipContract.objects.order_by()
    if delegation_id is not None:
        contracts = contracts.filter(delegation_id=delegation_id)
    return contracts


def contracts_by_status(*, delegation_id: int | None = None) -> list[dict]:
    """Number of contracts in each status of the lifecycle past draft (zeros included). 1 query.

    Drafts are work in progress of a delegation, not yet contracts: public figures leave them out.
    """
    counts = dict(
        _contracts(delegation_id)
        .exclude(status=ContractStatus.DRAFT)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [
        {"status": value, "label": label, "count": counts.get(value, 0)}
        for value, label in ContractStatus.choices
        if value != ContractStatus.DRAFT
    ]


def contracts_by_delegation(*, delegation_id: int | None = None) -> list[dict]:
    """Per delegation: contracts past draft, of which in force (``active``). 1 query.

    Drafts are work in progress of the delegation, not yet contracts: they are not counted.
    """
    delegations = Delegation.objects.order_by("name")
    if delegation_id is not None:
        delegations = delegations.filter(pk=delegation_id)
    rows = delegations.annotate(
        contract_count=Count("contracts", filter=~Q(contracts__status=ContractStatus.DRAFT)),
        active_count=Count("contracts", filter=Q(contracts__status=ContractStatus.ACTIVE)),
    ).values("code", "name", "contract_count", "active_count")
    return [
        {"code": r["code"], "delegation": r["name"], "contracts": r["contract_count"], "active": r["active_count"]}
        for r in sorted(rows, key=lambda r: french_sort_key(r["name"]))
    ]


def contracts_by_start_year(*, delegation_id: int | None = None) -> list[dict]:
    """Per year: contracts (past draft) whose period starts that year. 1 query."""
    counts = (
        _contracts(delegation_id)
        .exclude(status=ContractStatus.DRAFT)
        .annotate(year=ExtractYear("start_date"))
        .values_list("year")
        .annotate(n=Count("pk"))
        .values_list("year", "n")
        .order_by("year")
    )
    return [{"year": year, "contracts": n} for year, n in counts]


def planned_trainee_days_by_year(*, delegation_id: int | None = None) -> list[dict]:
    """Per programme year: trainee-days planned by the contracts that commit the delegation. 1 query.

    Σ planned days × planned trainees of the programme lines of that year (``PLANNED_TRAINEE_DAYS``), over
    contracts signed, in force, expired or terminated (``committed_programme_lines``, as the planned figures by
    theme), and the number of those contracts with a line that year. A three-year contract plans three years.
    """
    rows = (
        committed_programme_lines(delegation_id)
        .values_list("year")
        .annotate(contracts=Count("contract", distinct=True), total=PLANNED_TRAINEE_DAYS)
        .values_list("year", "contracts", "total")
        .order_by("year")
    )
    return [
        {"year": year, "contracts": contracts, "planned_trainee_days": days(total)} for year, contracts, total in rows
    ]
