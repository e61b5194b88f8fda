"""Drafting a partnership contract: its defaults and checks, creating and editing a draft, its reference."""

import datetime
from collections.abc import Collection, Iterable

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from partnership import history, permissions
from partnership.conflicts import StaleState
from partnership.enums import CollectivityUse, HistoryAction, Role
from partnership.models import Delegation, User
from partnership.models_utils import model_update
from partnership.services import collectivity_check_covered_by_cnfpt

from ..enums import BINDING_STATUSES, ContractStatus
from ..models import ContractParty, ContractTransition, PartnershipContract, ProgrammeLine, ReferenceCounter
from ..selectors import DELEGATE_FUNCTION_PREFIX
from .rows import (
    LINE_FIELDS,
    PARTY_FIELDS,
    LineData,
    PartyData,
    rows_history,
    rows_plan_lines,
    rows_plan_parties,
    rows_record_history,
    rows_write,
)


def default_end_date(start_date: datetime.date) -> datetime.date:
    """The end of a contract of the default duration (three years) starting on ``start_date``.

    The one place this is decided: the services apply it to a contract created or changed without an end
    date, and the demonstration and the measurement dataset call it.
    """
    return start_date + relativedelta(years=settings.CONTRACT_DEFAULT_DURATION_YEARS) - datetime.timedelta(days=1)


def default_delegate(delegation: Delegation) -> User | None:
    """The countersignatory a contract of ``delegation`` proposes: its délégué régional, the active agent of the
    delegation whose function starts with « Délégué »; ``None`` when it has none. The form proposes it, the
    user may choose another agent of the delegation."""
    return User.objects.filter(
        role=Role.DELEGATION_STAFF,
        delegation=delegation,
        is_active=True,
        function__istartswith=DELEGATE_FUNCTION_PREFIX,
    ).first()


def _actor_label(actor) -> str:
    if actor is None:
        return "Plateforme (automatique)"
    return f"{actor.get_full_name()} ({actor.get_role_display()})"


def contract_transition_record(contract, *, from_status: str, to_status: str, actor, comment: str = "") -> None:
    ContractTransition.objects.create(
        contract=contract,
        from_status=from_status,
        to_status=to_status,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=_actor_label(actor),
        comment=comment,
    )


# --- Validation ---------------------------------------------------------------------------------


def delegation_check_can_manage_contracts(*, actor: User, delegation: Delegation) -> None:
    """Refuse ``actor`` unless they may manage the contracts of ``delegation`` (signing asks too)."""
    if not permissions.can_manage_delegation(actor, delegation.pk):
        raise ValidationError("Vous ne pouvez pas gérer les contrats de cette délégation.", code="forbidden")


# The years a contract and its programme may span; beyond them, date arithmetic overflows (year 9999 + 3).
CONTRACT_FIRST_YEAR, CONTRACT_LAST_YEAR = 2000, 2100
# A programme line's planned trainees, well within the database's integer range.
PLANNED_TRAINEES_MAX = 100_000


def validate_contract_date(value: datetime.date) -> None:
    """A contract date lies between ``CONTRACT_FIRST_YEAR`` and ``CONTRACT_LAST_YEAR`` (form fields use it too)."""
    if not CONTRACT_FIRST_YEAR <= value.year <= CONTRACT_LAST_YEAR:
        raise ValidationError(
            f"Indiquez une date comprise entre {CONTRACT_FIRST_YEAR} et {CONTRACT_LAST_YEAR}.", code="out_of_range"
        )


def _check_dates(start_date, end_date=None) -> None:
    errors = {}
    for field, value in (("start_date", start_date), ("end_date", end_date)):
        try:
            if value is not None:
                validate_contract_date(value)
        except ValidationError as exc:
            errors[field] = exc.messages
    if errors:
        raise ValidationError(errors)


def _check_period(start_date, end_date) -> None:
    if end_date <= start_date:
        raise ValidationError({"end_date": "La date de fin doit être postérieure à la date de début."})


def _check_parties(delegation: Delegation, parties: list[PartyData]) -> None:
    if not parties:
        raise ValidationError("Indiquez au moins une collectivité partie au contrat.", code="no_party")
    seen = set()
    territory = set(delegation.departments.values_list("pk", flat=True))
    for party in parties:
        if party.collectivity.pk in seen:
            raise ValidationError(
                f"{party.collectivity.name} figure deux fois parmi les parties.", code="duplicate_party"
            )
        seen.add(party.collectivity.pk)
        collectivity_check_covered_by_cnfpt(collectivity=party.collectivity, use=CollectivityUse.CONTRACT_PARTY)
        if party.collectivity.department_id not in territory:
            raise ValidationError(
                f"{party.collectivity.name} ({party.collectivity.department.code}) n'est pas sur le territoire de la "
                f"{delegation.name}.",
                code="outside_territory",
            )


def _check_lines(lines: list[LineData], start_date, end_date) -> None:
    for line in lines:
        if not 0 < line.planned_trainees <= PLANNED_TRAINEES_MAX:
            raise ValidationError(
                f"Le nombre de stagiaires prévus de l'action « {line.title} » doit être compris entre 1 et "
                f"{PLANNED_TRAINEES_MAX:_}.".replace("_", "\u202f"),
                code="planned_trainees_out_of_range",
            )
        if not start_date.year <= line.year <= end_date.year:
            raise ValidationError(
                f"L'année {line.year} de l'action « {line.title} » est hors de la période du contrat "
                f"({start_date.year}–{end_date.year}).",
                code="line_outside_period",
            )


def contract_check_no_overlap(*, delegation_id, collectivity_ids, start_date, end_date, exclude_pk=None) -> None:
    """Refuse a period that overlaps a binding contract of the same delegation and collectivité."""
    overlapping = (
        PartnershipContract.objects.filter(
            delegation_id=delegation_id,
            status__in=BINDING_STATUSES,
            parties__collectivity_id__in=collectivity_ids,
            start_date__lte=end_date,
            end_date__gte=start_date,
        )
        .exclude(pk=exclude_pk)
        .distinct()
        .first()
    )
    if overlapping is not None:
        names = ", ".join(
            overlapping.parties.filter(collectivity_id__in=collectivity_ids).values_list(
                "collectivity__name", flat=True
            )
        )
        raise ValidationError(
            f"Un contrat en cours ({overlapping.reference}, du {overlapping.start_date:%d/%m/%Y} au "
            f"{overlapping.end_date:%d/%m/%Y}) lie déjà la délégation à {names} sur cette période.",
            code="overlap",
        )


# What the action log keeps of a draft's own fields (parties and lines: ``PARTY_FIELDS``, ``LINE_FIELDS``).
CONTRACT_HISTORY_FIELDS = ("title", "start_date", "end_date", "objectives", "specific_clauses", "delegate", "advisers")

# --- Drafting -----------------------------------------------------------------------------------


@transaction.atomic
def contract_create(
    *,
    actor: User,
    delegation: Delegation,
    title: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    objectives: str = "",
    specific_clauses: str = "",
    delegate: User | None = None,
    advisers: Iterable[User] = (),
    parties: list[PartyData],
    lines: list[LineData] = (),
) -> PartnershipContract:
    """Create a draft contract with its parties and programme.

    Side effects: one ``ContractTransition`` (creation, → draft).
    """
    delegation_check_can_manage_contracts(actor=actor, delegation=delegation)
    _check_dates(start_date, end_date)
    end_date = end_date or default_end_date(start_date)
    _check_period(start_date, end_date)
    party_plan = rows_plan_parties(None, parties, ())
    line_plan = rows_plan_lines(None, list(lines), ())
    _check_parties(delegation, [data for _pk, data in party_plan.rows])
    _check_lines([data for _pk, data in line_plan.rows], start_date, end_date)
    contract_check_no_overlap(
        delegation_id=delegation.pk,
        collectivity_ids=[p.collectivity.pk for p in parties],
        start_date=start_date,
        end_date=end_date,
    )
    contract = PartnershipContract.objects.create(
        title=title,
        delegation=delegation,
        start_date=start_date,
        end_date=end_date,
        objectives=objectives,
        specific_clauses=specific_clauses,
        delegate=delegate,
        created_by=actor,
    )
    contract.advisers.set(advisers)
    rows_write(ContractParty, contract, party_plan, PARTY_FIELDS, ordered=True)
    rows_write(ProgrammeLine, contract, line_plan, LINE_FIELDS, ordered=False)
    contract_transition_record(
        contract, from_status="", to_status=ContractStatus.DRAFT, actor=actor, comment="Création"
    )
    return contract


@transaction.atomic
def contract_update(
    *,
    contract: PartnershipContract,
    actor: User,
    expected_version: int,
    title: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    objectives: str = "",
    specific_clauses: str = "",
    delegate: User | None = None,
    advisers: Iterable[User] = (),
    parties: list[PartyData],
    lines: list[LineData] = (),
    removed_parties: Collection[int] = (),
    removed_lines: Collection[int] = (),
) -> PartnershipContract:
    """Change a draft. Refused if it is no longer a draft or if someone saved it since ``expected_version``.

    ``parties`` and ``lines`` are the rows to add or change: one with a ``pk`` (or, for a party, of a
    collectivité already party) changes that row in place; one without is added. Existing rows not
    mentioned are kept: a row is deleted only when its id is in ``removed_parties`` or
    ``removed_lines``, so that a form that fails to send a row back cannot truncate the contract.
    Rows keep their ids, hence what hangs from them (training actions under a programme line, the
    signature requests of a party).

    Without ``end_date``, the contract ends after the default duration (``default_end_date``).

    Side effects: updates, adds and deletes parties and programme lines; bumps ``version``; one history
    entry per row changed and one for the contract's own fields (none for what did not change).
    """
    delegation_check_can_manage_contracts(actor=actor, delegation=contract.delegation)
    _check_dates(start_date, end_date)
    end_date = end_date or default_end_date(start_date)
    _check_period(start_date, end_date)
    # The values this change replaces, read before the claim below writes them: if the version read
    # here is not the one claimed, the claim fails and nothing is recorded.
    replaced = PartnershipContract.objects.filter(pk=contract.pk, version=expected_version).first()
    fields_before = history.values_of(replaced, CONTRACT_HISTORY_FIELDS) if replaced is not None else {}
    # Claim the draft first: the row lock this takes makes concurrent editors wait, then fail on the
    # version, so the rows read below are the ones this change replaces; any refusal rolls it back.
    updated = PartnershipContract.objects.filter(
        pk=contract.pk, status=ContractStatus.DRAFT, version=expected_version
    ).update(
        title=title,
        start_date=start_date,
        end_date=end_date,
        objectives=objectives,
        specific_clauses=specific_clauses,
        delegate=delegate,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if updated != 1:
        current = PartnershipContract.objects.get(pk=contract.pk)
        if current.status != ContractStatus.DRAFT:
            raise StaleState(
                "Ce contrat n'est plus un brouillon : il ne peut plus être modifié. Un contrat signé se modifie par avenant.",
                code="not_draft",
            )
        raise StaleState(
            "Quelqu'un a enregistré ce contrat pendant que vous le modifiiez. Rechargez la page pour repartir de sa "
            "dernière version ; vos saisies n'ont pas été enregistrées.",
            code="stale",
        )
    rows_before = rows_history(contract)
    party_plan = rows_plan_parties(contract, parties, removed_parties)
    line_plan = rows_plan_lines(contract, list(lines), removed_lines)
    final_parties = [data for _pk, data in party_plan.rows]
    _check_parties(contract.delegation, final_parties)
    _check_lines([data for _pk, data in line_plan.rows], start_date, end_date)
    contract_check_no_overlap(
        delegation_id=contract.delegation_id,
        collectivity_ids=[p.collectivity.pk for p in final_parties],
        start_date=start_date,
        end_date=end_date,
        exclude_pk=contract.pk,
    )
    contract.refresh_from_db()
    contract.advisers.set(advisers)
    rows_write(ContractParty, contract, party_plan, PARTY_FIELDS, ordered=True)
    rows_write(ProgrammeLine, contract, line_plan, LINE_FIELDS, ordered=False)
    rows_record_history(actor=actor, contract=contract, before=rows_before, after=rows_history(contract))
    history.record(
        actor=actor,
        obj=contract,
        action=HistoryAction.UPDATED,
        before=fields_before,
        after=history.values_of(contract, CONTRACT_HISTORY_FIELDS),
    )
    return contract


# --- Numbering ----------------------------------------------------------------------------------


def contract_next_reference(*, year: int, department_code: str) -> str:
    """``PFP`` + two-digit year + département + three-digit sequence, e.g. ``PFP2669001``.

    The counter row is locked (SELECT … FOR UPDATE) so that concurrent submissions of the same
    year and département wait for each other; the unique constraint on ``reference`` backs it up.
    """
    ReferenceCounter.objects.bulk_create(
        [ReferenceCounter(year=year, department_code=department_code)], ignore_conflicts=True
    )
    counter = ReferenceCounter.objects.select_for_update().get(year=year, department_code=department_code)
    model_update(instance=counter, fields=["last_value"], data={"last_value": counter.last_value + 1}, clean=False)
    return f"PFP{year % 100:02d}{department_code}{counter.last_value:03d}"
