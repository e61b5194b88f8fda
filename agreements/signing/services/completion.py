"""Completion of a countersigned contract: the final PDF built, sealed and stored, its e-mail, retries and the sweep."""

import datetime
import logging

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from partnership.dispatch import enqueue

from ...enums import (
    AuditEventKind,
    DocumentKind,
    SealingStatus,
)
from ...models import ContractDocument, PartnershipContract
from ...services import lifecycle as contract_lifecycle
from .. import archive, phrases, sealing, task_names
from ..audit import audit_record
from ..final_document import build_final_pdf
from ..selectors import contracts_missing_final_document

logger = logging.getLogger(__name__)


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
    sealed = sealing.seal_pdf(build_final_pdf(contract), reason=phrases.seal_reason(contract))
    with transaction.atomic():
        contract = PartnershipContract.objects.select_for_update().get(pk=contract.pk)
        if _sealed(contract.pk):
            return None
        document = contract_lifecycle.contract_document_store(
            contract=contract,
            kind=DocumentKind.SIGNED,
            title=phrases.signed_document_title(contract),
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
