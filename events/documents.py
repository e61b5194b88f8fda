"""Attendance certificates (PDF, WeasyPrint), generated on request from the check-in record."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone

from .models import EventRegistration


def attendance_certificate_pdf(registration: EventRegistration) -> bytes:
    """The certificate of a checked-in participant; refused for anyone else."""
    from weasyprint import HTML

    if registration.checked_in_at is None:
        raise ValidationError(
            "L'attestation de présence n'est délivrée qu'aux participants dont la présence a été pointée."
        )
    html = render_to_string(
        "events/attendance_certificate.html",
        {"registration": registration, "event": registration.event, "issued_on": timezone.localdate()},
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def certificate_filename(registration: EventRegistration) -> str:
    return f"attestation-presence-{registration.event_id}-{registration.pk}.pdf"
