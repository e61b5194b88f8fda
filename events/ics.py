"""The iCalendar (RFC 5545) file attached to confirmation e-mails, written with ``icalendar``."""

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from .models import Event


def event_location(event: Event) -> str:
    parts = [event.venue_address, event.venue_commune.name if event.venue_commune_id else ""]
    location = ", ".join(part for part in parts if part)
    return location or event.online_url


def event_ics(event: Event) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Partenariat CNFPT-AMF//Evenements//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = CalendarEvent()
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0]
    entry.add("uid", f"evenement-{event.pk}@{host}")
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", event.starts_at)
    entry.add("dtend", event.ends_at)
    entry.add("summary", event.title)
    entry.add("description", f"{event.get_kind_display()} – {event.topic}")
    entry.add("location", event_location(event))
    entry.add("url", settings.SITE_URL + event.get_absolute_url())
    entry.add("status", "CANCELLED" if event.status == "cancelled" else "CONFIRMED")
    calendar.add_component(entry)
    return calendar.to_ical()
