"""Demo contracts in every state, for the demo delegation (Auvergne-Rhône-Alpes) and one other.

Contracts past the collectivité's signature go through the real signing flow, as their signers
would: link, one-time code, consent and signature in the portal for the mayor, then the délégué's
countersignature from the application; the platform then builds and seals the final PDF. So each
carries its audit trail and its sealed PDF, and ``manage.py verify_audit_trail`` passes.

Every signature happens now, at the real time of the seeding: the seal's trusted timestamp (a TSA in
production) could not say otherwise, and evidence is never forged. The business story stays in the
contracts' text and fields: their periods, the deliberations, a termination date; an old contract's
status (active, expired) comes from those dates, not from a moved clock.
"""

import datetime
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from partnership.demo import Seeder, register
from partnership.models import Collectivity

from . import demo_framework
from .axis5 import demo as axis5_demo
from .enums import ContractStatus
from .models import PartnershipContract, SignatureRequest, Theme
from .services import drafting, lifecycle
from .services.rows import LineData, PartyData
from .signing import selectors as signing_selectors
from .signing.services import completion, sending, signatures

PARIS = zoneinfo.ZoneInfo("Europe/Paris")

# The demo's signers are simulated: their requests come from a documentation address (RFC 5737).
DEMO_CLIENT = sending.Client(ip_address="192.0.2.10", user_agent="Démonstration (signataire simulé)")


# Every signatory below is fictional (``partnership.demo.FICTIONAL_PEOPLE``): the demo's contracts, audit
# trails and e-mails name no real mayor (``tests/partnership/test_demo_people.py``).


@dataclass(frozen=True)
class DemoContract:
    title: str
    parties: list[tuple[str, str, str]]  # (INSEE or SIREN, signatory name, function)
    start: datetime.date
    end: datetime.date | None
    target: str
    # The order of the business story (oldest first); ``None``: last. Signatures themselves happen now.
    signed_on: datetime.date | None = None
    terminated_on: datetime.date | None = None
    delegation: str = "delegation"  # the demo account whose delegation drafts it


DEMO_CONTRACTS = [
    DemoContract(
        "Lutte contre l'illettrisme 2021-2023",
        [("42095", "Odile Marcheval", "Maire")],
        datetime.date(2021, 1, 1),
        datetime.date(2023, 12, 31),
        ContractStatus.EXPIRED,
        signed_on=datetime.date(2020, 11, 16),
    ),
    DemoContract(
        "Plan de formation et prévention des risques psychosociaux 2024-2026",
        [("42218", "Mireille Fontanel", "Maire")],
        datetime.date(2024, 1, 1),
        datetime.date(2026, 12, 31),
        ContractStatus.ACTIVE,
        signed_on=datetime.date(2023, 11, 15),
    ),
    DemoContract(
        "Santé au travail",
        [("42147", "Thierry Vallançon", "Maire")],
        datetime.date(2025, 1, 1),
        None,
        ContractStatus.TERMINATED,
        signed_on=datetime.date(2024, 11, 13),
        terminated_on=datetime.date(2026, 6, 30),
    ),
    DemoContract(
        "Partenariat formation de la ville de Rennes",
        [("35238", "Gwenaëlle Kerbrat", "Maire")],
        datetime.date(2025, 1, 1),
        None,
        ContractStatus.ACTIVE,
        signed_on=datetime.date(2024, 11, 20),
        delegation="other_delegation",
    ),
    DemoContract(
        "Développement durable et transition écologique",
        [("69266", "Aurélien Castagné", "Maire")],
        datetime.date(2027, 3, 1),
        None,
        ContractStatus.SIGNED,
    ),
    DemoContract(
        "Égalité des chances et handicap",
        [("42187", "Pascal Dumontet", "Maire")],
        datetime.date(2027, 1, 1),
        None,
        ContractStatus.SIGNED_BY_COLLECTIVITY,
    ),
    DemoContract(
        "Partenariat formation 2027-2029",
        [("42218", "Mireille Fontanel", "Maire")],
        datetime.date(2027, 1, 1),
        None,
        ContractStatus.DRAFT,
    ),
    DemoContract(
        "Accompagnement des petites communes du Pilat",
        [("42207", "Sylvie Rochebrune", "Maire")],
        datetime.date(2027, 1, 1),
        None,
        ContractStatus.READY_FOR_SIGNATURE,
    ),
    DemoContract(
        "Union des collectivités du Nord-Ardèche",
        [("07010", "Damien Chareyron", "Maire"), ("07324", "Agnès Vialatte", "Maire")],
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

PAST_SIGNED = (ContractStatus.SIGNED, ContractStatus.ACTIVE, ContractStatus.EXPIRED, ContractStatus.TERMINATED)


def _create(accounts, spec: DemoContract, actor, delegate) -> PartnershipContract:
    themes = {(t.code, t.family): t for t in Theme.objects.all()}
    end = spec.end or drafting.default_end_date(spec.start)
    party_data = [
        PartyData(
            collectivity=Collectivity.objects.select_related("department").get(code=code),
            signatory_name=name,
            signatory_function=function,
            signatory_email=accounts["signatory"].email if code == "42218" else f"mairie-{code}@demo.example.fr",
            deliberation_date=spec.start - datetime.timedelta(days=60),
        )
        for code, name, function in spec.parties
    ]
    if any(p.collectivity.pk == accounts["other_signatory"].collectivity_id for p in party_data):
        party_data[0] = PartyData(**{**party_data[0].__dict__, "signatory_email": accounts["other_signatory"].email})
    lines = [
        LineData(year=year, theme=themes[(code, family)], title=label, planned_days=days, planned_trainees=n)
        for year in range(spec.start.year, end.year + 1)
        for code, family, label, days, n in LINES
    ]
    return drafting.contract_create(
        actor=actor,
        delegation=actor.delegation,
        title=spec.title,
        start_date=spec.start,
        end_date=end,
        objectives="Développer les compétences des agents et accompagner la collectivité dans sa politique de formation.",
        delegate=delegate,
        advisers=[actor],
        parties=party_data,
        lines=lines,
    )


def _sign(request, *, name: str, function: str, client: sending.Client) -> None:
    """What a signer does once their request is open: get the code, type it, consent and sign."""
    codes = []
    signatures.signature_request_send_code(
        request=request, client=client, deliver=lambda _request, code: codes.append(code)
    )
    signatures.signature_request_verify_code(request=request, code=codes[-1], client=client)
    request.refresh_from_db()
    signatures.signature_request_sign(
        request=request,
        name=name,
        function=function,
        consent=True,
        document_sha256=request.document.sha256,
        client=client,
    )


def _open_link(request) -> None:
    # What the e-mailing task does, minus the e-mail: the simulated signer needs no link to click.
    issued = sending.signature_request_issue_link(request_id=request.pk)
    if issued is not None:
        sending.signature_request_link_delivered(request=issued[0], reminder=False)
    signatures.signature_request_open(request=request, client=DEMO_CLIENT)


def _collectivities_sign(contract: PartnershipContract, names: dict[str, str]) -> None:
    for request in contract.signature_requests.filter(step=1).select_related("contract", "document"):
        _open_link(request)
        _sign(request, name=names[request.signer_email], function="Maire", client=DEMO_CLIENT)


def _delegate_countersigns(contract: PartnershipContract, delegate) -> None:
    request = signing_selectors.countersignature_request_for(delegate, contract)
    _open_link(request)
    client = sending.Client(ip_address=DEMO_CLIENT.ip_address, user_agent=DEMO_CLIENT.user_agent, account=delegate)
    _sign(request, name=delegate.get_full_name(), function=delegate.function or "Délégué régional", client=client)
    # The worker would do this once the countersignature commits; the demo does it on the same day.
    completion.contract_finalize(contract_id=contract.pk)


def _seed_one(accounts, spec: DemoContract) -> None:
    actor = accounts[spec.delegation]
    delegate = accounts["delegate"] if spec.delegation == "delegation" else actor
    contract = _create(accounts, spec, actor, delegate)
    if spec.target == ContractStatus.DRAFT:
        return
    # Real signature requests: a pending signer receives a link (in the console in development).
    contract = sending.contract_send_for_signature(contract=contract, actor=actor)
    if spec.target == ContractStatus.READY_FOR_SIGNATURE:
        return
    names = {party.signatory_email: party.signatory_name for party in contract.parties.all()}
    _collectivities_sign(contract, names)
    if spec.target == ContractStatus.SIGNED_BY_COLLECTIVITY:
        return
    _delegate_countersigns(contract, delegate)
    if spec.target in (ContractStatus.ACTIVE, ContractStatus.EXPIRED, ContractStatus.TERMINATED):
        lifecycle.contracts_update_periods(today=spec.start, contract_ids=[contract.pk])
    if spec.target == ContractStatus.EXPIRED:
        lifecycle.contracts_update_periods(today=spec.end + datetime.timedelta(days=1), contract_ids=[contract.pk])
    if spec.target == ContractStatus.TERMINATED:
        contract.refresh_from_db()
        lifecycle.contract_terminate(
            contract=contract, actor=actor, reason="Fusion de services (démo)", on_date=spec.terminated_on
        )


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


def _ending_soon() -> DemoContract:
    """An active contract ending in 80 days: the « renouveler ou laisser expirer » reminder is due."""
    end = timezone.localdate() + datetime.timedelta(days=80)
    start = end.replace(year=end.year - 3) + datetime.timedelta(days=1)
    return DemoContract(
        "Accompagnement RH de la commune d'Andrézieux-Bouthéon",
        [("42005", "Renaud Faverjon", "Maire")],
        start,
        end,
        ContractStatus.ACTIVE,
        signed_on=start - datetime.timedelta(days=45),
    )


@transaction.atomic
def seed(accounts):
    # In the order of the business story, oldest first.
    for spec in sorted([*DEMO_CONTRACTS, _ending_soon()], key=lambda s: s.signed_on or datetime.date.max):
        delegation = accounts[spec.delegation].delegation
        if PartnershipContract.objects.filter(delegation=delegation, title=spec.title).exists():
            continue
        _seed_one(accounts, spec)
    delegation = accounts["delegation"].delegation
    transaction.on_commit(lambda: _reminders_due(delegation))


# This app's parts of ``seed_demo`` (``partnership.demo``). Axis 5 is a sub-package of this app, not an
# installed app of its own: it is registered here. Events (20) come between the contracts and axis 5.
register(Seeder("framework_agreement", 0, demo_framework.seed))
register(Seeder("agreements", 10, seed))
register(Seeder("axis5", 30, axis5_demo.seed))
