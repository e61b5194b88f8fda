"""The e-mails of events: what they say and what they carry. Called by ``events.tasks``."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from .enums import RegistrationStatus
from .ics import event_ics
from .models import Event, EventRegistration


def _personal_link(token: str) -> str:
    return settings.SITE_URL + reverse("events:registration_manage", args=[token])


def _send(*, registration: EventRegistration, subject: str, template: str, context: dict, ics: bool) -> None:
    event = registration.event
    body = render_to_string(
        template,
        {
            "registration": registration,
            "event": event,
            "event_url": settings.SITE_URL + event.get_absolute_url(),
            **context,
        },
    )
    message = EmailMessage(subject=subject, body=body, to=[registration.email])
    if ics:
        message.attach("evenement.ics", event_ics(event), "text/calendar; charset=utf-8; method=PUBLISH")
    message.send()


def send_registration_received(registration: EventRegistration, *, token: str) -> None:
    """Confirmation (with the .ics file) or waiting-list notice, with the personal link."""
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    _send(
        registration=registration,
        subject=(
            f"Inscription confirmée : {registration.event.title}"
            if confirmed
            else f"Liste d'attente : {registration.event.title}"
        ),
        template="events/emails/registration_received.txt",
        context={"personal_link": _personal_link(token), "confirmed": confirmed},
        ics=confirmed,
    )


def send_promotion(registration: EventRegistration) -> None:
    """A seat freed up: the waitlisted registrant is now confirmed."""
    _send(
        registration=registration,
        subject=f"Une place s'est libérée : {registration.event.title}",
        template="events/emails/registration_promoted.txt",
        context={},
        ics=True,
    )


def send_event_cancelled(event: Event) -> int:
    registrations = event.registrations.select_related("event").filter(
        status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]
    )
    count = 0
    for registration in registrations:
        _send(
            registration=registration,
            subject=f"Événement annulé : {event.title}",
            template="events/emails/event_cancelled.txt",
            context={},
            ics=False,
        )
        count += 1
    return count
