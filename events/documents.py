"""Attendance certificates (PDF, WeasyPrint), generated on request from the check-in record."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from partnership.pdf import render_pdf

from .models import EventRegistration


def attendance_certificate_pdf(registration: EventRegistration) -> bytes:
    """The certificate of a checked-in participant; refused for anyone else."""
    if registration.checked_in_at is None:
        raise ValidationError(
            "L'attestation de présence n'est délivrée qu'aux participants dont la présence a été pointée."
        )
    return render_pdf(
        "events/attendance_certificate.html",
        {"registration": registration, "event": registration.event, "issued_on": timezone.localdate()},
    )


def certificate_filename(registration: EventRegistration) -> str:
    return f"attestation-presence-{registration.event_id}-{registration.pk}.pdf"
