"""The agent's convocation: their registration, its session and its place, behind a personal link.

Agents rarely have an account: the e-mails about their registration (confirmation, waiting list,
reminder) link to this page instead of the session's page of the workspace, which they could not
open. The link is signed (``django.core.signing``, salted for this use), so it carries only the
registration's id and cannot be forged for another one; it is built when the e-mail is written,
inside the worker (no link travels through the broker). It stops working once the registration is
anonymised (retention), and after ``CONVOCATION_MAX_AGE``.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse

from partnership.calendar_files import new_calendar, to_ical

from .documents import half_day_event
from .enums import RegistrationStatus
from .models import Registration
from .selectors import with_waiting_position

SALT = "trainings.convocation"
# A registration is made weeks or months ahead, and its certificate is asked for after the session.
CONVOCATION_MAX_AGE = datetime.timedelta(days=400)


def convocation_url(registration: Registration) -> str:
    token = signing.dumps(registration.pk, salt=SALT)
    return settings.SITE_URL + reverse("trainings:convocation", args=[token])


def registration_from_convocation(token: str) -> Registration | None:
    """The registration a convocation link names, or ``None`` (altered, expired, or anonymised)."""
    try:
        pk = signing.loads(token, salt=SALT, max_age=CONVOCATION_MAX_AGE)
    except signing.BadSignature:
        return None
    registrations = Registration.objects.filter(pk=pk, anonymised_at__isnull=True)
    return (
        with_waiting_position(registrations)
        .select_related("session__action__delegation", "session__venue", "employer")
        .first()
    )


# What the agent's calendar says, by the registration's status: only a confirmed place is an appointment.
WAITLISTED_NOTE = (
    "Liste d'attente : vous n'êtes pas encore convoqué(e), ne vous déplacez pas. "
    "Un e-mail vous préviendra si une place se libère."
)
CANCELLED_NOTE = "Inscription annulée : cette formation ne vous attend plus."


def _replace(component, name: str, value: str) -> None:
    component.pop(name)
    component.add(name, value)


def convocation_calendar(registration: Registration, url: str) -> bytes:
    """The agent's session for their own calendar, one entry per half-day, linked to their convocation (``url``).

    A confirmed place gives confirmed entries. A place on the waiting list gives tentative entries
    (``STATUS:TENTATIVE``, shown as free time) whose title and description say so; a cancelled
    registration, cancelled entries: the same UIDs as the confirmed ones, so a calendar that imported
    one updates it instead of adding another.
    """
    session = registration.session
    calendar = new_calendar(product="Convocation", name=f"Formation – {session.action.title}")
    stamp = datetime.datetime.now(tz=datetime.UTC)
    for half_day in session.half_days.order_by("date", "period"):
        half_day.session = session
        event = half_day_event(half_day, stamp=stamp)
        note = ""
        if registration.status == RegistrationStatus.WAITLISTED and not session.is_cancelled:
            _replace(event, "summary", f"Liste d'attente – {event['summary']}")
            _replace(event, "status", "TENTATIVE")
            event.add("transp", "TRANSPARENT")
            note = WAITLISTED_NOTE
        elif registration.status == RegistrationStatus.CANCELLED and not session.is_cancelled:
            _replace(event, "summary", f"Inscription annulée – {event['summary']}")
            _replace(event, "status", "CANCELLED")
            note = CANCELLED_NOTE
        event.add("description", f"{note}\n\nVotre convocation : {url}" if note else f"Votre convocation : {url}")
        calendar.add_component(event)
    return to_ical(calendar)
