"""An iCalendar file is valid RFC 5545: read by a strict parser (``ical``) and checked for what it lets pass.

``ical`` (the parser of Home Assistant's calendars, not ours) refuses a missing required property, a
malformed value or a bad nesting. It accepts a ``TZID`` that no ``VTIMEZONE`` defines when Python knows
the zone, which RFC 5545 §3.6.5 forbids (« an individual VTIMEZONE calendar component MUST be specified
for each unique TZID parameter value »): that, the CRLF line ends and the 75-octet lines are checked here.
"""

import re

from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar

TZID_PARAMETER = re.compile(r";TZID=([^:;]+)[:;]")


def assert_valid_ics(data: bytes) -> Calendar:
    """Fail with the reason when ``data`` is not a valid RFC 5545 file; return it parsed by ``icalendar``."""
    text = data.decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", ""), "les lignes finissent par CRLF"
    long_lines = [line for line in text.split("\r\n") if len(line.encode("utf-8")) > 75]
    assert long_lines == [], "lignes de plus de 75 octets (RFC 5545 §3.1)"
    calendar = IcsCalendarStream.calendar_from_ics(text)  # raises on anything the grammar refuses
    unfolded = text.replace("\r\n ", "").replace("\r\n\t", "")
    used = set(TZID_PARAMETER.findall(unfolded))
    defined = {timezone.tz_id for timezone in calendar.timezones}
    assert used <= defined, f"TZID sans VTIMEZONE : {sorted(used - defined)}"
    return Calendar.from_ical(data)
