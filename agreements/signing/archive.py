"""The sealed PDF's later life: keeping it verifiable after every certificate in its chain has expired.

PAdES-B-LTA: the seal is followed by a document timestamp, which proves that the seal and its validation
data existed at that time. Before the certificate of the authority behind the last document timestamp
expires, a new document timestamp is added over everything (with the validation data of the previous
one), and so on for as long as the contract is kept. ``seals_renew_timestamps`` (beat, daily) does it for
every seal that is due, one at a time; each renewal stores the extended PDF as a new sealed copy, so every
copy handed out before stays genuine on the verification page. A failure stays visible (admin « Cachets
des contrats », the contract's page) and is retried at the next run.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from ..enums import AuditEventKind, DocumentKind, TimestampRenewalStatus
from ..models import ContractDocument, PartnershipContract
from ..services import lifecycle as contract_lifecycle
from . import phrases, sealing
from .audit import audit_record
from .models import ContractSeal
from .report import seal_structure

logger = logging.getLogger(__name__)

# A renewal claimed this long ago and still « running » belongs to a worker that died: it may be taken over.
RUNNING_GRACE = datetime.timedelta(hours=1)


def contract_seal_record(*, contract: PartnershipContract, document: ContractDocument, sealed: bytes) -> ContractSeal:
    """Keep what the fresh seal of ``document`` is made of; called in the transaction that stores it."""
    structure = seal_structure(sealed)
    last = structure.document_timestamps[-1] if structure.document_timestamps else None
    return ContractSeal.objects.create(
        contract=contract,
        document=document,
        level=structure.level,
        timestamped_at=structure.signature_timestamp.at if structure.signature_timestamp else None,
        timestamp_authority=structure.signature_timestamp.authority if structure.signature_timestamp else "",
        renew_before=last.certificate_expires_at if last else None,
    )


def seals_due(*, now: datetime.datetime):
    """Seals whose last document timestamp's certificate expires within ``SIGNING_TIMESTAMP_RENEWAL_DAYS``."""
    horizon = now + datetime.timedelta(days=settings.SIGNING_TIMESTAMP_RENEWAL_DAYS)
    return ContractSeal.objects.filter(renew_before__isnull=False, renew_before__lte=horizon).exclude(
        renewal_status=TimestampRenewalStatus.RUNNING, renewal_attempted_at__gt=now - RUNNING_GRACE
    )


def _claim(seal: ContractSeal, now: datetime.datetime) -> bool:
    """Conditional UPDATE: of two overlapping runs, one renews the seal."""
    return bool(
        ContractSeal.objects.filter(pk=seal.pk)
        .filter(~Q(renewal_status=TimestampRenewalStatus.RUNNING) | Q(renewal_attempted_at__lte=now - RUNNING_GRACE))
        .update(
            renewal_status=TimestampRenewalStatus.RUNNING,
            renewal_attempted_at=now,
            renewal_attempts=F("renewal_attempts") + 1,
        )
    )


def _fail(seal: ContractSeal, message: str) -> None:
    ContractSeal.objects.filter(pk=seal.pk).update(
        renewal_status=TimestampRenewalStatus.FAILED, renewal_error=message[:2000]
    )
    logger.error("Renewing the document timestamp of contract %s failed: %s", seal.contract_id, message)


def contract_seal_renew(*, seal_id: int, now: datetime.datetime | None = None) -> ContractDocument | None:
    """Add a document timestamp to the latest sealed copy of one contract, if it is due and not taken.

    Side effects: a new sealed ``ContractDocument`` (the same PDF, extended), the seal's new deadline, a
    ``timestamp_renewed`` audit event; on failure, the seal shows « échec » with its reason and nothing
    else is written. Returns the new document, or ``None`` when there was nothing to do or it failed.
    """
    now = now or timezone.now()
    seal = seals_due(now=now).select_related("document").filter(pk=seal_id).first()
    if seal is None or not _claim(seal, now):
        return None
    try:
        with seal.document.file.open("rb") as handle:
            renewed = sealing.timestamp_renew(handle.read())
        structure = seal_structure(renewed)
        deadline = structure.document_timestamps[-1].certificate_expires_at
    except Exception as exc:
        _fail(seal, f"{type(exc).__name__} : {exc}")
        return None
    if deadline <= seal.renew_before:
        _fail(
            seal,
            f"L'autorité d'horodatage signe toujours avec un certificat qui expire le {deadline:%d/%m/%Y} : "
            "le nouvel horodatage ne prolongerait rien. Configurez une autorité dont le certificat dure plus longtemps.",
        )
        return None
    with transaction.atomic():
        contract = PartnershipContract.objects.select_for_update().get(pk=seal.contract_id)
        if ContractSeal.objects.filter(pk=seal.pk, document=seal.document).count() != 1:
            return None  # another run stored a renewal in between: keep it, drop ours
        document = contract_lifecycle.contract_document_store(
            contract=contract,
            kind=DocumentKind.SIGNED,
            title=f"{phrases.signed_document_title(contract)} (horodatage prolongé le {timezone.localdate(now):%d/%m/%Y})",
            filename=f"{contract.reference}-signe.pdf",
            content=renewed,
            actor=None,
        )
        ContractSeal.objects.filter(pk=seal.pk).update(
            document=document,
            level=structure.level,
            renew_before=deadline,
            renewals=F("renewals") + 1,
            renewal_status=TimestampRenewalStatus.IDLE,
            renewal_error="",
        )
        audit_record(
            contract=contract,
            kind=AuditEventKind.TIMESTAMP_RENEWED,
            actor="Plateforme",
            document_sha256=document.sha256,
            detail={"previous_sha256": seal.document.sha256, "valid_until": deadline.isoformat()},
        )
    return document


def seals_renew_timestamps(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Periodic: renew every seal that is due, one after the other. Returns how many were renewed and failed."""
    now = now or timezone.now()
    counts = {"renewed": 0, "failed": 0}
    for seal_id in list(seals_due(now=now).order_by("renew_before", "pk").values_list("pk", flat=True)):
        if contract_seal_renew(seal_id=seal_id, now=now) is not None:
            counts["renewed"] += 1
        elif ContractSeal.objects.filter(pk=seal_id, renewal_status=TimestampRenewalStatus.FAILED).exists():
            counts["failed"] += 1
    return counts
