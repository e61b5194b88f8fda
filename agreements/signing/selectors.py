"""Reads of signing: the documents presented for signature and handed back, the requests, and the
contracts waiting for a délégué's countersignature (permission-aware)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from partnership import permissions

from ..enums import (
    COUNTERSIGNED_STATUSES,
    OPEN_REQUEST_STATUSES,
    ContractStatus,
    DocumentKind,
    SignatureRequestStatus,
    SignerRole,
)
from ..models import ContractDocument, PartnershipContract
from ..selectors import contracts_manageable_by, contracts_visible_to, parties_prefetch
from .models import SignatureRequest
from .phrases import signer_capacity


def current_document_for_signature(contract: PartnershipContract) -> ContractDocument | None:
    """The document presented for signature: the latest one rendered (a new submission renders another)."""
    return contract.documents.filter(kind=DocumentKind.FOR_SIGNATURE).order_by("-created_at", "-pk").first()


def final_document_of(contract: PartnershipContract):
    """The sealed final PDF of ``contract`` (``None`` until the worker has produced it)."""
    return contract.documents.filter(kind=DocumentKind.SIGNED).order_by("-pk").first()


def signed_document_with_digest(sha256: str) -> ContractDocument | None:
    """The sealed final PDF whose SHA-256 is ``sha256``, with its contract and delegation; ``None`` if none is."""
    return (
        ContractDocument.objects.filter(kind=DocumentKind.SIGNED, sha256=sha256)
        .select_related("contract__delegation")
        .first()
    )


def signature_requests_of(contract: PartnershipContract) -> list[SignatureRequest]:
    return list(contract.signature_requests.order_by("step", "pk"))


def contracts_missing_final_document() -> QuerySet[PartnershipContract]:
    """Contracts countersigned on the platform whose sealed final PDF does not exist (yet)."""
    return (
        PartnershipContract.objects.filter(status__in=COUNTERSIGNED_STATUSES, signed_at__isnull=False)
        .filter(
            Exists(
                SignatureRequest.objects.filter(
                    contract=OuterRef("pk"), role=SignerRole.DELEGATION, status=SignatureRequestStatus.SIGNED
                )
            )
        )
        .exclude(Exists(ContractDocument.objects.filter(contract=OuterRef("pk"), kind=DocumentKind.SIGNED)))
    )


def _countersignatures_of(user) -> QuerySet[SignatureRequest]:
    # The délégué's request is addressed by e-mail, as the e-mailed link is: a request handed over to
    # another person (``signature_request_replace_signer``) follows that person's account.
    return SignatureRequest.objects.filter(
        role=SignerRole.DELEGATION,
        status=SignatureRequestStatus.SENT,
        signer_email__iexact=user.email,
        contract__status=ContractStatus.SIGNED_BY_COLLECTIVITY,
    )


def contracts_awaiting_countersignature(user) -> QuerySet[PartnershipContract]:
    """Contracts every collectivité has signed that now wait for ``user``'s countersignature.

    Each carries ``collectivities_signed_at``, the moment the last collectivité signed.
    """
    if not permissions.is_cnfpt_staff(user) or not user.email:
        return PartnershipContract.objects.none()
    last_collectivity_signature = (
        SignatureRequest.objects.filter(contract=OuterRef("pk"), step=1, status=SignatureRequestStatus.SIGNED)
        .order_by("-signed_at")
        .values("signed_at")[:1]
    )
    return (
        contracts_manageable_by(user)
        .filter(Exists(_countersignatures_of(user).filter(contract=OuterRef("pk"))))
        .annotate(collectivities_signed_at=Subquery(last_collectivity_signature))
        .select_related("delegation")
        .prefetch_related(parties_prefetch())
        .order_by("collectivities_signed_at", "pk")
    )


def contracts_countersigned_by(user) -> QuerySet[PartnershipContract]:
    """Contracts ``user`` has countersigned (within the contracts they may manage)."""
    if not permissions.is_cnfpt_staff(user) or not user.email:
        return PartnershipContract.objects.none()
    signed = SignatureRequest.objects.filter(
        contract=OuterRef("pk"),
        role=SignerRole.DELEGATION,
        status=SignatureRequestStatus.SIGNED,
        signer_email__iexact=user.email,
    )
    return contracts_manageable_by(user).filter(Exists(signed))


def countersignature_request_for(user, contract: PartnershipContract) -> SignatureRequest | None:
    """The open countersignature request of ``contract`` addressed to ``user``, if any."""
    if not permissions.is_cnfpt_staff(user) or not user.email:
        return None
    return (
        _countersignatures_of(user)
        .filter(contract=contract)
        .select_related("contract__delegation", "document", "party__collectivity")
        .first()
    )


# --- After signing: what the signer's link still shows ---------------------------------------------


@dataclass(frozen=True)
class AfterSigning:
    """Where a signed request's contract stands, for the page its link shows once signed."""

    is_countersignature: bool
    other_signers_pending: list[str]
    other_signers_done: list[str]
    countersigner_name: str
    countersigner_function: str
    countersigned: bool
    # Every collectivité has signed: the délégué has been asked to countersign (and when, once the link is out).
    countersignature_requested: bool
    countersignature_requested_at: datetime.datetime | None
    # Why the signing stopped before the countersignature (« Marie Martin a refusé de signer »), or "".
    interrupted: str
    final_document: ContractDocument | None
    available_until: datetime.datetime


def signed_documents_available_until(request: SignatureRequest) -> datetime.datetime | None:
    """Until when a signed request's link still hands out what was signed (and the sealed final PDF).

    As long as a fresh link would be valid, counted from the signature: the link then serves the
    signer, who proved their identity with a code to sign, and whose mailbox receives the sealed PDF
    anyway. ``None`` when the request is not signed.
    """
    if request.status != SignatureRequestStatus.SIGNED or request.signed_at is None:
        return None
    return request.signed_at + datetime.timedelta(days=settings.SIGNATURE_LINK_VALIDITY_DAYS)


def signed_documents_available(request: SignatureRequest, *, now=None) -> bool:
    until = signed_documents_available_until(request)
    return until is not None and (now or timezone.now()) < until


def _collectivities(round_: list[SignatureRequest], request: SignatureRequest, status: str) -> list[str]:
    """The collectivités of the round, other than ``request``'s, whose request is in ``status``."""
    return [
        other.party.collectivity.name if other.party_id else other.signer_name
        for other in round_
        if other.step == 1 and other.pk != request.pk and other.status == status
    ]


def after_signing(request: SignatureRequest) -> AfterSigning:
    """What happens next for the contract ``request`` (signed) belongs to: the other collectivités, the
    countersignature, the sealed final PDF; or why the signing stopped."""
    round_ = [
        other
        for other in request.contract.signature_requests.filter(document_id=request.document_id)
        .select_related("party__collectivity")
        .order_by("step", "pk")
        if other.status != SignatureRequestStatus.REPLACED
    ]
    countersignature = next((other for other in round_ if other.step == 2), None)
    countersigned = countersignature is not None and countersignature.status == SignatureRequestStatus.SIGNED
    interrupted = ""
    if not countersigned and not any(other.status in OPEN_REQUEST_STATUSES for other in round_):
        declined = next((other for other in round_ if other.status == SignatureRequestStatus.DECLINED), None)
        expired = next((other for other in round_ if other.status == SignatureRequestStatus.EXPIRED), None)
        if declined:
            interrupted = f"{declined.signer_name} a refusé de signer"
        elif expired:
            interrupted = f"le lien de signature de {expired.signer_name} a expiré"
        else:
            interrupted = "la délégation l'a retiré de la signature"
    return AfterSigning(
        is_countersignature=request.role == SignerRole.DELEGATION,
        other_signers_pending=_collectivities(round_, request, SignatureRequestStatus.SENT),
        other_signers_done=_collectivities(round_, request, SignatureRequestStatus.SIGNED),
        countersigner_name=countersignature.signer_name if countersignature else "",
        countersigner_function=signer_capacity(countersignature) if countersignature else "",
        countersigned=countersigned,
        countersignature_requested=countersignature is not None
        and countersignature.status == SignatureRequestStatus.SENT,
        countersignature_requested_at=countersignature.sent_at
        if countersignature is not None and countersignature.status == SignatureRequestStatus.SENT
        else None,
        interrupted=interrupted,
        final_document=final_document_of(request.contract) if countersigned else None,
        available_until=signed_documents_available_until(request),
    )


# --- « À faire » (the blocks are declared in ``agreements/todo.py``) ----------------------------------


def signature_requests_needing_attention(user, *, now=None) -> QuerySet[SignatureRequest]:
    """Requests of a signing still in progress that the delegation must act on: link blocked after
    wrong codes, link expired or about to expire, or refused (the contract went back to draft and was
    not sent again since)."""
    now = now or timezone.now()
    soon = now + datetime.timedelta(days=settings.SIGNATURE_EXPIRY_WARNING_DAYS)
    in_progress = Q(contract__status__in=(ContractStatus.READY_FOR_SIGNATURE, ContractStatus.SIGNED_BY_COLLECTIVITY))
    sent = Q(status=SignatureRequestStatus.SENT)
    return (
        SignatureRequest.objects.filter(contract__in=contracts_manageable_by(user).values("pk"))
        .filter(
            in_progress & sent & (Q(locked_at__isnull=False) | Q(expires_at__lte=soon))
            | in_progress & Q(status=SignatureRequestStatus.EXPIRED)
            | Q(
                status=SignatureRequestStatus.DECLINED,
                contract__status=ContractStatus.DRAFT,
                contract__submitted_at__lte=F("created_at"),
            )
        )
        .select_related("contract")
        .order_by("expires_at", "pk")
    )


def contracts_to_sign(user) -> QuerySet[PartnershipContract]:
    """Contracts a signatory's collectivité has to sign now (its request is sent, not yet signed)."""
    if not permissions.is_signatory(user):
        return PartnershipContract.objects.none()
    waiting = SignatureRequest.objects.filter(
        party__collectivity_id=user.collectivity_id, status=SignatureRequestStatus.SENT
    ).values("contract_id")
    return (
        contracts_visible_to(user)
        .filter(status=ContractStatus.READY_FOR_SIGNATURE, pk__in=waiting)
        .prefetch_related(parties_prefetch())
        .order_by("submitted_at", "pk")
    )
