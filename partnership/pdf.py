"""Every PDF the platform produces is an HTML template rendered by WeasyPrint."""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string

# The archival profile: PDF/A-3 (ISO 19005-3, level U: every character mapped to Unicode), tagged for
# accessibility; the document's language and title come from the frame's <html lang> and <title>.
ARCHIVAL_VARIANT = "pdf/a-3u"


@dataclass(frozen=True)
class EmbeddedFile:
    """A file carried inside an archival PDF, as a PDF/A-3 associated file (``/AF``)."""

    name: str
    content: bytes
    description: str
    # ISO 32000-2, 7.11.3: Source, Data, Alternative, Supplement, EncryptedPayload, FormData, Schema.
    relationship: str


def render_pdf(template_name: str, context: dict, *, archival: bool = False, files: tuple = ()) -> bytes:
    """Render ``template_name``; ``archival``: as a tagged PDF/A-3 carrying ``files`` (``EmbeddedFile``)."""
    from weasyprint import HTML, Attachment  # noqa: PLC0415 — heavy native libraries, loaded by the processes that render a PDF

    html = render_to_string(template_name, context)
    document = HTML(string=html, base_url=str(settings.BASE_DIR))
    if not archival:
        return document.write_pdf()
    attachments = [
        Attachment(string=file.content, name=file.name, description=file.description, relationship=file.relationship)
        for file in files
    ]
    return document.write_pdf(pdf_variant=ARCHIVAL_VARIANT, pdf_tags=True, attachments=attachments)
