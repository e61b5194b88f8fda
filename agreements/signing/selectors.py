"""Reads of signing: the documents presented for signature and handed back, the requests, and the
contracts waiting for a délégué's countersignature (permission-aware)."""

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from partnership import permissions

from ..enums import COUNTERSIGNED_STATUSES, ContractStatus, DocumentKind, SignatureRequestStatus, SignerRole
from ..models import ContractDocument, PartnershipContract
from ..selectors import contracts_manageable_by, parties_prefetch
from .models import SignatureRequest


def current_document_for_signature(contract: PartnershipContract) -> ContractDocument | None:
    """The document presented for signature: the latest one rendered (a new submission renders another)."""
    return contract.documents.filter(kind=DocumentKind.FOR_SIGNATURE).order_by("-created_at", "-pk").first()


def final_document_of(contract: PartnershipContract):
    """The sealed final PDF of ``contract`` (``None`` until the worker has produced it)."""
    return contract.documents.filter(kind=DocumentKind.SIGNED).order_by("-pk").first()


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
