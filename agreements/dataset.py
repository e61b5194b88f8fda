"""This app's rows of the synthetic national year (``generate_dataset``): contracts, parties, programme lines."""

import datetime
from decimal import Decimal

from partnership.dataset_registry import Dataset, Step, picker, register

from .enums import ContractStatus
from .models import ContractParty, ContractTransition, PartnershipContract, ProgrammeLine, Theme
from .services import default_end_date

# Shares drawn from, as (value, weight).
CONTRACT_STATUSES = [
    (ContractStatus.DRAFT, 6),
    (ContractStatus.READY_FOR_SIGNATURE, 4),
    (ContractStatus.SIGNED_BY_COLLECTIVITY, 2),
    (ContractStatus.SIGNED, 3),
    (ContractStatus.ACTIVE, 65),
    (ContractStatus.EXPIRED, 15),
    (ContractStatus.TERMINATED, 5),
]
# The contracts whose programme lines trainings may run under.
COMMITTED = {ContractStatus.SIGNED, ContractStatus.ACTIVE, ContractStatus.EXPIRED, ContractStatus.TERMINATED}


def contracts(dataset: Dataset) -> None:
    """Ten thousand contracts by default (``bulk_create``), one to three parties each, a programme line a year.

    Provides ``programme_lines_by_delegation``: the programme year's lines of committed contracts.
    """
    rng, options = dataset.rng, dataset.options
    themes = list(Theme.objects.order_by("pk"))
    status_of = picker(rng, CONTRACT_STATUSES)
    first = PartnershipContract.objects.count()
    new = []
    for index in range(options["contracts"]):
        delegation = dataset.pick_delegation()[0]
        status = status_of()[0]
        year = options["year"] - rng.choice([0, 1, 2]) if status != ContractStatus.EXPIRED else 2022
        start = datetime.date(year, rng.randint(1, 12), 1)
        new.append(
            PartnershipContract(
                reference=None if status == ContractStatus.DRAFT else f"PFX{first + index:07d}",
                title=f"Contrat de formation n° {first + index + 1}",
                delegation=delegation,
                start_date=start,
                end_date=default_end_date(start),
                status=status,
                objectives="Jeu de données de mesure.",
            )
        )
    created = PartnershipContract.objects.bulk_create(new, batch_size=2000)
    parties, lines, transitions = [], [], []
    for contract in created:
        chosen = set(dataset.employers(contract.delegation_id, rng.choice([1, 1, 1, 2, 3])))
        for position, collectivity_id in enumerate(sorted(chosen)):
            parties.append(
                ContractParty(
                    contract=contract,
                    collectivity_id=collectivity_id,
                    signatory_name="Maire de la commune",
                    signatory_function="Maire",
                    signatory_email=f"mairie-{collectivity_id}@bench.example",
                    deliberation_date=contract.start_date - datetime.timedelta(days=30),
                    position=position,
                )
            )
        for year in range(contract.start_date.year, contract.end_date.year + 1):
            theme = rng.choice(themes)
            lines.append(
                ProgrammeLine(
                    contract=contract,
                    year=year,
                    theme=theme,
                    title=theme.label[:200],
                    planned_days=Decimal(rng.choice([1, 2, 3, 5])),
                    planned_trainees=rng.randint(5, 60),
                )
            )
        transitions.append(
            ContractTransition(
                contract=contract, from_status="", to_status=contract.status, actor_label="Jeu de mesure"
            )
        )
    ContractParty.objects.bulk_create(parties, batch_size=5000)
    ProgrammeLine.objects.bulk_create(lines, batch_size=5000)
    ContractTransition.objects.bulk_create(transitions, batch_size=5000)
    status = {contract.pk: contract.status for contract in created}
    delegation = {contract.pk: contract.delegation_id for contract in created}
    lines_by_delegation: dict[int, list[tuple[int, int]]] = {}
    for line in lines:
        if line.year == options["year"] and status[line.contract_id] in COMMITTED:
            lines_by_delegation.setdefault(delegation[line.contract_id], []).append((line.pk, line.theme_id))
    dataset.provide("programme_lines_by_delegation", lines_by_delegation)
    dataset.counts.update(contrats=len(created), parties=len(parties), **{"lignes de programme": len(lines)})
    dataset.log(f"{len(created)} contrats.")


register(Step("contracts", 10, contracts))
