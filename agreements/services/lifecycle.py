"""The lifecycle of a partnership contract: sent for signature, signed, in force, ended, amended; its documents."""

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from partnership import history
from partnership.enums import CollectivityUse, HistoryAction
from partnership.models import Collectivity, User
from partnership.models_utils import model_update
from partnership.services import collectivity_check_covered_by_cnfpt
from partnership.uploads import check_document

from ..enums import ContractStatus, DocumentKind
from ..models import ContractAmendment, ContractDocument, PartnershipContract
from .drafting import (
    contract_check_no_overlap,
    contract_next_reference,
    contract_transition_record,
    delegation_check_can_manage_contracts,
)

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
    contract_transition_record(contract, from_status=from_status, to_status=to_status, actor=actor, comment=comment)


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

    The first step of ``agreements.signing.services.sending.contract_send_for_signature``, which then
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
    contract_check_no_overlap(
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
        fields["reference"] = contract_next_reference(year=year, department_code=lead.collectivity.department.code)
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
        model_update(instance=contract, fields=["end_date"], data={"end_date": new_end_date}, clean=False)
        # The amendment itself is a transition (below); the log keeps what it changed in the contract.
        history.record(
            actor=actor,
            obj=contract,
            action=HistoryAction.UPDATED,
            subject=f"Avenant n°\u00a0{number}",
            before=before,
            after=history.values_of(contract, ("end_date",)),
        )
    contract_transition_record(
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
