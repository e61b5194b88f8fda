"""« Émargement à saisir »: the day a session starts owing attendance marks, kept by the services.

A session owes attendance from the date of its first half-day on which a confirmed agent has no mark:
``Session.attendance_due_on`` (``None`` when every confirmed agent is marked on every half-day). The
session waits for its attendance sheet once that day has come, ``attendance_due_on <= today``: the
half-days of today count, attendance being taken on the day. Reading it is one indexed comparison,
whatever the history behind it; the « À faire » page, its menu badge and the reminder to take attendance
all read it, so what the badge counts is what the page lists.

The date moves only when a session's confirmed agents, half-days or marks change, and every service that
changes them calls ``session_attendance_refresh`` in its own transaction (registration, cancellation,
promotion from the waiting list, half-days changed, sheet saved or imported). A bulk load that bypasses
the services (``generate_dataset``) calls ``attendance_due_rebuild`` once at the end, and
``manage.py rebuild_statistics`` does too.
"""

# The SQL here is assembled from this module's constants only; the status is a parameter.
# ruff: noqa: S608

from collections.abc import Iterable

from django.db import connection
from django.db.models import Exists, OuterRef, Subquery

from .enums import RegistrationStatus
from .models import Attendance, Registration, Session, SessionHalfDay


def first_unmarked_day() -> Subquery:
    """The date of the first half-day of session ``OuterRef("pk")`` on which a confirmed agent has no mark."""
    marked = Attendance.objects.filter(registration=OuterRef("pk"), half_day=OuterRef(OuterRef("pk")))
    unmarked = Registration.objects.filter(session=OuterRef("session"), status=RegistrationStatus.CONFIRMED).filter(
        ~Exists(marked)
    )
    half_days = SessionHalfDay.objects.filter(session=OuterRef("pk")).filter(Exists(unmarked))
    return Subquery(half_days.order_by("date").values("date")[:1])


def session_attendance_refresh(*, session_ids: Iterable[int]) -> None:
    """Recompute ``attendance_due_on`` of the given sessions from their registrations, half-days and marks.

    Called by the services, in their transaction, after any change of a session's confirmed agents,
    half-days or marks. Side effects: one UPDATE of those sessions (``updated_at`` untouched).
    """
    ids = sorted(set(session_ids))
    if ids:
        Session.objects.filter(pk__in=ids).update(attendance_due_on=first_unmarked_day())


# The same rule, set-based, for every session at once: a correlated subquery per session would look up
# each (agent, half-day) pair of a national year one by one. ``tests/trainings/test_attendance_due.py``
# checks that both give the same dates.
_FIRST_UNMARKED = (
    "(SELECT MIN(h.date) FROM trainings_sessionhalfday h"
    " JOIN trainings_registration r ON r.session_id = h.session_id AND r.status = %s"
    " LEFT JOIN trainings_attendance a ON a.registration_id = r.id AND a.half_day_id = h.id"
    " WHERE h.session_id = trainings_session.id AND a.id IS NULL)"
)
_REBUILD = (
    f"UPDATE trainings_session SET attendance_due_on = {_FIRST_UNMARKED}"
    f" WHERE attendance_due_on IS NOT {_FIRST_UNMARKED}"
)
_REBUILD_POSTGRESQL = (
    "UPDATE trainings_session s SET attendance_due_on = m.day"
    " FROM (SELECT s2.id, u.day FROM trainings_session s2 LEFT JOIN ("
    " SELECT h.session_id, MIN(h.date) AS day FROM trainings_sessionhalfday h"
    " JOIN trainings_registration r ON r.session_id = h.session_id AND r.status = %s"
    " LEFT JOIN trainings_attendance a ON a.registration_id = r.id AND a.half_day_id = h.id"
    " WHERE a.id IS NULL GROUP BY h.session_id) u ON u.session_id = s2.id) m"
    " WHERE m.id = s.id AND s.attendance_due_on IS DISTINCT FROM m.day"
)


def attendance_due_rebuild() -> int:
    """Recompute ``attendance_due_on`` of every session (after a bulk load); returns how many sessions changed."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_REBUILD_POSTGRESQL, [RegistrationStatus.CONFIRMED.value])
        else:
            cursor.execute(_REBUILD, [RegistrationStatus.CONFIRMED.value] * 2)
        return cursor.rowcount
