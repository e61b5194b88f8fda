"""Reads of the training calendar: the month grid and its days, and the delegation's iCalendar feed window."""

import datetime
import hmac

from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber

from partnership.models import Delegation

from .models import CalendarFeed, Session, SessionHalfDay
from .selectors import sessions_visible_to


def calendar_half_days(user, *, first: datetime.date, last: datetime.date) -> QuerySet[SessionHalfDay]:
    """The half-days between ``first`` and ``last`` (included) of the sessions ``user`` may see, for the month
    grid: by date, morning first, then by title. One query."""
    return (
        SessionHalfDay.objects.filter(
            session__in=sessions_visible_to(user).values("pk"), date__gte=first, date__lte=last
        )
        .select_related("session__action", "session__venue")
        .order_by("date", "period", "session__action__title")
    )


# A day of the month calendar shows this many half-days at most, then « + N autres » (the day's own list).
CALENDAR_HALF_DAYS_PER_DAY = 6


def calendar_month_half_days(
    user, *, first: datetime.date, last: datetime.date, per_day: int = CALENDAR_HALF_DAYS_PER_DAY
) -> QuerySet[SessionHalfDay]:
    """The first ``per_day`` half-days of each day between ``first`` and ``last`` (included) that ``user`` may
    see, in the order of ``calendar_half_days``, each with ``day_total``, how many the day has in all. One
    query, whose size is bounded by the days shown rather than by how busy they are."""
    in_day = {"partition_by": [F("date")]}
    return (
        calendar_half_days(user, first=first, last=last)
        .annotate(
            day_rank=Window(
                RowNumber(), order_by=[F("period").asc(), F("session__action__title").asc(), F("pk").asc()], **in_day
            ),
            day_total=Window(Count("pk"), **in_day),
        )
        .filter(day_rank__lte=per_day)
        .order_by("date", "day_rank")
    )


# The delegation's iCalendar feed is a window, as Google Calendar's and Outlook's own feeds are: calendar apps
# poll it every few hours and keep what they already received, so the past beyond a month adds nothing to
# them and a whole history would make each poll as large as the delegation's activity.
CALENDAR_FEED_DAYS_BACK = 30
CALENDAR_FEED_DAYS_AHEAD = 365


def calendar_feed_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last days (included) the delegation's feed covers on ``today``."""
    return (
        today - datetime.timedelta(days=CALENDAR_FEED_DAYS_BACK),
        today + datetime.timedelta(days=CALENDAR_FEED_DAYS_AHEAD),
    )


def calendar_feed_for(delegation: Delegation) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(delegation=delegation).first()


def calendar_feed_delegation(*, code: str, token: str) -> Delegation | None:
    """The delegation whose iCalendar feed ``token`` opens; ``None`` for an unknown delegation, a delegation
    without a feed or a wrong token alike. The token is compared in constant time."""
    feed = CalendarFeed.objects.select_related("delegation").filter(delegation__code=code).first()
    if feed is None or not hmac.compare_digest(feed.token.encode(), token.encode()):
        return None
    return feed.delegation


def calendar_feed_half_days(delegation: Delegation, *, first: datetime.date, last: datetime.date):
    """The half-days of ``delegation``'s sessions from ``first`` to ``last`` (included), for its iCalendar feed:
    plain tuples (session id, date, period) by date and period; ``calendar_feed_sessions`` gives what each
    session says. Two queries for tens of thousands of rows, and no model built. Not ``iterator()``: a
    server-side cursor is planned for its first rows, ten times slower for all of them."""
    return (
        SessionHalfDay.objects.filter(session__action__delegation=delegation, date__gte=first, date__lte=last)
        .order_by("date", "period", "session_id")
        .values_list("session_id", "date", "period")
    )


def calendar_feed_sessions(delegation: Delegation, *, first: datetime.date, last: datetime.date) -> dict[int, tuple]:
    """Session id → (status, address, venue, action title, last change) of the sessions of
    ``calendar_feed_half_days``: each read once, not once per half-day."""
    half_days = SessionHalfDay.objects.filter(date__gte=first, date__lte=last).values("session_id")
    sessions = (
        Session.objects.filter(action__delegation=delegation, pk__in=half_days)
        .order_by()
        .values_list("pk", "status", "address", "venue__name", "action__title", "updated_at")
    )
    return {pk: rest for pk, *rest in sessions}
