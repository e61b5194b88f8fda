"""The contract as a PDF, rendered on the server from an HTML template by WeasyPrint."""

from django.utils import timezone

from partnership.pdf import render_pdf

from .models import PartnershipContract


def contract_pdf_context(contract: PartnershipContract) -> dict:
    parties = list(contract.parties.select_related("collectivity__department").order_by("position", "pk"))
    lines = list(contract.programme_lines.select_related("theme").order_by("year", "theme__family", "theme__position"))
    years = sorted({line.year for line in lines})
    return {
        "contract": contract,
        "parties": parties,
        "lines": lines,
        "years": years,
        "advisers": list(contract.advisers.all()),
        "total_days": sum((line.planned_days for line in lines), 0),
        "total_trainees": sum(line.planned_trainees for line in lines),
        "generated_at": timezone.localtime(),
    }


def render_contract_pdf(contract: PartnershipContract) -> bytes:
    return render_pdf("agreements/contract_pdf.html", contract_pdf_context(contract))
