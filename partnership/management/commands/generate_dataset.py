"""A synthetic, realistic-sized dataset for load benchmarks (never for production).

Contracts are written in bulk, bypassing the services (which render a PDF per contract): the
benchmark measures reads, and the rows obey the same database constraints.
"""

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agreements.enums import ContractStatus
from agreements.models import ContractParty, ContractTransition, PartnershipContract, ProgrammeLine, Theme
from partnership.enums import CollectivityKind
from partnership.models import Collectivity, Delegation

STATUSES = [
    ContractStatus.DRAFT,
    ContractStatus.READY_FOR_SIGNATURE,
    ContractStatus.SIGNED,
    ContractStatus.ACTIVE,
    ContractStatus.ACTIVE,
    ContractStatus.ACTIVE,
    ContractStatus.EXPIRED,
    ContractStatus.TERMINATED,
]


class Command(BaseCommand):
    help = "Génère un jeu de données synthétique pour les mesures de charge (refusé en production)."

    def add_arguments(self, parser):
        parser.add_argument("--contracts", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--allow-production", action="store_true")

    @transaction.atomic
    def handle(self, *args, contracts, seed, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError("Refusé : ce jeu de données est synthétique.")
        rng = random.Random(seed)
        themes = list(Theme.objects.all())
        delegations = list(Delegation.objects.prefetch_related("departments"))
        communes_by_delegation = {}
        for delegation in delegations:
            ids = list(
                # Written in bulk, past the services: the Paris rule is applied here by the same predicate.
                Collectivity.objects.covered_by_cnfpt()
                .filter(kind=CollectivityKind.COMMUNE, department__in=delegation.departments.all())
                .values_list("pk", "department__code")
            )
            communes_by_delegation[delegation.pk] = ids
        start_reference = PartnershipContract.objects.count()
        new_contracts = []
        for index in range(contracts):
            delegation = delegations[index % len(delegations)]
            status = STATUSES[index % len(STATUSES)]
            year = rng.choice([2021, 2022, 2023, 2024, 2025, 2026])
            start = datetime.date(year, rng.randint(1, 12), 1)
            new_contracts.append(
                PartnershipContract(
                    reference=None if status == ContractStatus.DRAFT else f"PFX{start_reference + index:07d}",
                    title=f"Contrat de formation n° {index + 1}",
                    delegation=delegation,
                    start_date=start,
                    end_date=start.replace(year=start.year + 3) - datetime.timedelta(days=1),
                    status=status,
                    objectives="Jeu de données de mesure.",
                )
            )
        created = PartnershipContract.objects.bulk_create(new_contracts, batch_size=1000)
        parties, lines, transitions = [], [], []
        for contract in created:
            communes = communes_by_delegation[contract.delegation_id]
            for position, (commune_id, _code) in enumerate(
                rng.sample(communes, k=min(len(communes), rng.choice([1, 1, 1, 2, 3])))
            ):
                parties.append(
                    ContractParty(
                        contract=contract,
                        collectivity_id=commune_id,
                        signatory_name="Maire de la commune",
                        signatory_function="Maire",
                        signatory_email=f"mairie-{commune_id}@bench.example",
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
                        planned_trainees=rng.randint(5, 40),
                    )
                )
            transitions.append(
                ContractTransition(
                    contract=contract, from_status="", to_status=contract.status, actor_label="Jeu de mesure"
                )
            )
        ContractParty.objects.bulk_create(parties, batch_size=2000)
        ProgrammeLine.objects.bulk_create(lines, batch_size=2000)
        ContractTransition.objects.bulk_create(transitions, batch_size=2000)
        self.stdout.write(f"{len(created)} contrats, {len(parties)} parties, {len(lines)} lignes de programme générés.")
