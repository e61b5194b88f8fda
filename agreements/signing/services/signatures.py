"""The signer's steps on the portal: the link, the one-time code, the signature or the refusal, and what a signature sets off."""

import datetime
import hashlib
import hmac
import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partnership.dispatch import enqueue
from partnership.models_utils import model_update
from partnership.tokens import token_hash

from ...enums import (
    AuditEventKind,
    ContractStatus,
    SealingStatus,
    SignatureRequestStatus,
)
from ...models import PartnershipContract
from ...services import lifecycle as contract_lifecycle
from .. import phrases, task_names
from ..audit import audit_record
from ..emails import send_signature_code
from ..models import SignatureRequest
from .sending import Client, link_schedule, open_requests_cancel, request_audit

Status = SignatureRequestStatus


def _hash_code(request: SignatureRequest, code: str) -> str:
    # Keyed by the secret key and the request, so a leaked hash cannot be brute-forced offline cheaply.
    key = f"{settings.SECRET_KEY}:signature-code:{request.pk}".encode()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


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
    request_audit(request, AuditEventKind.OPENED, client)


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
    data = {
        "code_hash": _hash_code(request, code),
        "code_expires_at": now + datetime.timedelta(minutes=settings.SIGNATURE_CODE_VALIDITY_MINUTES),
        "code_attempts": 0,
        "code_sent_at": now,
        "codes_sent": request.codes_sent + 1,
    }
    model_update(instance=request, fields=data, data=data, clean=False)
    request_audit(request, AuditEventKind.CODE_SENT, client, email=request.signer_email)
    deliver(request, code)


def signature_request_verify_code(*, request: SignatureRequest, code: str, client: Client) -> None:
    """Check the code: a ``ValidationError`` with the French reason unless it is the one sent and still valid.

    Side effects: ``code_verified_at`` and a ``code_verified`` audit event; a wrong code is counted with a
    ``code_failed`` event, and after the 5th the link is locked (``locked`` event) and the delegation told.
    All of this is committed before the refusal is raised (``_code_check``, its own transaction), so a
    refusal never erases the count that leads to the lock.
    """
    reason = _code_check(request=request, code=code, client=client)
    if reason:
        raise ValidationError(reason, code="code_refused")


@transaction.atomic
def _code_check(*, request: SignatureRequest, code: str, client: Client) -> str | None:
    """``signature_request_verify_code``'s check and what it records; the French reason of a refusal, else ``None``."""
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
        model_update(instance=request, fields=["code_verified_at"], data={"code_verified_at": now}, clean=False)
        request_audit(request, AuditEventKind.CODE_VERIFIED, client)
        return None
    attempts = request.code_attempts + 1
    locked = attempts >= settings.SIGNATURE_CODE_MAX_ATTEMPTS
    data = {"code_attempts": attempts, **({"locked_at": now} if locked else {})}
    model_update(instance=request, fields=data, data=data, clean=False)
    request_audit(request, AuditEventKind.CODE_FAILED, client, attempt=request.code_attempts)
    if locked:
        request_audit(request, AuditEventKind.LOCKED, client)
        enqueue(task_names.SIGNATURE_NOTIFY_DELEGATION, request.pk, "locked")
        return refusal_reason(request)
    return phrases.wrong_code(settings.SIGNATURE_CODE_MAX_ATTEMPTS - request.code_attempts)


IDENTITY_CHECK_VALIDITY = datetime.timedelta(hours=1)


def _check_verified(request: SignatureRequest) -> None:
    if request.code_verified_at is None:
        raise ValidationError(phrases.IDENTITY_FIRST, code="identity_not_confirmed")
    if timezone.now() - request.code_verified_at > IDENTITY_CHECK_VALIDITY:
        raise ValidationError("Votre vérification d'identité date de plus d'une heure : demandez un nouveau code.")


@transaction.atomic
def signature_request_sign(
    *, request: SignatureRequest, name: str, function: str, consent: bool, document_sha256: str, client: Client
) -> SignatureRequest:
    """Record the signature. Exactly one of several simultaneous submissions wins.

    Side effects: a ``signed`` audit event with the consent sentence the signer ticked
    (``phrases.consent_statement``); when every collectivité has signed, the contract moves on and the délégué is
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
    request_audit(
        request,
        AuditEventKind.SIGNED,
        client,
        typed_name=request.signed_name,
        typed_function=request.signed_function,
        consent=phrases.consent_statement(request),
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
            model_update(instance=countersign, fields=["status"], data={"status": Status.SENT}, clean=False)
            link_schedule(countersign)
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
    request_audit(request, AuditEventKind.DECLINED, client, reason=request.decline_reason)
    open_requests_cancel(contract, reason="Refus d'un autre signataire")
    contract_lifecycle.contract_return_to_draft(
        contract=contract, actor=None, reason=f"Refus de signature de {request.signer_name} : {request.decline_reason}"
    )
    enqueue(task_names.SIGNATURE_NOTIFY_DELEGATION, request.pk, "declined")
