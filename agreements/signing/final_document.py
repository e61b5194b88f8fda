"""The final contract PDF: one archival PDF/A-3 with the contract as presented for signature, the signature
page and the certificate of completion, carrying as associated files the exact PDF the signers read
(``Source``) and the audit trail in JSON (``Supplement``, ``evidence``). Built before the seal."""

from django.conf import settings
from django.utils import timezone

from partnership.pdf import EmbeddedFile, render_pdf

from ..enums import SignatureRequestStatus
from ..models import PartnershipContract
from ..pdf import contract_pdf_context
from . import evidence
from .selectors import current_document_for_signature


def build_final_pdf(contract: PartnershipContract) -> bytes:
    document = current_document_for_signature(contract)
    with document.file.open("rb") as handle:
        signed_bytes = handle.read()
    requests = list(
        contract.signature_requests.filter(document=document)
        .select_related("party__collectivity")
        .order_by("step", "signed_at", "pk")
    )
    signers = [request for request in requests if request.status == SignatureRequestStatus.SIGNED]
    events = list(contract.audit_events.order_by("sequence"))
    generated_at = timezone.localtime()
    trail = evidence.audit_trail_document(
        contract=contract, document=document, requests=requests, events=events, generated_at=generated_at
    )
    signed_file_name = trail["signed_document"]["file"]
    context = {
        **contract_pdf_context(contract),
        # The text reproduces the document presented for signature, dated as it was.
        "generated_at": timezone.localtime(document.created_at),
        "certificate_generated_at": generated_at,
        "document": document,
        "signers": signers,
        "events": events,
        "signed_file_name": signed_file_name,
        "audit_file_name": evidence.FILE_NAME,
        "timestamped": bool(settings.SIGNING_TSA_URL),
    }
    files = (
        EmbeddedFile(
            name=signed_file_name,
            content=signed_bytes,
            description=f"Le document exact présenté aux signataires (SHA-256 {document.sha256})",
            relationship="Source",
        ),
        EmbeddedFile(
            name=evidence.FILE_NAME,
            content=evidence.audit_trail_bytes(trail),
            description=f"Piste d'audit du contrat {contract.reference} ({evidence.FORMAT}, version {evidence.VERSION})",
            relationship="Supplement",
        ),
    )
    return render_pdf("agreements/final_document.html", context, archival=True, files=files)
