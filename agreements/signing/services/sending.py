"""Signature requests: « envoyer à la signature », the personal links, and the delegation's side (withdraw, resend, replace, expiry)."""

import datetime
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from partnership.dispatch import enqueue
from partnership.models import User
from partnership.models_utils import model_update
from partnership.tokens import token_hash

from ...enums import (
    OPEN_REQUEST_STATUSES,
    AuditEventKind,
    DocumentKind,
    SignatureRequestStatus,
    SignerRole,
)
from ...models import ContractDocument, PartnershipContract
from ...pdf import render_contract_pdf
from ...services import drafting as contract_drafting
from ...services import lifecycle as contract_lifecycle
from .. import phrases, task_names
from ..audit import audit_record
from ..models import SignatureRequest

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


def request_audit(
    request: SignatureRequest, kind: str, client: Client = PLATFORM, *, actor: str | None = None, **detail
):
    """Append ``kind`` about ``request`` to the audit trail: who (the signer, the account or ``actor``), from where."""
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
        link_schedule(request)
    delegate = contract.delegate
    SignatureRequest.objects.create(
        contract=contract,
        document=document,
        role=SignerRole.DELEGATION,
        step=2,
        signer_name=delegate.get_full_name(),
        signer_email=delegate.email,
        signer_function=f"{delegate.function or phrases.DELEGATE_FUNCTION}, CNFPT – {contract.delegation.name}",
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
        title=phrases.document_for_signature_title(contract),
        filename=f"{contract.reference}.pdf",
        content=render_contract_pdf(contract),
        actor=actor,
    )


def link_schedule(request: SignatureRequest, *, reminder: bool = False) -> None:
    """Queue the e-mail of a fresh personal link (``signature_request_issue_link``, in the worker)."""
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
    data = {"token_hash": token_hash(token)}
    if not reminder:
        now = timezone.now()
        data |= {"sent_at": now, "expires_at": now + datetime.timedelta(days=settings.SIGNATURE_LINK_VALIDITY_DAYS)}
    model_update(instance=request, fields=data, data=data, clean=False)
    return request, token


@transaction.atomic
def signature_request_link_delivered(*, request: SignatureRequest, reminder: bool) -> None:
    """The e-mail with the link went out: count the reminder and audit it (once per delivered e-mail)."""
    if reminder:
        SignatureRequest.objects.filter(pk=request.pk).update(
            reminder_count=F("reminder_count") + 1, last_reminded_at=timezone.now()
        )
    request_audit(
        request,
        AuditEventKind.REMINDED if reminder else AuditEventKind.SENT,
        actor="Plateforme",
        email=request.signer_email,
        expires_at=request.expires_at.isoformat(),
    )


# --- The delegation's side ----------------------------------------------------------------------


def open_requests_cancel(contract, *, reason: str, actor_label: str = "Plateforme") -> None:
    """Cancel every request of ``contract`` still open, each with its audit event."""
    for request in contract.signature_requests.select_related("document", "contract").filter(
        status__in=OPEN_REQUEST_STATUSES
    ):
        model_update(instance=request, fields=["status"], data={"status": Status.CANCELLED}, clean=False)
        request_audit(request, AuditEventKind.CANCELLED, actor=actor_label, reason=reason)


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
    open_requests_cancel(contract, reason=reason.strip(), actor_label=f"{actor.get_full_name()} (délégation)")
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
    link_schedule(request)
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
    model_update(
        instance=old,
        fields=["status", "replaced_by"],
        data={"status": Status.REPLACED, "replaced_by": new},
        clean=False,
    )
    request_audit(
        old, AuditEventKind.REPLACED, actor=f"{actor.get_full_name()} (délégation)", new_signer=new.signer_email
    )
    if new.status == Status.SENT:
        link_schedule(new)
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
                request_audit(request, AuditEventKind.EXPIRED, actor="Plateforme")
                enqueue(task_names.SIGNATURE_NOTIFY_DELEGATION, request.pk, "expired")
                counts["expired"] += 1
    return counts
