"""Demo contracts in every state, for the demo delegation (Auvergne-Rhône-Alpes) and one other."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from partnership.models import Collectivity

from . import services, signing
from .enums import ContractStatus
from .models import PartnershipContract, SignatureRequest, Theme

# (title, [(INSEE or SIREN, signatory name, function)], start, end, final status)
DEMO_CONTRACTS = [
    (
        "Plan de formation et prévention des risques psychosociaux 2024-2026",
        [("42218", "Gaël Perdriau", "Maire")],
        datetime.date(2024, 1, 1),
        datetime.date(2026, 12, 31),
        ContractStatus.ACTIVE,
    ),
    (
        "Partenariat formation 2027-2029",
        [("42218", "Gaël Perdriau", "Maire")],
        datetime.date(2027, 1, 1),
        None,
        ContractStatus.DRAFT,
    ),
    (
        "Accompagnement des petites communes du Pilat",
        [("42207", "Hervé Reynaud", "Maire")],
        datetime.date(2027, 1, 1),
        None,
        ContractStatus.READY_FOR_SIGNATURE,
    ),
    (
        "Égalité des chances et handicap",
        [("42187", "Yves Nicolin", "Maire")],
        datetime.date(2026, 9, 1),
        None,
        ContractStatus.SIGNED_BY_COLLECTIVITY,
    ),
    (
        "Développement durable et transition écologique",
        [("69266", "Cédric Van Styvendael", "Maire")],
        datetime.date(2027, 3, 1),
        None,
        ContractStatus.SIGNED,
    ),
    (
        "Lutte contre l'illettrisme 2021-2023",
        [("42095", "Julien Luya", "Maire")],
        datetime.date(2021, 1, 1),
        datetime.date(2023, 12, 31),
        ContractStatus.EXPIRED,
    ),
    (
        "Santé au travail",
        [("42147", "Christophe Bazile", "Maire")],
        datetime.date(2025, 1, 1),
        None,
        ContractStatus.TERMINATED,
    ),
    (
        "Union des collectivités du Nord-Ardèche",
        [("07010", "Simon Plénet", "Maire"), ("07324", "Jacques Dubay", "Maire")],
        datetime.date(2027, 1, 1),
        None,
        ContractStatus.READY_FOR_SIGNATURE,
    ),
]

LINES = [
    ("plan-de-formation", "hr_support", "Élaboration du plan de formation", Decimal("4"), 12),
    ("sante-au-travail", "development_projects", "Prévention des risques psychosociaux", Decimal("2"), 20),
    ("illettrisme", "hr_support", "Savoirs de base pour les agents", Decimal("10"), 8),
]


def _create(accounts, title, parties, start, end, target, delegation, actor, delegate):
    themes = {(t.code, t.family): t for t in Theme.objects.all()}
    end = end or services.default_end_date(start)
    party_data = [
        services.PartyData(
            collectivity=Collectivity.objects.select_related("department").get(code=code),
            signatory_name=name,
            signatory_function=function,
            signatory_email=accounts["signatory"].email if code == "42218" else f"mairie-{code}@demo.example.fr",
            deliberation_date=start - datetime.timedelta(days=60),
        )
        for code, name, function in parties
    ]
    if any(p.collectivity.pk == accounts["other_signatory"].collectivity_id for p in party_data):
        party_data[0] = services.PartyData(
            **{**party_data[0].__dict__, "signatory_email": accounts["other_signatory"].email}
        )
    lines = [
        services.LineData(year=year, theme=themes[(code, family)], title=label, planned_days=days, planned_trainees=n)
        for year in range(start.year, end.year + 1)
        for code, family, label, days, n in LINES
    ]
    contract = services.contract_create(
        actor=actor,
        delegation=delegation,
        title=title,
        start_date=start,
        end_date=end,
        objectives="Développer les compétences des agents et accompagner la collectivité dans sa politique de formation.",
        delegate=delegate,
        advisers=[actor],
        parties=party_data,
        lines=lines,
    )
    if target == ContractStatus.DRAFT:
        return contract
    if target == ContractStatus.READY_FOR_SIGNATURE:
        # Real signature requests: the signatory receives a link (in the console in development).
        return signing.contract_send_for_signature(contract=contract, actor=actor)
    # Later states stand for contracts signed before the platform existed: no online requests.
    services.contract_submit_for_signature(contract=contract, actor=actor)
    services.contract_mark_signed_by_collectivity(contract=contract, comment="Signature de la collectivité (démo)")
    if target == ContractStatus.SIGNED_BY_COLLECTIVITY:
        return contract
    services.contract_mark_signed(contract=contract, actor=delegate, comment="Contre-signature (démo)")
    if target == ContractStatus.EXPIRED:
        services.contracts_update_periods()
    if target == ContractStatus.TERMINATED:
        contract.refresh_from_db()
        services.contract_terminate(contract=contract, actor=actor, reason="Fusion de services (démo)")
    return contract


def _reminders_due(delegation) -> None:
    """Let the reminders engine find work on a fresh demo: links sent 4 and 28 days ago, a contract ending soon.

    Runs after commit, once the signature links went out (eagerly in development), since sending a link
    stamps its dates.
    """
    now = timezone.now()
    for title, days_ago in (
        ("Accompagnement des petites communes du Pilat", 4),
        ("Union des collectivités du Nord-Ardèche", 28),
    ):
        request = (
            SignatureRequest.objects.filter(
                contract__delegation=delegation, contract__title=title, status="sent", step=1
            )
            .order_by("pk")
            .first()
        )
        if request is not None and request.sent_at and now - request.sent_at < datetime.timedelta(days=1):
            sent_at = now - datetime.timedelta(days=days_ago)
            SignatureRequest.objects.filter(pk=request.pk).update(
                sent_at=sent_at, expires_at=sent_at + datetime.timedelta(days=settings.SIGNATURE_LINK_VALIDITY_DAYS)
            )


def _ending_soon(accounts, delegation, actor, delegate) -> None:
    """An active contract ending in 80 days: the « renouveler ou laisser expirer » reminder is due."""
    title = "Accompagnement RH de la commune d'Andrézieux-Bouthéon"
    if PartnershipContract.objects.filter(delegation=delegation, title=title).exists():
        return
    end = timezone.localdate() + datetime.timedelta(days=80)
    start = end.replace(year=end.year - 3) + datetime.timedelta(days=1)
    parties = [("42005", "Frank Guillot", "Maire")]
    _create(accounts, title, parties, start, end, ContractStatus.ACTIVE, delegation, actor, delegate)


@transaction.atomic
def seed(accounts):
    actor, delegate = accounts["delegation"], accounts["delegate"]
    delegation = actor.delegation
    for title, parties, start, end, target in DEMO_CONTRACTS:
        if PartnershipContract.objects.filter(delegation=delegation, title=title).exists():
            continue
        _create(accounts, title, parties, start, end, target, delegation, actor, delegate)
    _ending_soon(accounts, delegation, actor, delegate)
    transaction.on_commit(lambda: _reminders_due(delegation))
    other = accounts["other_delegation"]
    title = "Partenariat formation de la ville de Rennes"
    if not PartnershipContract.objects.filter(delegation=other.delegation, title=title).exists():
        _create(
            accounts,
            title,
            [("35238", "Nathalie Appéré", "Maire")],
            datetime.date(2025, 1, 1),
            None,
            ContractStatus.ACTIVE,
            other.delegation,
            other,
            other,
        )
