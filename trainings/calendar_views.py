"""The training calendar (``/formations/calendrier/``): one month of half-days, as a grid or as a list.

A month grid of seven columns cannot be read on a phone, so the page carries both: the grid from
768 px up, the list of days below (``static/css/app.css``, no JavaScript). ``?vue=liste`` or
``?vue=grille`` asks for one of them at every width, and the month links keep that choice.

A busy day of a large delegation holds hundreds of half-days: a day of the month shows the first
``calendar_selectors.CALENDAR_HALF_DAYS_PER_DAY`` of them, then « + N autres », a link to that day's list
(``?jour=AAAA-MM-JJ``, paginated), so that the month costs the same whatever the delegation's size.
"""

import calendar
import datetime

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from partnership import permissions
from partnership.viewutils import gate, paginate

from . import calendar_selectors
from .calendar_feed import WINDOW_DESCRIPTION

MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
# ``?vue=`` → the view shown at every width; without it (or with anything else), the width decides.
VIEWS = {"grille": "grid", "liste": "list"}
HALF_DAYS_PER_PAGE = 50


def _month(value: str, today: datetime.date) -> datetime.date:
    """The first day of the month ``AAAA-MM``; the current month for anything else."""
    try:
        year, month = (int(part) for part in value.split("-"))
        first = datetime.date(year, month, 1)
        # The grid and its previous/next links step outside the month: years 1 and 9999 would overflow.
        if not datetime.MINYEAR < year < datetime.MAXYEAR:
            raise ValueError(year)
    except ValueError:
        return today.replace(day=1)
    return first


def _day(value: str) -> datetime.date | None:
    """The day ``AAAA-MM-JJ``, or ``None``."""
    try:
        return datetime.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


@require_GET
@gate(permissions.can_use_trainings)
def session_calendar(request):
    """A month of the visible sessions' half-days, server-rendered: a grid of weeks, a list of days."""
    today = timezone.localdate()
    day = _day(request.GET.get("jour", ""))
    if day is not None:
        return _session_calendar_day(request, day, today)
    first = _month(request.GET.get("mois", ""), today)
    view = request.GET.get("vue", "")
    view = view if view in VIEWS else ""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    half_days = calendar_selectors.calendar_month_half_days(request.user, first=weeks[0][0], last=weeks[-1][-1])
    by_day: dict = {}
    for half_day in half_days:
        by_day.setdefault(half_day.date, CalendarDay(half_day.date, half_day.day_total)).half_days.append(half_day)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    feed_delegation = request.user.delegation if permissions.is_delegation_staff(request.user) else None
    feed = calendar_selectors.calendar_feed_for(feed_delegation) if feed_delegation else None
    suffix = f"&vue={view}" if view else ""
    return render(
        request,
        "trainings/session_calendar.html",
        {
            "title": f"{MONTHS[first.month - 1]} {first.year}",
            "month": first.month,
            "weekdays": WEEKDAYS,
            "weeks": [[by_day.get(day) or CalendarDay(day, 0) for day in week] for week in weeks],
            # The list keeps to the month itself; the grid's first and last weeks step outside it.
            "days": [entry for day, entry in by_day.items() if day.month == first.month],
            "view": VIEWS.get(view, ""),
            "month_query": f"mois={first:%Y-%m}",
            "previous_query": f"mois={previous:%Y-%m}{suffix}",
            "following_query": f"mois={following:%Y-%m}{suffix}",
            "today": today,
            "feed_delegation": feed_delegation,
            "feed_url": request.build_absolute_uri(
                reverse("trainings:calendar_feed", args=[feed_delegation.code]) + f"?jeton={feed.token}"
            )
            if feed
            else "",
            "feed_window": WINDOW_DESCRIPTION,
        },
    )


class CalendarDay:
    """A day of the month: the half-days shown, and how many more its own list holds."""

    def __init__(self, date: datetime.date, total: int):
        self.date = date
        self.total = total
        self.half_days: list = []

    @property
    def hidden(self) -> int:
        return self.total - len(self.half_days)


def _session_calendar_day(request, day: datetime.date, today: datetime.date):
    """Every half-day of one day, a page at a time: where « + N autres » of the month leads."""
    half_days = calendar_selectors.calendar_half_days(request.user, first=day, last=day).order_by(
        "period", "session__action__title", "pk"
    )
    return render(
        request,
        "trainings/session_calendar_day.html",
        {
            "day": day,
            "today": today,
            "page": paginate(request, half_days, HALF_DAYS_PER_PAGE),
            "month_query": f"mois={day:%Y-%m}",
        },
    )
