"""Online signing of partnership contracts: requests, one-time codes, signatures, refusals, evidence.

Order: every collectivité party signs first, in parallel (step 1); then the délégué régional
countersigns (step 2). Each signer reaches the portal through a personal link whose random token
(256 bits) is stored only as a SHA-256 hash, confirms their identity with a 6-digit code sent by
e-mail, reads the exact PDF and signs. Every event goes to the hash-chained audit trail
(``agreements.signing.audit``). State changes are conditional UPDATEs, so a double submission records
one signature.

The flow reads top to bottom: « envoyer à la signature » (``contract_send_for_signature``: the
contract's own checks and reference, then the document presented for signature, rendered and frozen
here, then the requests), the links, the portal (code, signature or refusal), the delegation's side,
then the completion (``contract_finalize``: final PDF, seal, storage, e-mail). What a file proves is
``verification.document_verify``'s (the public verification page); the seal's later life (its document
timestamps) is ``archive``'s.
"""

import datetime
import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from partnership.dispatch import enqueue
from partnership.models import User
from partnership.tokens import token_hash

from ..enums import (
    OPEN_REQUEST_STATUSES,
    AuditEventKind,
    ContractStatus,
    DocumentKind,
    SealingStatus,
    SignatureRequestStatus,
    SignerRole,
)
from ..models import ContractDocument, PartnershipContract
from ..pdf import render_contract_pdf
from ..services import drafting as contract_drafting
from ..services import lifecycle as contract_lifecycle
from . import archive, sealing, task_names
from .audit import audit_record
from .emails import send_signature_code
from .final_document import build_final_pdf
from .models import SignatureRequest
from .selectors import contracts_missing_final_document
from .wording import consent_statement

logger = logging.getLogger(__name__)

Status = SignatureRequestStatus


@dataclass(frozen=True)
class Client:
    """Who is at the other end of a request: kept in the audit trail.

    ``account`` is the logged-in user when the délégué countersigns from the application rather
    than from the e-mailed link: the same services run, and the trail names that account.
    """

    ip_address: str | None = None
    user_agent: str = ""
    account: Any = None
    # The level (``acr``) of a ProConnect login in this browser, and the e-mail of its account: recorded beside
    # the one-time code when that account is the signer's (« certification dirigeant » proves they lead it).
    login_acr: str = ""
    login_email: str = ""


PLATFORM = Client()


def _hash_code(request: SignatureRequest, code: str) -> str:
    # Keyed by the secret key and the request, so a leaked hash cannot be brute-forced offline cheaply.
    key = f"{settings.SECRET_KEY}:signature-code:{request.pk}".encode()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def _audit(request: SignatureRequest, kind: str, client: Client = PLATFORM, *, actor: str | None = None, **detail):
    if actor is None and client.account is not None:
        actor = f"{client.account.get_full_name()} <{client.account.email}>"
        detail = {**detail, "via": "application", "account_id": client.account.pk}
    return audit_record(
        contract=request.contract,
        request=request,
        kind=kind,
        actor=actor or f"{request.signer_name} <{request.signer_email}>",
        ip_address=client.ip_address,
        user_agent=client.user_agent,
        document_sha256=request.document.sha256,
        detail=detail,
    )


# --- Sending for signature ----------------------------------------------------------------------


@transaction.atomic
def contract_send_for_signature(*, contract: PartnershipContract, actor: User) -> PartnershipContract:
    """Draft → ready for signature, then one request per collectivité signatory, e-mailed at once.

    Side effects: reference and transition (``contract_lifecycle.contract_submit_for_signature``);
    the document presented for signature (``contract_render_document_for_signature``); signature
    requests; audit events; e-mails with the personal links (after commit).
    """
    contract = contract_lifecycle.contract_submit_for_signature(contract=contract, actor=actor)
    document = contract_render_document_for_signature(contract=contract, actor=actor)
    for party in contract.parties.select_related("collectivity"):
        request = SignatureRequest.objects.create(
            contract=contract,
            document=document,
            role=SignerRole.COLLECTIVITY,
            step=1,
            party=party,
            signer_name=party.signatory_name,
            signer_email=party.signatory_email,
            signer_function=f"{party.signatory_function}, {party.collectivity.name}",
            status=Status.SENT,
        )
        _schedule_link(request)
    delegate = contract.delegate
    SignatureRequest.objects.create(
        contract=contract,
        document=document,
        role=SignerRole.DELEGATION,
        step=2,
        signer_name=delegate.get_full_name(),
        signer_email=delegate.email,
        signer_function=f"{delegate.function or 'Délégué(e) régional(e)'}, CNFPT – {contract.delegation.name}",
        status=Status.WAITING,
    )
    return contract


def contract_render_document_for_signature(*, contract: PartnershipContract, actor: User) -> ContractDocument:
    """Render the contract PDF and keep its exact bytes and SHA-256 as the document to sign.

    Every request points at this document; the signers read these bytes, and the final PDF starts
    with them. A new submission after a return to draft renders a new one
    (``current_document_for_signature`` finds the latest).
    """
    return contract_lifecycle.contract_document_store(
        contract=contract,
        kind=DocumentKind.FOR_SIGNATURE,
        title=f"Contrat {contract.reference} – version soumise à signature",
        filename=f"{contract.reference}.pdf",
        content=render_contract_pdf(contract),
        actor=actor,
    )


def _schedule_link(request: SignatureRequest, *, reminder: bool = False) -> None:
    enqueue(task_names.SIGNATURE_REQUEST_SEND_LINK, request.pk, reminder)


@transaction.atomic
def signature_request_issue_link(*, request_id: int, reminder: bool = False) -> tuple[SignatureRequest, str] | None:
    """Give the request a fresh link (the previous one stops working).

    Returns the request and the plain token for the e-mail, or ``None`` if the request no longer
    awaits this signer. Called by the e-mailing task, so the token never leaves the worker; the
    audit event is recorded once the e-mail is out (``signature_request_link_delivered``).
    """
    request = (
        SignatureRequest.objects.select_for_update(of=("self",))
        .select_related("contract", "document")
        .get(pk=request_id)
    )
    if request.status != Status.SENT or request.locked_at is not None:
        return None
    token = secrets.token_urlsafe(32)
    request.token_hash = token_hash(token)
    update = ["token_hash"]
    if not reminder:
        now = timezone.now()
        request.sent_at = now
        request.expires_at = now + datetime.timedelta(days=settings.SIGNATURE_LINK_VALIDITY_DAYS)
        update += ["sent_at", "expires_at"]
    request.save(update_fields=update)
    return request, token


@transaction.atomic
def signature_request_link_delivered(*, request: SignatureRequest, reminder: bool) -> None:
    """The e-mail with the link went out: count the reminder and audit it (once per delivered e-mail)."""
    if reminder:
        SignatureRequest.objects.filter(pk=request.pk).update(
            reminder_count=F("reminder_count") + 1, last_reminded_at=timezone.now()
        )
    _audit(
        request,
        AuditEventKind.REMINDED if reminder else AuditEventKind.SENT,
        actor="Plateforme",
        email=request.signer_email,
        expires_at=request.expires_at.isoformat(),
    )


# --- The portal ---------------------------------------------------------------------------------


def signature_request_for_token(token: str) -> SignatureRequest | None:
    if not token or len(token) > 100:
        return None
    return (
        SignatureRequest.objects.select_related("contract__delegation", "document", "party__collectivity")
        .filter(token_hash=token_hash(token))
        .first()
    )


def refusal_reason(request: SignatureRequest, *, now: datetime.datetime | None = None) -> str | None:
    """Why this link cannot be used now, in French; ``None`` when the signer may proceed."""
    now = now or timezone.now()
    if request.status == Status.SIGNED:
        return "Vous avez déjà signé ce contrat. Merci."
    if request.status == Status.DECLINED:
        return "Vous avez refusé de signer ce contrat. La délégation a été prévenue."
    if request.status in (Status.CANCELLED, Status.REPLACED):
        return "Cette demande de signature a été annulée par la délégation. Ce lien n'est plus valable."
    if request.status == Status.WAITING:
        return "Ce contrat attend encore d'autres signatures avant la vôtre."
    if request.status == Status.EXPIRED or (request.expires_at and request.expires_at <= now):
        return "Ce lien de signature a expiré. Demandez à la délégation de vous en renvoyer un."
    if request.locked_at is not None:
        return (
            f"Ce lien est bloqué après {settings.SIGNATURE_CODE_MAX_ATTEMPTS} codes erronés. "
            "La délégation a été prévenue et peut vous renvoyer un nouveau lien."
        )
    expected = ContractStatus.READY_FOR_SIGNATURE if request.step == 1 else ContractStatus.SIGNED_BY_COLLECTIVITY
    if request.contract.status != expected:
        return "Ce contrat n'est plus en attente de votre signature."
    return None


def _check_usable(request: SignatureRequest) -> None:
    reason = refusal_reason(request)
    if reason:
        raise ValidationError(reason, code="unusable")


def _lock_request(request: SignatureRequest) -> SignatureRequest:
    return (
        SignatureRequest.objects.select_for_update(of=("self",))
        .select_related("contract__delegation", "document", "party__collectivity")
        .get(pk=request.pk)
    )


def signature_request_open(*, request: SignatureRequest, client: Client) -> None:
    _audit(request, AuditEventKind.OPENED, client)


def _email_code(request: SignatureRequest, code: str) -> None:
    # Sent in the request, not queued: the signer is waiting for it on the page.
    transaction.on_commit(lambda: send_signature_code(request, code))


@transaction.atomic
def signature_request_send_code(
    *, request: SignatureRequest, client: Client, deliver: Callable[[SignatureRequest, str], None] = _email_code
) -> None:
    """Issue a fresh 6-digit code, valid 10 minutes, and hand it to ``deliver``; rate-limited per request.

    Side effects: the code's hash on the request; a ``code_sent`` audit event; by default the code
    is e-mailed to the signer after commit (the demo's simulated signers pass their own ``deliver``).
    """
    request = _lock_request(request)
    _check_usable(request)
    now = timezone.now()
    if request.code_sent_at and (now - request.code_sent_at).total_seconds() < settings.SIGNATURE_CODE_RESEND_SECONDS:
        raise ValidationError(
            "Un code vient de vous être envoyé : saisissez-le ci-dessous (il vaut sur tous vos appareils), "
            "ou patientez une minute avant d'en demander un autre."
        )
    if request.codes_sent >= settings.SIGNATURE_CODE_MAX_SENDS:
        raise ValidationError(
            "Trop de codes ont été demandés pour ce lien. Demandez à la délégation de vous en renvoyer un nouveau."
        )
    code = f"{secrets.randbelow(10**6):06d}"
    request.code_hash = _hash_code(request, code)
    request.code_expires_at = now + datetime.timedelta(minutes=settings.SIGNATURE_CODE_VALIDITY_MINUTES)
    request.code_attempts = 0
    request.code_sent_at = now
    request.codes_sent += 1
    request.save(update_fields=["code_hash", "code_expires_at", "code_attempts", "code_sent_at", "codes_sent"])
    _audit(request, AuditEventKind.CODE_SENT, client, email=request.signer_email)
    deliver(request, code)


@transaction.atomic
def signature_request_verify_code(*, request: SignatureRequest, code: str, client: Client) -> str | None:
    """Check the code; return ``None`` when verified, else the French reason.

    Wrong codes are counted (and committed: this returns rather than raises); after the 5th the
    link is locked and the delegation told.
    """
    request = _lock_request(request)
    reason = refusal_reason(request)
    if reason:
        return reason
    now = timezone.now()
    if not request.code_hash:
        return "Demandez d'abord un code : il vous sera envoyé par e-mail."
    if request.code_expires_at <= now:
        return "Ce code a expiré (validité : 10 minutes). Demandez-en un nouveau."
    code = (code or "").strip().replace(" ", "")
    if hmac.compare_digest(_hash_code(request, code), request.code_hash):
        # The code stays valid until it expires: the signer may open the link on a second device and type
        # the code already received there (the latest device to confirm is the one that may sign).
        request.code_verified_at = now
        request.save(update_fields=["code_verified_at"])
        _audit(request, AuditEventKind.CODE_VERIFIED, client)
        return None
    request.code_attempts += 1
    fields = ["code_attempts"]
    _audit(request, AuditEventKind.CODE_FAILED, client, attempt=request.code_attempts)
    if request.code_attempts >= settings.SIGNATURE_CODE_MAX_ATTEMPTS:
        request.locked_at = now
        fields.append("locked_at")
        request.save(update_fields=fields)
        _audit(request, AuditEventKind.LOCKED, client)
        enqueue(task_names.SIGNATURE_NOTIFY_DELEGATION, request.pk, "locked")
        return refusal_reason(request)
    request.save(update_fields=fields)
    left = settings.SIGNATURE_CODE_MAX_ATTEMPTS - request.code_attempts
    return f"Code incorrect. Il vous reste {left} essai{'s' if left > 1 else ''}."


IDENTITY_CHECK_VALIDITY = datetime.timedelta(hours=1)


def _check_verified(request: SignatureRequest) -> None:
    if request.code_verified_at is None:
        raise ValidationError("Confirmez d'abord votre identité avec le code reçu par e-mail.")
    if timezone.now() - request.code_verified_at > IDENTITY_CHECK_VALIDITY:
        raise ValidationError("Votre vérification d'identité date de plus d'une heure : demandez un nouveau code.")


@transaction.atomic
def signature_request_sign(
    *, request: SignatureRequest, name: str, function: str, consent: bool, document_sha256: str, client: Client
) -> SignatureRequest:
    """Record the signature. Exactly one of several simultaneous submissions wins.

    Side effects: a ``signed`` audit event with the consent sentence the signer ticked
    (``wording.consent_statement``); when every collectivité has signed, the contract moves on and the délégué is
    asked to countersign; when the délégué has signed, the contract is signed and the final sealed
    PDF is produced and e-mailed (after commit).
    """
    contract = PartnershipContract.objects.select_for_update().get(pk=request.contract_id)
    request = _lock_request(request)
    _check_usable(request)
    _check_verified(request)
    if not consent:
        raise ValidationError("Cochez la case pour confirmer que vous avez lu le contrat et acceptez de le signer.")
    if not name.strip() or not function.strip():
        raise ValidationError("Saisissez votre nom et votre fonction.")
    if document_sha256 != request.document.sha256:
        raise ValidationError("Le document a changé depuis votre lecture. Rechargez la page et relisez-le.")
    now = timezone.now()
    updated = SignatureRequest.objects.filter(pk=request.pk, status=Status.SENT).update(
        status=Status.SIGNED,
        signed_at=now,
        signed_name=name.strip()[:150],
        signed_function=function.strip()[:150],
        signed_ip=client.ip_address,
        signed_user_agent=client.user_agent[:500],
    )
    if updated != 1:
        raise ValidationError("Cette signature a déjà été enregistrée.")
    request.refresh_from_db()
    identity = {}
    if client.login_acr and client.login_email.strip().lower() == request.signer_email.strip().lower():
        identity["proconnect_acr"] = client.login_acr
    _audit(
        request,
        AuditEventKind.SIGNED,
        client,
        typed_name=request.signed_name,
        typed_function=request.signed_function,
        consent=consent_statement(request),
        **identity,
    )
    _advance(contract, request)
    return request


def _advance(contract: PartnershipContract, signed: SignatureRequest) -> None:
    """After a signature: open the next step, or complete the contract."""
    requests = list(contract.signature_requests.filter(document=signed.document))
    step_one_done = all(r.status == Status.SIGNED for r in requests if r.step == 1)
    if signed.step == 1 and step_one_done:
        contract_lifecycle.contract_mark_signed_by_collectivity(
            contract=contract, comment="Signé par toutes les collectivités"
        )
        for countersign in (r for r in requests if r.step == 2 and r.status == Status.WAITING):
            countersign.status = Status.SENT
            countersign.save(update_fields=["status"])
            _schedule_link(countersign)
    elif signed.step == 2:
        contract_lifecycle.contract_mark_signed(contract=contract, comment=f"Contresigné par {signed.signed_name}")
        PartnershipContract.objects.filter(pk=contract.pk).update(
            sealing_status=SealingStatus.PENDING, sealing_attempts=0, sealing_attempted_at=None, sealing_error=""
        )
        audit_record(
            contract=contract,
            kind=AuditEventKind.COMPLETED,
            actor="Plateforme",
            document_sha256=signed.document.sha256,
            detail={"signers": [r.signer_email for r in requests if r.status == Status.SIGNED]},
        )
        enqueue(task_names.CONTRACT_FINALIZE, contract.pk)


@transaction.atomic
def signature_request_decline(*, request: SignatureRequest, reason: str, client: Client) -> None:
    """The signer refuses, with a mandatory reason: the process stops and the contract returns to draft."""
    contract = PartnershipContract.objects.select_for_update().get(pk=request.contract_id)
    request = _lock_request(request)
    _check_usable(request)
    _check_verified(request)
    if not reason.strip():
        raise ValidationError("Indiquez le motif de votre refus : la délégation en a besoin pour reprendre le contrat.")
    updated = SignatureRequest.objects.filter(pk=request.pk, status=Status.SENT).update(
        status=Status.DECLINED, decline_reason=reason.strip()
    )
    if updated != 1:
        raise ValidationError("Votre réponse a déjà été enregistrée.")
    request.refresh_from_db()
    _audit(request, AuditEventKind.DECLINED, client, reason=request.decline_reason)
    _cancel_open_requests(contract, reason="Refus d'un autre signataire")
    contract_lifecycle.contract_return_to_draft(
        contract=contract, actor=None, reason=f"Refus de signature de {request.signer_name} : {request.decline_reason}"
    )
    enqueue(task_names.SIGNATURE_NOTIFY_DELEGATION, request.pk, "declined")


# --- The delegation's side ----------------------------------------------------------------------


def _cancel_open_requests(contract, *, reason: str, actor_label: str = "Plateforme") -> None:
    for request in contract.signature_requests.select_related("document", "contract").filter(
        status__in=OPEN_REQUEST_STATUSES
    ):
        request.status = Status.CANCELLED
        request.save(update_fields=["status"])
        _audit(request, AuditEventKind.CANCELLED, actor=actor_label, reason=reason)


def _open_request_of(contract, request_id: int) -> SignatureRequest:
    request = contract.signature_requests.select_related("contract", "document").filter(pk=request_id).first()
    if request is None or request.status not in OPEN_REQUEST_STATUSES:
        raise ValidationError("Cette demande de signature n'est plus en attente.")
    return request


@transaction.atomic
def signature_process_cancel(*, contract: PartnershipContract, actor: User, reason: str) -> PartnershipContract:
    """The delegation withdraws the contract from signature: pending requests are cancelled, back to draft."""
    contract = PartnershipContract.objects.select_for_update().get(pk=contract.pk)
    contract_lifecycle.contract_return_to_draft(contract=contract, actor=actor, reason=reason)
    _cancel_open_requests(contract, reason=reason.strip(), actor_label=f"{actor.get_full_name()} (délégation)")
    return contract


@transaction.atomic
def signature_request_resend(*, contract: PartnershipContract, request_id: int, actor: User) -> SignatureRequest:
    """Send a new link (and a new validity period) to a signer who has not signed; unlocks a locked link."""
    contract_drafting.delegation_check_can_manage_contracts(actor=actor, delegation=contract.delegation)
    request = _open_request_of(contract, request_id)
    if request.status != Status.SENT:
        raise ValidationError("Ce signataire n'a pas encore à signer : le lien lui sera envoyé à son tour.")
    SignatureRequest.objects.filter(pk=request.pk).update(
        locked_at=None, code_attempts=0, code_hash="", codes_sent=0, code_verified_at=None
    )
    _schedule_link(request)
    return request


@transaction.atomic
def signature_request_replace_signer(
    *, contract: PartnershipContract, request_id: int, actor: User, name: str, email: str, function: str
) -> SignatureRequest:
    """Hand a pending request over to another person (e.g. the mayor's deputy with delegation of signature)."""
    contract_drafting.delegation_check_can_manage_contracts(actor=actor, delegation=contract.delegation)
    old = _open_request_of(contract, request_id)
    new = SignatureRequest.objects.create(
        contract=old.contract,
        document=old.document,
        role=old.role,
        step=old.step,
        party=old.party,
        signer_name=name.strip(),
        signer_email=email.strip().lower(),
        signer_function=function.strip(),
        status=old.status,
    )
    old.status = Status.REPLACED
    old.replaced_by = new
    old.save(update_fields=["status", "replaced_by"])
    _audit(old, AuditEventKind.REPLACED, actor=f"{actor.get_full_name()} (délégation)", new_signer=new.signer_email)
    if new.status == Status.SENT:
        _schedule_link(new)
    return new


def signatures_expire(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Periodic: expire links past their validity and tell the delegation.

    Reminders before that (every N days, then before expiry) are the reminders engine's
    (``agreements.signing.reminders``). Each expiry is a conditional UPDATE: two runs expire a request once.
    """
    now = now or timezone.now()
    counts = {"expired": 0}
    due = SignatureRequest.objects.filter(status=Status.SENT, expires_at__lte=now).select_related(
        "contract", "document"
    )
    for request in due:
        with transaction.atomic():
            if SignatureRequest.objects.filter(pk=request.pk, status=Status.SENT).update(status=Status.EXPIRED):
                _audit(request, AuditEventKind.EXPIRED, actor="Plateforme")
                enqueue(task_names.SIGNATURE_NOTIFY_DELEGATION, request.pk, "expired")
                counts["expired"] += 1
    return counts


# --- Completion ---------------------------------------------------------------------------------

# A sweep leaves alone a contract whose finalisation was attempted less than this long ago: its
# task may still be retrying (the whole chain of retries spans about half an hour).
FINALIZE_SWEEP_GRACE = datetime.timedelta(hours=1)


def _sealed(contract_id: int) -> bool:
    return ContractDocument.objects.filter(contract_id=contract_id, kind=DocumentKind.SIGNED).exists()


def contract_finalize(*, contract_id: int) -> ContractDocument | None:
    """Build, seal and store the final PDF of a countersigned contract; ``None`` if it already exists.

    Side effects: the sealed ``ContractDocument``, ``sealing_status`` set to sealed, a ``sealed``
    audit event and the e-mail of the PDF to every party (after commit). On any error the attempt
    is counted and its error kept on the contract (shown on its page), then the error is raised
    again for the task to retry. Two concurrent runs store one document: the second finds it under
    the contract's row lock and discards its own.
    """
    contract = PartnershipContract.objects.select_related("delegation").get(pk=contract_id)
    if _sealed(contract_id):
        return None
    try:
        return _seal_and_store(contract)
    except Exception as exc:
        PartnershipContract.objects.filter(pk=contract_id).update(
            sealing_attempts=F("sealing_attempts") + 1,
            sealing_attempted_at=timezone.now(),
            sealing_error=f"{type(exc).__name__} : {exc}"[:2000],
        )
        raise


def _seal_and_store(contract: PartnershipContract) -> ContractDocument | None:
    # Built and sealed outside the transaction: it takes seconds, and the row lock is not needed yet.
    sealed = sealing.seal_pdf(build_final_pdf(contract), reason=f"Contrat {contract.reference} signé électroniquement")
    with transaction.atomic():
        contract = PartnershipContract.objects.select_for_update().get(pk=contract.pk)
        if _sealed(contract.pk):
            return None
        document = contract_lifecycle.contract_document_store(
            contract=contract,
            kind=DocumentKind.SIGNED,
            title=f"Contrat {contract.reference} signé et scellé",
            filename=f"{contract.reference}-signe.pdf",
            content=sealed,
            actor=None,
        )
        PartnershipContract.objects.filter(pk=contract.pk).update(
            sealing_status=SealingStatus.SEALED,
            sealing_attempts=F("sealing_attempts") + 1,
            sealing_attempted_at=timezone.now(),
            sealing_error="",
        )
        archive.contract_seal_record(contract=contract, document=document, sealed=sealed)
        audit_record(contract=contract, kind=AuditEventKind.SEALED, actor="Plateforme", document_sha256=document.sha256)
        enqueue(task_names.CONTRACT_SEND_FINAL_DOCUMENT, contract.pk)
    return document


def contract_sealing_failed(*, contract_id: int) -> bool:
    """Every retry is spent: show the failure on the contract (page, admin list); ``True`` if marked.

    The hourly sweep (``contracts_finalize_missing``) keeps trying; a success clears the state.
    """
    marked = (
        PartnershipContract.objects.filter(pk=contract_id)
        .exclude(sealing_status=SealingStatus.SEALED)
        .update(sealing_status=SealingStatus.FAILED)
    )
    if marked:
        logger.error("Sealing the final PDF of contract %s keeps failing.", contract_id)
    return bool(marked)


def contracts_finalize_missing(*, now: datetime.datetime | None = None) -> int:
    """Periodic: dispatch the finalisation again for countersigned contracts still without their sealed PDF.

    Picks those whose last attempt (or countersignature, if none) is older than
    ``FINALIZE_SWEEP_GRACE``; each is claimed by a conditional UPDATE of ``sealing_attempted_at``,
    so two overlapping sweeps dispatch it once. Returns how many were dispatched.
    """
    now = now or timezone.now()
    stale = now - FINALIZE_SWEEP_GRACE
    due = contracts_missing_final_document().filter(
        Q(sealing_attempted_at__lt=stale) | Q(sealing_attempted_at__isnull=True, signed_at__lt=stale)
    )
    dispatched = 0
    for pk, attempted_at in due.values_list("pk", "sealing_attempted_at"):
        with transaction.atomic():
            claimed = PartnershipContract.objects.filter(pk=pk, sealing_attempted_at=attempted_at).update(
                sealing_attempted_at=now
            )
            if claimed:
                PartnershipContract.objects.filter(pk=pk, sealing_status="").update(
                    sealing_status=SealingStatus.PENDING
                )
                enqueue(task_names.CONTRACT_FINALIZE, pk)
                dispatched += 1
    return dispatched
