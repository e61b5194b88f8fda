"""Contracts built through the services, so that every test contract obeys the same rules as real ones."""

import datetime
from decimal import Decimal

from agreements import services
from agreements.enums import ContractStatus
from tests.factories import ThemeFactory


def party(collectivity, **overrides):
    data = {
        "collectivity": collectivity,
        "signatory_name": "Marie Martin",
        "signatory_function": "Maire",
        "signatory_email": f"maire-{collectivity.code}@example.fr",
        "deliberation_date": datetime.date(2026, 6, 1),
    }
    data.update(overrides)
    return services.PartyData(**data)


def line(year=2027, **overrides):
    data = {
        "year": year,
        "theme": ThemeFactory(),
        "title": "Élaboration du plan de formation",
        "planned_days": Decimal("3"),
        "planned_trainees": 10,
    }
    data.update(overrides)
    return services.LineData(**data)


def make_contract(
    *,
    actor,
    collectivities,
    status=ContractStatus.DRAFT,
    start=datetime.date(2027, 1, 1),
    end=None,
    title="Contrat de test",
    delegate=None,
):
    contract = services.contract_create(
        actor=actor,
        delegation=actor.delegation,
        title=title,
        start_date=start,
        end_date=end,
        delegate=delegate or actor,
        parties=[party(c) for c in collectivities],
        lines=[line(year=start.year)],
    )
    if status == ContractStatus.DRAFT:
        return contract
    services.contract_submit_for_signature(contract=contract, actor=actor)
    contract.refresh_from_db()
    if status == ContractStatus.READY_FOR_SIGNATURE:
        return contract
    services.contract_mark_signed_by_collectivity(contract=contract)
    contract.refresh_from_db()
    if status == ContractStatus.SIGNED_BY_COLLECTIVITY:
        return contract
    services.contract_mark_signed(contract=contract, actor=actor, today=start - datetime.timedelta(days=1))
    contract.refresh_from_db()
    if status == ContractStatus.ACTIVE:
        services.contracts_update_periods(today=start)
        contract.refresh_from_db()
    return contract
