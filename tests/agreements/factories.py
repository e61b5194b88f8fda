"""Contracts built through the services, so that every test contract obeys the same rules as real ones."""

import datetime
from decimal import Decimal

from agreements.enums import ContractStatus
from agreements.models import Amendment, CollaborationAxis, FrameworkAgreement
from agreements.services import drafting, lifecycle
from agreements.services.rows import LineData, PartyData
from agreements.signing.services import sending
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
    return PartyData(**data)


def line(year=2027, **overrides):
    data = {
        "year": year,
        "theme": ThemeFactory(),
        "title": "Élaboration du plan de formation",
        "planned_days": Decimal("3"),
        "planned_trainees": 10,
    }
    data.update(overrides)
    return LineData(**data)


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
    contract = drafting.contract_create(
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
    # Sent for signature without the requests: the reference and the document presented for signature.
    lifecycle.contract_submit_for_signature(contract=contract, actor=actor)
    sending.contract_render_document_for_signature(contract=contract, actor=actor)
    contract.refresh_from_db()
    if status == ContractStatus.READY_FOR_SIGNATURE:
        return contract
    lifecycle.contract_mark_signed_by_collectivity(contract=contract)
    contract.refresh_from_db()
    if status == ContractStatus.SIGNED_BY_COLLECTIVITY:
        return contract
    lifecycle.contract_mark_signed(contract=contract, actor=actor, today=start - datetime.timedelta(days=1))
    contract.refresh_from_db()
    if status == ContractStatus.ACTIVE:
        lifecycle.contracts_update_periods(today=start)
        contract.refresh_from_db()
    return contract


def make_programmed_draft(*, actor, collectivities, advisers=(), deliberation_missing=True):
    """A draft as delegations write them: a union of ``collectivities``, three programme lines over
    two years and two themes, referent advisers; the délibération date of the last party still missing."""
    plan = ThemeFactory(family="hr_support", code="plan-de-formation")
    health = ThemeFactory(family="development_projects", code="sante-au-travail")
    last = len(collectivities) - 1
    return drafting.contract_create(
        actor=actor,
        delegation=actor.delegation,
        title="Contrat de partenariat de formation professionnelle territorialisée",
        start_date=datetime.date(2027, 1, 1),
        end_date=datetime.date(2029, 12, 31),
        objectives="Accompagner les communes dans leur plan de formation.",
        specific_clauses="Les sessions se tiennent dans les locaux de la collectivité.",
        delegate=actor,
        advisers=list(advisers),
        parties=[
            party(c, deliberation_date=None if deliberation_missing and i == last else datetime.date(2026, 6, 1))
            for i, c in enumerate(collectivities)
        ],
        lines=[
            line(2027, theme=plan, title="Élaboration du plan de formation", planned_days=Decimal("3")),
            line(2027, theme=health, title="Prévention des risques psychosociaux", planned_days=Decimal("2")),
            line(2028, theme=health, title="Santé au travail des agents techniques", planned_trainees=24),
        ],
    )


def make_framework_agreement(*, axes: list[str], amendments: list[str], **fields) -> FrameworkAgreement:
    """A framework agreement between fictional signatories, with its axes (numbered from 1) and amendments."""
    agreement = FrameworkAgreement.objects.create(
        title="Accord-cadre de coopération entre le CNFPT et l'AMF",
        cnfpt_signatory="Claire Dumont (fictive)",
        cnfpt_signatory_function="Présidente du CNFPT",
        amf_signatory="Paul Girard (fictif)",
        amf_signatory_function="Président de l'AMF",
        **fields,
    )
    for number, title in enumerate(axes, start=1):
        CollaborationAxis.objects.create(agreement=agreement, number=number, title=title)
    for number, title in enumerate(amendments, start=1):
        Amendment.objects.create(agreement=agreement, number=number, title=title)
    return agreement
