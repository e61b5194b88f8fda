"""Documents generated from the data: PDF sheets and certificates, the iCalendar feed.

Certificates are rendered on request rather than stored: attendance can still be corrected, and a
stored copy would go stale.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event

from .enums import Period

PARIS = ZoneInfo("Europe/Paris")
PERIOD_HOURS = {Period.MORNING: ((9, 0), (12, 30)), Period.AFTERNOON: ((13, 30), (17, 0))}


def half_day_bounds(half_day) -> tuple[datetime.datetime, datetime.datetime]:
    (start_h, start_m), (end_h, end_m) = PERIOD_HOURS[half_day.period]
    day = half_day.date
    return (
        datetime.datetime(day.year, day.month, day.day, start_h, start_m, tzinfo=PARIS),
        datetime.datetime(day.year, day.month, day.day, end_h, end_m, tzinfo=PARIS),
    )


def _clock(moment: datetime.datetime) -> str:
    return f"{moment.hour}\u00a0h" + (f"\u00a0{moment.minute:02d}" if moment.minute else "")


def half_day_hours(half_day) -> str:
    """« 9 h – 12 h 30 »: the hours of a half-day, as the convocation and the calendar give them."""
    start, end = half_day_bounds(half_day)
    return f"{_clock(start)}\u00a0– {_clock(end)}"


def _calendar(*, name: str, half_days, link) -> bytes:
    """One VEVENT per half-day (no personal data of trainees); ``link(session)`` goes in its description."""
    calendar = Calendar()
    calendar.add("prodid", "-//Partenariat CNFPT-AMF//Sessions de formation//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    stamp = datetime.datetime.now(tz=datetime.UTC)
    for half_day in half_days:
        session = half_day.session
        start, end = half_day_bounds(half_day)
        event = Event()
        event.add("uid", f"session-{session.pk}-{half_day.date:%Y%m%d}-{half_day.period}@partenariat-cnfpt-amf")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", end)
        prefix = "ANNULÉE – " if session.is_cancelled else ""
        event.add("summary", f"{prefix}{session.action.title}")
        event.add("location", ", ".join(part for part in (session.address, session.venue.name) if part))
        event.add("description", link(session))
        event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()


def calendar_feed(delegation, half_days) -> bytes:
    """The delegation's feed: every half-day of its sessions, each linked to the session's page."""
    return _calendar(
        name=f"Formations – {delegation.name}",
        half_days=half_days,
        link=lambda session: settings.SITE_URL + session.get_absolute_url(),
    )


def convocation_calendar(session, half_days, url: str) -> bytes:
    """One agent's session, for their own calendar, linked to their convocation (``url``)."""
    return _calendar(name=f"Formation – {session.action.title}", half_days=half_days, link=lambda _session: url)
