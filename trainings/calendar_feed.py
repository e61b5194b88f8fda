"""The delegation's iCalendar feed: its window, its file written line by line, its ETag."""

import datetime
import hashlib

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag

from partnership.calendar_files import UID_DOMAIN, content_line, escape_text, timezone_lines, utc_time

from . import calendar_selectors
from .documents import PERIOD_HOURS
from .enums import SessionStatus

# Reversed once per feed, then replaced by each session's id.
URL_PLACEHOLDER = "987654321"
# Said on the page that offers the link and in the file itself (``X-WR-CALDESC``).
WINDOW_DESCRIPTION = (
    f"les formations des {calendar_selectors.CALENDAR_FEED_DAYS_BACK} derniers jours "
    f"et des {calendar_selectors.CALENDAR_FEED_DAYS_AHEAD} prochains jours"
)


def calendar_feed_response(request, delegation) -> HttpResponse:
    """The feed of ``delegation`` today, or a 304 when the app polling it already holds this very file."""
    first, last = calendar_selectors.calendar_feed_window(timezone.localdate())
    content = calendar_feed(
        delegation,
        calendar_selectors.calendar_feed_sessions(delegation, first=first, last=last),
        calendar_selectors.calendar_feed_half_days(delegation, first=first, last=last),
        first,
        last,
    )
    etag = quote_etag(hashlib.sha256(content).hexdigest()[:32])
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="formations-{delegation.code}.ics"'
    response["ETag"] = etag
    return response


def calendar_feed(delegation, sessions: dict, half_days, first: datetime.date, last: datetime.date) -> bytes:
    """The delegation's feed: each half-day from ``first`` to ``last`` of its sessions
    (``calendar_selectors.calendar_feed_half_days``, ``calendar_selectors.calendar_feed_sessions``), each linked to the session's
    page. The same events as ``half_day_event`` writes (UID, times, summary, place, status), written line by
    line: a year of a large delegation is tens of thousands of them, so what a session says is written once
    and repeated for each of its half-days. Each ``DTSTAMP`` is the session's last change, so that the file,
    and its ETag, only change when a session does."""
    times = {
        period: [f"T{hour:02d}{minute:02d}00" for hour, minute in bounds] for period, bounds in PERIOD_HOURS.items()
    }
    url = settings.SITE_URL + reverse("trainings:session_detail", args=[URL_PLACEHOLDER])
    parts = [
        "BEGIN:VCALENDAR\r\n",
        content_line("PRODID", "-//Partenariat CNFPT-AMF//Sessions de formation//FR"),
        "VERSION:2.0\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n",
        content_line("X-WR-CALNAME", escape_text(f"Formations – {delegation.name}")),
        content_line("X-WR-CALDESC", escape_text(f"{delegation.name}\u00a0: {WINDOW_DESCRIPTION}.")),
        # Calendar apps poll a subscription at their own pace; this asks for a few hours.
        "REFRESH-INTERVAL;VALUE=DURATION:PT4H\r\nX-PUBLISHED-TTL:PT4H\r\n",
        timezone_lines(first - datetime.timedelta(days=1), last + datetime.timedelta(days=1)),
    ]
    said: dict[int, str] = {}  # session id → its lines after DTEND
    write = parts.append
    for session_id, day, period in half_days:
        if session_id not in said:
            if session_id not in sessions:  # created between the two queries: in the next poll
                continue
            status, address, venue, title, updated_at = sessions[session_id]
            cancelled = status == SessionStatus.CANCELLED
            said[session_id] = "".join(
                (
                    f"DTSTAMP:{utc_time(updated_at)}\r\n",
                    content_line("SUMMARY", escape_text(f"{'ANNULÉE – ' if cancelled else ''}{title}")),
                    content_line("LOCATION", escape_text(", ".join(part for part in (address, venue) if part))),
                    "STATUS:CANCELLED\r\n" if cancelled else "STATUS:CONFIRMED\r\n",
                    content_line("DESCRIPTION", escape_text(url.replace(URL_PLACEHOLDER, str(session_id)))),
                    "END:VEVENT\r\n",
                )
            )
        date = day.isoformat().replace("-", "")
        start, end = times[period]
        write(
            f"BEGIN:VEVENT\r\nUID:session-{session_id}-{date}-{period}@{UID_DOMAIN}\r\n"
            f"DTSTART;TZID=Europe/Paris:{date}{start}\r\nDTEND;TZID=Europe/Paris:{date}{end}\r\n"
        )
        write(said[session_id])
    write("END:VCALENDAR\r\n")
    return "".join(parts).encode()
