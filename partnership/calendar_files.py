"""iCalendar files (RFC 5545) of the whole application: the training feed, an agent's convocation, an event.

One way to write them, so that every file is valid where strict calendar programs read it:

- every date-time is written in Paris time with ``TZID=Europe/Paris``, and the file carries a ``VTIMEZONE``
  for each ``TZID`` it uses (RFC 5545 §3.6.5: « an individual VTIMEZONE calendar component MUST be
  specified for each unique TZID parameter value »), covering the dates of its events;
- UIDs are ``<what>-<id>@partenariat-cnfpt-amf``: they name the object, not the address the site answers
  on, so a calendar that imported a file recognises the same event in a later one (a new ``SITE_URL``,
  a waiting list turned into a confirmed place) instead of adding it twice.

Small files go through ``icalendar``'s objects (``new_calendar``, ``new_event``, ``to_ical``). A feed of
thousands of events is written line by line instead (``content_line``, ``timezone_lines``): the same
properties, a few microseconds per event rather than a quarter of a millisecond.
"""

import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone

PARIS = ZoneInfo("Europe/Paris")
UID_DOMAIN = "partenariat-cnfpt-amf"


def uid(*parts) -> str:
    """``uid("evenement", 12)`` → ``"evenement-12@partenariat-cnfpt-amf"``."""
    return "-".join(str(part) for part in parts) + "@" + UID_DOMAIN


def new_calendar(*, product: str, name: str = "") -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", f"-//Partenariat CNFPT-AMF//{product}//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def new_event(*, identifier: str, start: datetime.datetime, end: datetime.datetime, stamp: datetime.datetime) -> Event:
    """A ``VEVENT`` with its UID and its times in Paris time (``TZID=Europe/Paris``)."""
    event = Event()
    event.add("uid", identifier)
    event.add("dtstamp", stamp.astimezone(datetime.UTC))
    event.add("dtstart", start.astimezone(PARIS))
    event.add("dtend", end.astimezone(PARIS))
    return event


def to_ical(calendar: Calendar) -> bytes:
    """The file, with a ``VTIMEZONE`` for each ``TZID`` its events use, valid over their dates."""
    starts = [component.decoded("dtstart") for component in calendar.walk("VEVENT")]
    ends = [component.decoded("dtend") for component in calendar.walk("VEVENT")]
    if starts:
        first = min(starts).astimezone(PARIS).date() - datetime.timedelta(days=1)
        last = max(ends).astimezone(PARIS).date() + datetime.timedelta(days=1)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()


# --- Writing a large file line by line (RFC 5545 §3.1 and §3.3.11) --------------------------------

_TEXT_ESCAPES = str.maketrans({"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n", "\r": ""})


def escape_text(value: str) -> str:
    """A ``TEXT`` value: backslash, semicolon, comma and line breaks escaped."""
    return value.translate(_TEXT_ESCAPES)


def content_line(name: str, value: str) -> str:
    """``NAME:value`` folded into lines of at most 75 octets, each ending in CRLF, never splitting a character."""
    line = f"{name}:{value}"
    encoded = line.encode()
    if len(encoded) <= 75:
        return line + "\r\n"
    parts, current, size, limit = [], [], 0, 75
    for character in line:
        width = len(character.encode())
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74  # continuation lines start with a space
        current.append(character)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts) + "\r\n"


def utc_time(moment: datetime.datetime) -> str:
    return f"{moment.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}"


def timezone_lines(first: datetime.date, last: datetime.date) -> str:
    """The ``VTIMEZONE`` of Europe/Paris covering ``first`` to ``last``, as CRLF-ended lines."""
    return Timezone.from_tzinfo(PARIS, first_date=first, last_date=last).to_ical().decode()
