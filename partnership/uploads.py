"""One check for every uploaded document: the extension is allowed, the size bounded, and the first
bytes match the extension (a renamed executable is not a PDF)."""

import os

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# Leading bytes of each accepted format.
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}
OFFICE_AND_PDF = ("pdf", "docx", "odt")
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def _french_list(items) -> str:
    items = [item.upper() for item in items if item != "jpeg"]
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} ou {items[-1]}"


def check_document(upload, *, allowed=OFFICE_AND_PDF, max_bytes=DEFAULT_MAX_BYTES, what="le document") -> None:
    """Raise a ``ValidationError`` in French if ``upload`` is not an acceptable document."""
    extension = os.path.splitext(upload.name or "")[1].lower().lstrip(".")
    if extension not in allowed:
        raise ValidationError(f"Format refusé : {what} doit être un fichier {_french_list(allowed)}.", code="format")
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            f"{what[0].upper()}{what[1:]} dépasse la taille maximale de {max_bytes // (1024 * 1024)} Mo.", code="size"
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(16)
    upload.seek(position)
    if not any(head.startswith(signature) for signature in SIGNATURES[extension]):
        raise ValidationError("Le contenu du fichier ne correspond pas à son extension.", code="content")


@deconstructible
class DocumentValidator:
    """The same check as a model field validator, so that the admin's uploads are checked too."""

    def __init__(self, allowed=OFFICE_AND_PDF, max_bytes=DEFAULT_MAX_BYTES, what="le document"):
        self.allowed = tuple(allowed)
        self.max_bytes = max_bytes
        self.what = what

    def __call__(self, value):
        if getattr(value, "_committed", False):
            return  # a file already stored (unchanged on edit) was checked when it was uploaded
        upload = value.file if hasattr(value, "field") else value  # FieldFile of a new upload, or the upload
        check_document(upload, allowed=self.allowed, max_bytes=self.max_bytes, what=self.what)

    def __eq__(self, other):
        return isinstance(other, DocumentValidator) and (self.allowed, self.max_bytes, self.what) == (
            other.allowed,
            other.max_bytes,
            other.what,
        )
