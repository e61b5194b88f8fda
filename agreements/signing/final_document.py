"""The final contract PDF: the exact document signed, then a signature page and a certificate of completion."""

import io

from django.utils import timezone

from partnership.pdf import render_pdf

from ..enums import SignatureRequestStatus
from ..models import PartnershipContract
from .selectors import current_document_for_signature


def _annex_pdf(contract: PartnershipContract, document) -> bytes:
    signers = list(
        contract.signature_requests.filter(document=document, status=SignatureRequestStatus.SIGNED).order_by(
            "step", "signed_at"
        )
    )
    events = list(contract.audit_events.select_related("request").order_by("sequence"))
    return render_pdf(
        "agreements/signature_certificate.html",
        {
            "contract": contract,
            "document": document,
            "signers": signers,
            "events": events,
            "parties": list(contract.parties.select_related("collectivity")),
            "generated_at": timezone.localtime(),
        },
    )


def build_final_pdf(contract: PartnershipContract) -> bytes:
    """Concatenate the signed document's exact pages with the signature page and certificate."""
    from pypdf import PdfReader, PdfWriter  # noqa: PLC0415 — heavy, loaded where a final PDF is built (the worker)

    document = current_document_for_signature(contract)
    with document.file.open("rb") as handle:
        original = handle.read()
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(original)))
    writer.append(PdfReader(io.BytesIO(_annex_pdf(contract, document))))
    writer.add_metadata(
        {"/Title": f"Contrat {contract.reference} signé", "/Producer": "Plateforme du partenariat CNFPT-AMF"}
    )
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
