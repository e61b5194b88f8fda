"""Documents generated from the data: PDF sheets and certificates, a half-day's calendar event.

Certificates are rendered on request rather than stored: attendance can still be corrected, and a
stored copy would go stale.
"""

import datetime

from partnership.calendar_files import PARIS, new_event, uid
from partnership.text import french_time_range

from .enums import Period

PERIOD_HOURS = {Period.MORNING: ((9, 0), (12, 30)), Period.AFTERNOON: ((13, 30), (17, 0))}


def half_day_bounds(half_day) -> tuple[datetime.datetime, datetime.datetime]:
    (start_h, start_m), (end_h, end_m) = PERIOD_HOURS[half_day.period]
    day = half_day.date
    return (
        datetime.datetime(day.year, day.month, day.day, start_h, start_m, tzinfo=PARIS),
        datetime.datetime(day.year, day.month, day.day, end_h, end_m, tzinfo=PARIS),
    )


def half_day_hours(half_day) -> str:
    """« 9 h – 12 h 30 »: the hours of a half-day, as the convocation and the calendar give them."""
    return french_time_range(*half_day_bounds(half_day))


def half_day_event(half_day, *, stamp: datetime.datetime):
    """The ``VEVENT`` of one half-day of a session (no personal data of trainees): the same UID in the
    delegation's feed and in every agent's convocation, so a calendar keeps one entry for it."""
    session = half_day.session
    start, end = half_day_bounds(half_day)
    event = new_event(
        identifier=uid("session", session.pk, f"{half_day.date:%Y%m%d}", half_day.period),
        start=start,
        end=end,
        stamp=stamp,
    )
    prefix = "ANNULÉE – " if session.is_cancelled else ""
    event.add("summary", f"{prefix}{session.action.title}")
    event.add("location", ", ".join(part for part in (session.address, session.venue.name) if part))
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    return event
