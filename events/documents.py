"""Attendance certificates (PDF, WeasyPrint), generated on request from the check-in record."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from partnership.pdf import render_pdf
from partnership.text import delegation_designation

from . import timing
from .models import Event, EventRegistration


def attendance_certificate_pdf(registration: EventRegistration) -> bytes:
    """The certificate of a checked-in participant, once the event is over; refused for anyone else.

    It is issued in the name of the event's actual co-organisers: the CNFPT (its delegation, or national)
    and the AMF or departmental associations of mayors the event names, and no one else.
    """
    if registration.checked_in_at is None:
        raise ValidationError(
            "L'attestation de présence n'est délivrée qu'aux participants dont la présence a été pointée."
        )
    event = registration.event
    timing.check_certificate_available(event)
    return render_pdf(
        "events/attendance_certificate.html",
        {
            "registration": registration,
            "event": event,
            "co_organisers": co_organisers(event),
            "issued_on": timezone.localdate(),
        },
    )


def co_organisers(event: Event) -> list[str]:
    """« CNFPT, délégation Auvergne-Rhône-Alpes », then the AMF and each association the event names."""
    cnfpt = "Centre national de la fonction publique territoriale (CNFPT)"
    if event.delegation_id:
        cnfpt += f", {delegation_designation(event.delegation.name)}"
    associations = sorted(event.mayors_associations.select_related("department"), key=_association_order)
    return [cnfpt, *(association.name for association in associations)]


def _association_order(association) -> tuple:
    # The AMF first, then the departmental associations by département.
    return (association.department_id is not None, association.department.code if association.department_id else "")


def certificate_filename(registration: EventRegistration) -> str:
    return f"attestation-presence-{registration.event_id}-{registration.pk}.pdf"
