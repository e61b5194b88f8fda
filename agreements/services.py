"""Every write and state change of partnership contracts.

The lifecycle (DESIGN.md): draft → ready for signature → signed by the collectivité → signed →
active (from its start date) → expired or terminated. A contract may go back to draft while
signatures are pending (a signer declined, or the delegation withdraws it). Each change of state
is a conditional UPDATE on the expected state, so two concurrent actors cannot both win, and is
recorded in the append-only ``ContractTransition`` history. Edits of a draft (its fields, parties
and programme lines), amendments that move the end date and attachments go in the action log
(``partnership.history``), which the contract page shows beside its transitions.
"""

import datetime
import hashlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from partnership import history, permissions
from partnership.enums import CollectivityUse, HistoryAction, Role
from partnership.models import Collectivity, Delegation, User
from partnership.models_utils import model_update
from partnership.services import collectivity_check_covered_by_cnfpt
from partnership.uploads import check_document

from .enums import BINDING_STATUSES, ContractStatus, DocumentKind
from .models import (
    ContractAmendment,
    ContractDocument,
    ContractParty,
    ContractTransition,
    PartnershipContract,
    ProgrammeLine,
    ReferenceCounter,
    Theme,
)
from .selectors import DELEGATE_FUNCTION_PREFIX

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    ContractStatus.DRAFT: {ContractStatus.READY_FOR_SIGNATURE},
    ContractStatus.READY_FOR_SIGNATURE: {ContractStatus.SIGNED_BY_COLLECTIVITY, ContractStatus.DRAFT},
    ContractStatus.SIGNED_BY_COLLECTIVITY: {ContractStatus.SIGNED, ContractStatus.DRAFT},
    ContractStatus.SIGNED: {ContractStatus.ACTIVE, ContractStatus.EXPIRED, ContractStatus.TERMINATED},
    ContractStatus.ACTIVE: {ContractStatus.EXPIRED, ContractStatus.TERMINATED},
    ContractStatus.EXPIRED: set(),
    ContractStatus.TERMINATED: set(),
}

ATTACHMENT_FORMATS = ("pdf", "docx", "xlsx", "odt", "ods", "png", "jpg", "jpeg")


@dataclass(frozen=True)
class PartyData:
    collectivity: Collectivity
    signatory_name: str
    signatory_function: str
    signatory_email: str
    deliberation_date: datetime.date | None = None
    # The existing party this changes; None for a new one (or one matched by its collectivité).
    pk: int | None = None


@dataclass(frozen=True)
class LineData:
    year: int
    theme: Theme
    title: str
    planned_days: Decimal
    planned_trainees: int
    # The existing programme line this changes; None for a new line.
    pk: int | None = None


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


def _record_transition(contract, *, from_status: str, to_status: str, actor, comment: str = "") -> None:
    ContractTransition.objects.create(
        contract=contract,
        from_status=from_status,
        to_status=to_status,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=_actor_label(actor),
        comment=comment,
    )


def _transition(contract: PartnershipContract, *, to_status: str, actor, comment: str = "", **fields) -> None:
    """Move ``contract`` to ``to_status`` if, and only if, it is still in the state we read."""
    from_status = contract.status
    if to_status not in ALLOWED_TRANSITIONS[from_status]:
        raise ValidationError(
            f"Un contrat « {ContractStatus(from_status).label} » ne peut pas passer à « {ContractStatus(to_status).label} ».",
            code="illegal_transition",
        )
    updated = PartnershipContract.objects.filter(pk=contract.pk, status=from_status).update(
        status=to_status, version=F("version") + 1, updated_at=timezone.now(), **fields
    )
    if updated != 1:
        raise ValidationError(
            "Le contrat a changé d'état entre-temps. Rechargez la page pour voir sa situation actuelle.",
            code="concurrent_transition",
        )
    contract.status = to_status
    contract.version += 1
    for name, value in fields.items():
        setattr(contract, name, value)
    _record_transition(contract, from_status=from_status, to_status=to_status, actor=actor, comment=comment)


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


def _check_no_overlap(*, delegation_id, collectivity_ids, start_date, end_date, exclude_pk=None) -> None:
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


PARTY_FIELDS = ("collectivity", "signatory_name", "signatory_function", "signatory_email", "deliberation_date")
LINE_FIELDS = ("year", "theme", "title", "planned_days", "planned_trainees")
# What the action log keeps of a draft's own fields (parties and lines: ``PARTY_FIELDS``, ``LINE_FIELDS``).
CONTRACT_HISTORY_FIELDS = ("title", "start_date", "end_date", "objectives", "specific_clauses", "delegate", "advisers")


def _rows_history(contract) -> dict[tuple[str, int], tuple[str, dict[str, history.Value]]]:
    """Each party and programme line of ``contract``: (kind, pk) → (what the history calls it, its values)."""
    rows = {}
    for party in contract.parties.select_related("collectivity"):
        rows["party", party.pk] = (f"Partie\u00a0: {party.collectivity}", history.values_of(party, PARTY_FIELDS))
    for line in contract.programme_lines.select_related("theme"):
        rows["line", line.pk] = (
            f"Ligne de programme «\u00a0{line.title}\u00a0» ({line.year})",
            history.values_of(line, LINE_FIELDS),
        )
    return rows


def _record_rows(*, actor, contract, before: dict, after: dict) -> None:
    """One entry per party or programme line added, changed or removed, the contract's own fields last."""
    for key in [*after, *(key for key in before if key not in after)]:
        if key not in after:
            subject, values = before[key]
            history.record(actor=actor, obj=contract, action=HistoryAction.REMOVED, subject=subject, before=values)
        elif key not in before:
            subject, values = after[key]
            history.record(actor=actor, obj=contract, action=HistoryAction.ADDED, subject=subject, after=values)
        else:
            history.record(
                actor=actor,
                obj=contract,
                action=HistoryAction.UPDATED,
                subject=after[key][0],
                before=before[key][1],
                after=after[key][1],
            )


@dataclass
class _RowPlan:
    """What saving a contract does to one kind of its rows: ``rows`` to keep, in order, and ``removed`` ids."""

    rows: list  # (existing pk or None for a new row, the data: a PartyData/LineData or the unchanged row)
    removed: set


def _plan_rows(existing: dict, changes: list, removed: Collection[int], *, what: str, same_row=None) -> _RowPlan:
    """The rows a contract will have: ``existing`` (by pk) with ``changes`` applied, minus ``removed``.

    A change names its row by ``pk``; a change naming none is a new row. A row neither changed nor
    removed is kept as it is: rows disappear only when asked for by id, so a form that fails to send
    a row back can never delete it. ``same_row(row, change)`` tells whether a change may be written
    over the row in place (a party whose collectivité changes is another party: old out, new in).
    """
    removed = set(removed)
    unknown = (removed | {c.pk for c in changes if c.pk is not None}) - set(existing)
    if unknown:
        raise ValidationError(
            f"{what} a été modifié entre-temps par quelqu'un d'autre. Rechargez la page pour repartir de sa "
            "dernière version ; vos saisies n'ont pas été enregistrées.",
            code="stale_rows",
        )
    rows, claimed = [], set()
    for change in changes:
        pk = change.pk
        if pk is not None and (pk in removed or pk in claimed):
            pk = None
        elif pk is not None and same_row is not None and not same_row(existing[pk], change):
            removed.add(pk)
            pk = None
        if pk is not None:
            claimed.add(pk)
        rows.append((pk, change))
    rows += [(pk, row) for pk, row in existing.items() if pk not in removed and pk not in claimed]
    return _RowPlan(rows=rows, removed=removed)


def _plan_parties(contract, parties: list[PartyData], removed: Collection[int]) -> _RowPlan:
    existing = {p.pk: p for p in contract.parties.select_related("collectivity__department")} if contract else {}
    removed = set(removed)
    by_collectivity = {p.collectivity_id: pk for pk, p in existing.items() if pk not in removed}
    changes = []
    for party in parties:
        # A caller that knows parties by their collectivité (imports, the admin) changes them in place too.
        pk = party.pk if party.pk is not None else by_collectivity.get(party.collectivity.pk)
        changes.append(replace(party, pk=pk, signatory_email=party.signatory_email.lower()))
    return _plan_rows(
        existing,
        changes,
        removed,
        what="La liste des collectivités parties",
        same_row=lambda row, change: row.collectivity_id == change.collectivity.pk,
    )


def _plan_lines(contract, lines: list[LineData], removed: Collection[int]) -> _RowPlan:
    existing = {line.pk: line for line in contract.programme_lines.select_related("theme")} if contract else {}
    plan = _plan_rows(existing, list(lines), removed, what="Le programme")
    in_use = sorted(
        ProgrammeLine.objects.filter(pk__in=plan.removed, training_actions__isnull=False)
        .values_list("title", flat=True)
        .distinct()
    )
    if in_use:
        listed = ", ".join(f"« {title} »" for title in in_use)
        which = (
            f"à la ligne {listed} : elle ne peut pas être retirée"
            if len(in_use) == 1
            else (f"aux lignes {listed} : elles ne peuvent pas être retirées")
        )
        raise ValidationError(f"Des actions de formation sont rattachées {which} du programme.", code="line_in_use")
    return plan


def _write_rows(model, contract, plan: _RowPlan, fields, *, ordered: bool) -> None:
    """Apply ``plan``: delete removed rows, update changed ones in place (only their changed fields), add new ones."""
    model.objects.filter(contract=contract, pk__in=plan.removed).delete()
    current = {row.pk: row for row in model.objects.filter(contract=contract)}
    new_rows = []
    for position, (pk, data) in enumerate(plan.rows):
        values = {name: getattr(data, name) for name in fields}
        if ordered:
            values["position"] = position
        if pk is None:
            new_rows.append(model(contract=contract, **values))
            continue
        model_update(instance=current[pk], fields=values, data=values, clean=False)
    model.objects.bulk_create(new_rows)


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
    party_plan = _plan_parties(None, parties, ())
    line_plan = _plan_lines(None, list(lines), ())
    _check_parties(delegation, [data for _pk, data in party_plan.rows])
    _check_lines([data for _pk, data in line_plan.rows], start_date, end_date)
    _check_no_overlap(
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
    _write_rows(ContractParty, contract, party_plan, PARTY_FIELDS, ordered=True)
    _write_rows(ProgrammeLine, contract, line_plan, LINE_FIELDS, ordered=False)
    _record_transition(contract, from_status="", to_status=ContractStatus.DRAFT, actor=actor, comment="Création")
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
            raise ValidationError(
                "Ce contrat n'est plus un brouillon : il ne peut plus être modifié. Un contrat signé se modifie par avenant.",
                code="not_draft",
            )
        raise ValidationError(
            "Quelqu'un a enregistré ce contrat pendant que vous le modifiiez. Rechargez la page pour repartir de sa "
            "dernière version ; vos saisies n'ont pas été enregistrées.",
            code="stale",
        )
    rows_before = _rows_history(contract)
    party_plan = _plan_parties(contract, parties, removed_parties)
    line_plan = _plan_lines(contract, list(lines), removed_lines)
    final_parties = [data for _pk, data in party_plan.rows]
    _check_parties(contract.delegation, final_parties)
    _check_lines([data for _pk, data in line_plan.rows], start_date, end_date)
    _check_no_overlap(
        delegation_id=contract.delegation_id,
        collectivity_ids=[p.collectivity.pk for p in final_parties],
        start_date=start_date,
        end_date=end_date,
        exclude_pk=contract.pk,
    )
    contract.refresh_from_db()
    contract.advisers.set(advisers)
    _write_rows(ContractParty, contract, party_plan, PARTY_FIELDS, ordered=True)
    _write_rows(ProgrammeLine, contract, line_plan, LINE_FIELDS, ordered=False)
    _record_rows(actor=actor, contract=contract, before=rows_before, after=_rows_history(contract))
    history.record(
        actor=actor,
        obj=contract,
        action=HistoryAction.UPDATED,
        before=fields_before,
        after=history.values_of(contract, CONTRACT_HISTORY_FIELDS),
    )
    return contract


# --- Numbering ----------------------------------------------------------------------------------


def _next_reference(*, year: int, department_code: str) -> str:
    """``PFP`` + two-digit year + département + three-digit sequence, e.g. ``PFP2669001``.

    The counter row is locked (SELECT … FOR UPDATE) so that concurrent submissions of the same
    year and département wait for each other; the unique constraint on ``reference`` backs it up.
    """
    ReferenceCounter.objects.bulk_create(
        [ReferenceCounter(year=year, department_code=department_code)], ignore_conflicts=True
    )
    counter = ReferenceCounter.objects.select_for_update().get(year=year, department_code=department_code)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return f"PFP{year % 100:02d}{department_code}{counter.last_value:03d}"


# --- Lifecycle ----------------------------------------------------------------------------------


def _lock(contract: PartnershipContract) -> PartnershipContract:
    return PartnershipContract.objects.select_for_update().select_related("delegation").get(pk=contract.pk)


def readiness_problems(contract: PartnershipContract) -> list[str]:
    """What still prevents sending ``contract`` for signature, in French; empty when ready."""
    problems = []
    parties = list(contract.parties.all())
    if not parties:
        problems.append("Aucune collectivité partie au contrat.")
    for party in parties:
        try:
            # A draft saved before the Paris rule was enforced must not reach a signatory.
            collectivity_check_covered_by_cnfpt(collectivity=party.collectivity, use=CollectivityUse.CONTRACT_PARTY)
        except ValidationError as exc:
            problems.extend(exc.messages)
        if party.deliberation_date is None:
            problems.append(f"La date de la délibération de {party.collectivity.name} n'est pas renseignée.")
    if not contract.programme_lines.exists():
        problems.append("Le programme ne comporte aucune action.")
    if contract.delegate_id is None:
        problems.append("Le délégué régional signataire n'est pas désigné.")
    return problems


@transaction.atomic
def contract_submit_for_signature(
    *, contract: PartnershipContract, actor: User, comment: str = ""
) -> PartnershipContract:
    """Draft → ready for signature: the contract's own checks, its reference, its transition.

    The first step of ``agreements.signing.services.contract_send_for_signature``, which then
    renders the document presented for signature and asks each signer, in the same transaction.

    Side effects: gives the contract its reference (first submission only), records the transition.
    """
    contract = _lock(contract)
    delegation_check_can_manage_contracts(actor=actor, delegation=contract.delegation)
    if contract.status != ContractStatus.DRAFT:
        raise ValidationError("Seul un brouillon peut être envoyé à la signature.", code="illegal_transition")
    problems = readiness_problems(contract)
    if problems:
        raise ValidationError(problems, code="not_ready")
    collectivity_ids = list(contract.parties.values_list("collectivity_id", flat=True))
    # Serialise submissions touching the same collectivités, so two overlapping drafts cannot both pass.
    list(Collectivity.objects.select_for_update().filter(pk__in=collectivity_ids).values_list("pk", flat=True))
    _check_no_overlap(
        delegation_id=contract.delegation_id,
        collectivity_ids=collectivity_ids,
        start_date=contract.start_date,
        end_date=contract.end_date,
        exclude_pk=contract.pk,
    )
    fields = {"submitted_at": timezone.now()}
    if not contract.reference:
        lead = contract.parties.select_related("collectivity__department").first()
        year = timezone.localdate().year
        fields["reference"] = _next_reference(year=year, department_code=lead.collectivity.department.code)
    _transition(contract, to_status=ContractStatus.READY_FOR_SIGNATURE, actor=actor, comment=comment, **fields)
    return contract


def contract_document_store(
    *, contract: PartnershipContract, kind: str, title: str, filename: str, content: bytes, actor: User | None
) -> ContractDocument:
    """Store ``content`` as a document of ``contract`` with its SHA-256 and size, as given, byte for byte.

    The one way a contract document is written: attachments here, the document presented for
    signature and the sealed final PDF in ``agreements.signing.services``. Checks none of its input:
    its callers do.
    """
    document = ContractDocument(
        contract=contract,
        kind=kind,
        title=title,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    document.file.save(filename, ContentFile(content), save=False)
    document.save()
    return document


@transaction.atomic
def contract_return_to_draft(*, contract: PartnershipContract, actor: User | None, reason: str) -> PartnershipContract:
    """Ready for signature (or signed by the collectivité only) → draft, e.g. after a refusal.

    The reference is kept; the next submission renders a new document to sign.
    """
    contract = _lock(contract)
    if actor is not None:
        delegation_check_can_manage_contracts(actor=actor, delegation=contract.delegation)
    if not reason.strip():
        raise ValidationError({"reason": "Indiquez le motif du retour en brouillon."})
    _transition(contract, to_status=ContractStatus.DRAFT, actor=actor, comment=reason.strip())
    return contract


@transaction.atomic
def contract_mark_signed_by_collectivity(
    *, contract: PartnershipContract, actor: User | None = None, comment: str = ""
) -> PartnershipContract:
    """Every collectivité has signed: ready for signature → signed by the collectivité."""
    contract = _lock(contract)
    _transition(contract, to_status=ContractStatus.SIGNED_BY_COLLECTIVITY, actor=actor, comment=comment)
    return contract


@transaction.atomic
def contract_mark_signed(
    *, contract: PartnershipContract, actor: User | None = None, comment: str = "", today: datetime.date | None = None
) -> PartnershipContract:
    """The delegation countersigned: → signed, then active at once if its start date has come."""
    contract = _lock(contract)
    _transition(contract, to_status=ContractStatus.SIGNED, actor=actor, comment=comment, signed_at=timezone.now())
    today = today or timezone.localdate()
    if contract.start_date <= today <= contract.end_date:
        _transition(contract, to_status=ContractStatus.ACTIVE, actor=None, comment="Date de début atteinte")
    return contract


@transaction.atomic
def contract_terminate(
    *, contract: PartnershipContract, actor: User, reason: str, on_date: datetime.date | None = None
) -> PartnershipContract:
    """Signed or active → terminated (résiliation), with its date and mandatory reason."""
    contract = _lock(contract)
    delegation_check_can_manage_contracts(actor=actor, delegation=contract.delegation)
    if not reason.strip():
        raise ValidationError({"reason": "Indiquez le motif de la résiliation."})
    on_date = on_date or timezone.localdate()
    _transition(
        contract,
        to_status=ContractStatus.TERMINATED,
        actor=actor,
        comment=reason.strip(),
        terminated_on=on_date,
        termination_reason=reason.strip(),
    )
    return contract


def contracts_update_periods(
    *, today: datetime.date | None = None, contract_ids: list[int] | None = None
) -> dict[str, int]:
    """Daily: signed contracts whose start date has come become active; past ones expire.

    ``contract_ids`` limits the run to those contracts (the admin's action on selected rows).
    Each contract changes in its own transaction, so one failure does not hold back the others.
    """
    today = today or timezone.localdate()
    counts = {"activated": 0, "expired": 0}
    due = PartnershipContract.objects.filter(
        Q(status=ContractStatus.SIGNED, start_date__lte=today) | Q(status=ContractStatus.ACTIVE, end_date__lt=today)
    ).only("pk")
    if contract_ids is not None:
        due = due.filter(pk__in=contract_ids)
    for contract in due:
        with transaction.atomic():
            contract = _lock(contract)
            if contract.end_date < today and contract.status in (ContractStatus.SIGNED, ContractStatus.ACTIVE):
                _transition(contract, to_status=ContractStatus.EXPIRED, actor=None, comment="Date de fin dépassée")
                counts["expired"] += 1
            elif contract.status == ContractStatus.SIGNED and contract.start_date <= today:
                _transition(contract, to_status=ContractStatus.ACTIVE, actor=None, comment="Date de début atteinte")
                counts["activated"] += 1
    return counts


@transaction.atomic
def contract_add_amendment(
    *, contract: PartnershipContract, actor: User, title: str, summary: str, new_end_date: datetime.date | None = None
) -> ContractAmendment:
    """Record an avenant to a signed or active contract: the contract is never edited in place.

    Side effects: extends the contract's end date when the amendment says so.
    """
    contract = _lock(contract)
    delegation_check_can_manage_contracts(actor=actor, delegation=contract.delegation)
    if contract.status not in (ContractStatus.SIGNED, ContractStatus.ACTIVE):
        raise ValidationError("Seul un contrat signé ou en vigueur peut faire l'objet d'un avenant.", code="not_signed")
    if new_end_date is not None and new_end_date <= contract.start_date:
        raise ValidationError({"new_end_date": "La nouvelle date de fin doit être postérieure au début du contrat."})
    number = (contract.amendments.aggregate(n=Max("number"))["n"] or 0) + 1
    amendment = ContractAmendment.objects.create(
        contract=contract, number=number, title=title, summary=summary, new_end_date=new_end_date, created_by=actor
    )
    if new_end_date is not None:
        before = history.values_of(contract, ("end_date",))
        contract.end_date = new_end_date
        contract.save(update_fields=["end_date", "updated_at"])
        # The amendment itself is a transition (below); the log keeps what it changed in the contract.
        history.record(
            actor=actor,
            obj=contract,
            action=HistoryAction.UPDATED,
            subject=f"Avenant n°\u00a0{number}",
            before=before,
            after=history.values_of(contract, ("end_date",)),
        )
    _record_transition(
        contract,
        from_status=contract.status,
        to_status=contract.status,
        actor=actor,
        comment=f"Avenant n° {number} : {title}",
    )
    return amendment


def _check_attachment(uploaded_file) -> None:
    try:
        check_document(uploaded_file, allowed=ATTACHMENT_FORMATS, what="le document")
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error


@transaction.atomic
def contract_attach_document(
    *, contract: PartnershipContract, actor: User, title: str, uploaded_file: UploadedFile
) -> ContractDocument:
    """Attach a document (délibération, annex…) to a contract, whatever its state.

    Side effects: the stored file and a history entry on the contract.
    """
    delegation_check_can_manage_contracts(actor=actor, delegation=contract.delegation)
    _check_attachment(uploaded_file)
    content = uploaded_file.read()
    document = contract_document_store(
        contract=contract,
        kind=DocumentKind.ATTACHMENT,
        title=title,
        filename=uploaded_file.name,
        content=content,
        actor=actor,
    )
    history.record(
        actor=actor,
        obj=contract,
        action=HistoryAction.ATTACHED,
        subject=f"Document «\u00a0{title}\u00a0»",
        after={"Fichier": uploaded_file.name, "Empreinte SHA-256": document.sha256},
    )
    return document
