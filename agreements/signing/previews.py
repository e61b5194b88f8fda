"""Page images of a contract document, so that it reads on any screen (phones show no PDF in a page)."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

PREVIEW_SCALE = 1.6  # about 115 dpi: legible on a phone, light enough to load


def page_count(document) -> int:
    import pypdfium2

    with document.file.open("rb") as handle:
        pdf = pypdfium2.PdfDocument(handle.read())
    try:
        return len(pdf)
    finally:
        pdf.close()


def page_png(document, number: int) -> bytes | None:
    """PNG of page ``number`` (1-based), rendered once and kept in storage beside the document."""
    import io

    import pypdfium2

    path = f"contracts/previews/{document.sha256}/{number}.png"
    if default_storage.exists(path):
        with default_storage.open(path, "rb") as handle:
            return handle.read()
    with document.file.open("rb") as handle:
        pdf = pypdfium2.PdfDocument(handle.read())
    try:
        if not 1 <= number <= len(pdf):
            return None
        image = pdf[number - 1].render(scale=PREVIEW_SCALE).to_pil()
    finally:
        pdf.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    content = buffer.getvalue()
    default_storage.save(path, ContentFile(content))
    return content
