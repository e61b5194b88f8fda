"""The iCalendar (RFC 5545) file of an event, attached to its e-mails and offered on its page.

Written like every calendar file of the application (``partnership.calendar_files``): Paris time with its
``VTIMEZONE``, and a UID that names the event, not the site's address.
"""

from django.conf import settings
from django.utils import timezone

from partnership.calendar_files import new_calendar, new_event, to_ical, uid

from .models import Event


def event_location(event: Event) -> str:
    parts = [event.venue_address, event.venue_commune.name if event.venue_commune_id else ""]
    location = ", ".join(part for part in parts if part)
    return location or event.online_url


def event_ics(event: Event) -> bytes:
    calendar = new_calendar(product="Evenements")
    entry = new_event(
        identifier=uid("evenement", event.pk), start=event.starts_at, end=event.ends_at, stamp=timezone.now()
    )
    entry.add("summary", event.title)
    entry.add("description", f"{event.get_kind_display()} – {event.topic}, {event.period_display}")
    entry.add("location", event_location(event))
    entry.add("url", settings.SITE_URL + event.get_absolute_url())
    entry.add("status", "CANCELLED" if event.status == "cancelled" else "CONFIRMED")
    calendar.add_component(entry)
    return to_ical(calendar)
