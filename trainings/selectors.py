"""Reads of the trainings app, scoped to who asks: out of scope means "not found"."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from agreements.models import ContractParty, ProgrammeLine
from partnership import permissions
from partnership.models import Delegation
from partnership.queues import with_queue_position

from .enums import ActionMode, AttendanceStatus, RegistrationStatus, SessionStatus
from .models import HALF_DAY, Attendance, Registration, Session, SessionHalfDay, TrainingAction


def _count(queryset: QuerySet, group_by: str):
    """A correlated ``COUNT(*)`` subquery: counts never multiply each other's rows."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_counts(sessions: QuerySet) -> QuerySet:
    """Annotate confirmed and waitlisted registrations and half-days present (trainee half-days)."""
    return sessions.annotate(
        confirmed_count=_count(
            Registration.objects.filter(session=OuterRef("pk"), status=RegistrationStatus.CONFIRMED), "session"
        ),
        waitlisted_count=_count(
            Registration.objects.filter(session=OuterRef("pk"), status=RegistrationStatus.WAITLISTED), "session"
        ),
        present_half_days=_count(
            Attendance.objects.filter(
                half_day__session=OuterRef("pk"),
                status=AttendanceStatus.PRESENT,
                registration__status=RegistrationStatus.CONFIRMED,
            ),
            "half_day__session",
        ),
    )


def with_present_half_days(registrations: QuerySet) -> QuerySet:
    """Annotate each registration with the number of half-days its agent attended."""
    return registrations.annotate(
        present_half_days=_count(
            Attendance.objects.filter(registration=OuterRef("pk"), status=AttendanceStatus.PRESENT), "registration"
        )
    )


def with_waiting_position(registrations: QuerySet) -> QuerySet:
    """Annotate ``waiting_position``: 1 for the next agent to get a place, None when not waiting.

    Counted over the whole session's queue (the order of ``registrations.waiting_list_fill``), not
    over the rows the viewer may see: an HR contact's agent may be third behind other employers'.
    """
    return with_queue_position(registrations, parent="session", waiting=RegistrationStatus.WAITLISTED)


def _speaker_session_ids(user):
    """Sessions ``user`` trains, through their speaker profile (events.Speaker.user)."""
    return Session.objects.filter(trainers__user=user).values("pk")


def sessions_visible_to(user) -> QuerySet[Session]:
    """The sessions ``user`` may see, with what their pages show joined in.

    Staff: their delegation's (national and AMF staff: all). HR contact: the open catalogue of the
    delegations covering their département, the actions of their collectivité's contracts, and any
    session one of their agents is registered to. Speaker: the sessions they train.
    """
    sessions = Session.objects.select_related(
        "action__delegation", "action__scheme", "action__theme", "action__programme_line__contract", "venue__department"
    )
    scope = permissions.delegation_scope(user)
    if scope is None:
        return sessions
    if scope:
        return sessions.filter(action__delegation_id__in=scope)
    if permissions.is_hr_contact(user):
        collectivity = user.collectivity
        covering = Delegation.objects.filter(departments=collectivity.department_id).values("pk")
        parties = ContractParty.objects.filter(collectivity_id=collectivity.pk).values("contract_id")
        registered = Registration.objects.filter(employer_id=collectivity.pk).values("session_id")
        return sessions.filter(
            Q(action__mode=ActionMode.INTER, action__delegation_id__in=covering)
            | Q(action__programme_line__contract_id__in=parties)
            | Q(pk__in=registered)
        )
    if permissions.is_speaker(user):
        return sessions.filter(pk__in=_speaker_session_ids(user))
    return sessions.none()


def _managed_delegation_ids(user) -> set[int] | None:
    """The delegations whose sessions ``user`` may change (``permissions.can_manage_delegation``): ``None``, all."""
    if permissions.is_national_staff(user):
        return None
    if permissions.is_delegation_staff(user):
        return {user.delegation_id}
    return set()


def sessions_manageable_by(user) -> QuerySet[Session]:
    """The sessions ``user`` may change or cancel: their delegation's (national staff: all), none for others."""
    managed = _managed_delegation_ids(user)
    sessions = sessions_visible_to(user)
    return sessions if managed is None else sessions.filter(action__delegation_id__in=managed)


def sessions_attendance_takeable_by(user) -> QuerySet[Session]:
    """The sessions whose attendance ``user`` may take (``permissions.can_take_attendance``): those they
    manage, and a speaker's the sessions they train."""
    managed = _managed_delegation_ids(user)
    sessions = sessions_visible_to(user)
    if managed is None:
        return sessions
    scope = Q(action__delegation_id__in=managed)
    if permissions.is_speaker(user):
        scope |= Q(pk__in=_speaker_session_ids(user))
    return sessions.filter(scope)


def actions_visible_to(user) -> QuerySet[TrainingAction]:
    # ``session_count`` a correlated subquery, not a join: computed for the rows shown, and a count of the
    # list stays a count of actions (a GROUP BY over every action of the history otherwise).
    actions = TrainingAction.objects.select_related(
        "delegation", "scheme", "theme", "programme_line__contract"
    ).annotate(session_count=_count(Session.objects.filter(action=OuterRef("pk")), "action"))
    scope = permissions.delegation_scope(user)
    if scope is None:
        return actions
    return actions.filter(delegation_id__in=scope)


def registrations_visible_to(user) -> QuerySet[Registration]:
    """Registrations ``user`` may see: an HR contact sees only their own collectivité's agents."""
    registrations = Registration.objects.select_related(
        "employer__department", "session__action__delegation", "session__venue"
    )
    if permissions.is_hr_contact(user):
        return registrations.filter(employer_id=user.collectivity_id)
    scope = permissions.delegation_scope(user)
    if scope is None:
        return registrations
    if scope:
        return registrations.filter(session__action__delegation_id__in=scope)
    if permissions.is_speaker(user):
        # A join from the speaker's profile (one per account): the planner starts from their few sessions
        # rather than walking every session of the country in date order.
        return registrations.filter(session__trainers__user=user, status=RegistrationStatus.CONFIRMED)
    return registrations.none()


def actions_manageable_by(user) -> QuerySet[TrainingAction]:
    """The actions ``user`` may plan sessions of: their delegation's (national staff: all), none for others."""
    managed = _managed_delegation_ids(user)
    actions = actions_visible_to(user)
    return actions if managed is None else actions.filter(delegation_id__in=managed)


def registrations_manageable_by(user) -> QuerySet[Registration]:
    """The registrations ``user`` may cancel: an HR contact's agents, a delegation's (national staff: all)."""
    registrations = registrations_visible_to(user)
    if permissions.is_hr_contact(user):
        return registrations
    managed = _managed_delegation_ids(user)
    return registrations if managed is None else registrations.filter(session__action__delegation_id__in=managed)


def certificates_visible_to(user) -> QuerySet[Registration]:
    """The registrations ``user`` may see whose agent attended at least one half-day: those have a certificate."""
    present = Attendance.objects.filter(registration=OuterRef("pk"), status=AttendanceStatus.PRESENT)
    return registrations_visible_to(user).filter(Exists(present))


def feed_delegations_manageable_by(user) -> QuerySet[Delegation]:
    """The delegations whose calendar link ``user`` may renew: their own (national staff: all)."""
    managed = _managed_delegation_ids(user)
    return Delegation.objects.all() if managed is None else Delegation.objects.filter(pk__in=managed)


def waiting_position(registration: Registration) -> int | None:
    """The place of ``registration`` in its session's queue (1 = next), None when not waiting."""
    return with_waiting_position(Registration.objects.filter(pk=registration.pk)).values_list(
        "waiting_position", flat=True
    )[0]


def programme_line_for_action(user, pk: str) -> ProgrammeLine | None:
    """The programme line ``pk`` when ``user`` may create an action under it (its contract is one they manage)."""
    # An id as a URL carries it: ASCII digits that fit a bigint (« ² » is a digit to Python, not to int()).
    if not (pk.isascii() and pk.isdigit() and len(pk) <= 18) or not permissions.can_manage_trainings(user):
        return None
    lines = ProgrammeLine.objects.select_related("contract__delegation", "theme")
    scope = permissions.delegation_scope(user)
    if scope is not None:
        lines = lines.filter(contract__delegation_id__in=scope)
    return lines.filter(pk=int(pk)).first()


def registration_list(user, *, session=None, status: str = "", start=None, end=None) -> QuerySet[Registration]:
    """The registrations list of ``user``, filtered by session, status and session start dates.

    Each row carries its agent's half-days present and, when waiting, its place in the queue.
    """
    registrations = registrations_visible_to(user).select_related("session__action")
    if session is not None:
        registrations = registrations.filter(session=session)
    if status:
        registrations = registrations.filter(status=status)
    if start:
        registrations = registrations.filter(session__start_date__gte=start)
    if end:
        registrations = registrations.filter(session__start_date__lte=end)
    return with_waiting_position(with_present_half_days(registrations)).order_by(
        "-session__start_date", "last_name", "pk"
    )


def waiting_list(session: Session) -> QuerySet[Registration]:
    """The session's waiting list in promotion order: first registered, first promoted."""
    return session.registrations.filter(status=RegistrationStatus.WAITLISTED).order_by("created_at", "pk")


def seat_goes_to_if_cancelled(registration: Registration) -> Registration | None:
    """Who would be confirmed (and e-mailed) if ``registration`` were cancelled now: what the confirmation says."""
    session = registration.session
    if registration.status != RegistrationStatus.CONFIRMED or session.start_date <= timezone.localdate():
        return None
    confirmed = session.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    if confirmed - 1 >= session.capacity:
        return None
    return waiting_list(session).first()


def trainer_user_ids(session: Session) -> list[int]:
    """Accounts of the speakers who train ``session`` (they may take its attendance)."""
    return [pk for pk in session.trainers.values_list("user_id", flat=True) if pk is not None]


@dataclass
class AttendanceRow:
    registration: Registration
    cells: list  # (half_day, status or "") in half-day order
    present_half_days: int

    @property
    def trainee_days(self) -> Decimal:
        return self.present_half_days * HALF_DAY


def attendance_grid(session: Session) -> tuple[list[SessionHalfDay], list[AttendanceRow]]:
    """The feuille d'émargement: confirmed registrations × half-days, in three queries."""
    half_days = list(session.half_days.order_by("date", "period"))
    registrations = list(
        session.registrations.filter(status=RegistrationStatus.CONFIRMED)
        .select_related("employer__department")
        .order_by("last_name", "first_name", "pk")
    )
    statuses = {
        (registration_id, half_day_id): status
        for registration_id, half_day_id, status in Attendance.objects.filter(half_day__session=session).values_list(
            "registration_id", "half_day_id", "status"
        )
    }
    rows = []
    for registration in registrations:
        cells = [(half_day, statuses.get((registration.pk, half_day.pk), "")) for half_day in half_days]
        present = sum(1 for _half_day, status in cells if status == AttendanceStatus.PRESENT)
        rows.append(AttendanceRow(registration=registration, cells=cells, present_half_days=present))
    return half_days, rows


def present_half_days(registration: Registration) -> list[SessionHalfDay]:
    """The half-days ``registration``'s agent attended (what a certificate lists)."""
    return list(
        SessionHalfDay.objects.filter(
            attendances__registration=registration, attendances__status=AttendanceStatus.PRESENT
        ).order_by("date", "period")
    )


def delivered_trainee_days_by_line(contract) -> dict[int, Decimal]:
    """Programme line id → trainee-days delivered (each half-day present = 0.5 day), in two queries.

    Every line of ``contract`` is a key, with ``Decimal("0")`` when nothing was delivered yet.
    Cancelled registrations do not count.
    """
    delivered: dict[int, Decimal] = defaultdict(Decimal)
    delivered.update({pk: Decimal("0") for pk in contract.programme_lines.values_list("pk", flat=True)})
    rows = (
        Attendance.objects.filter(
            status=AttendanceStatus.PRESENT,
            registration__status=RegistrationStatus.CONFIRMED,
            half_day__session__action__programme_line__contract=contract,
        )
        .order_by()
        .values("half_day__session__action__programme_line_id")
        .annotate(n=Count("pk"))
        .values_list("half_day__session__action__programme_line_id", "n")
    )
    for line_id, count in rows:
        delivered[line_id] = count * HALF_DAY
    return dict(delivered)


def session_list(user, *, past: bool, today: datetime.date) -> QuerySet[Session]:
    """The sessions ``user`` may see, with their counts: those not over yet, soonest first, or (``past``) those
    over, most recent first."""
    sessions = with_counts(sessions_visible_to(user))
    if past:
        return sessions.filter(end_date__lt=today).order_by("-start_date", "-pk")
    return sessions.filter(end_date__gte=today).order_by("start_date", "pk")


# --- « À faire » (the blocks are declared in ``trainings/todo.py``) --------------------------------


def _week(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    monday = today - datetime.timedelta(days=today.weekday())
    return monday, monday + datetime.timedelta(days=6)


def sessions_this_week(user, *, today: datetime.date | None = None) -> QuerySet[Session]:
    """Planned sessions ``user`` may see that take place, even partly, this week (Monday to Sunday)."""
    monday, sunday = _week(today or timezone.localdate())
    sessions = sessions_visible_to(user).filter(
        status=SessionStatus.PLANNED, start_date__lte=sunday, end_date__gte=monday
    )
    return with_counts(sessions).order_by("start_date", "pk")


def sessions_owing_attendance(sessions: QuerySet[Session], *, today: datetime.date | None = None) -> QuerySet:
    """The planned ``sessions`` with a half-day come (today included) on which a confirmed agent has no mark.

    Read from ``Session.attendance_due_on``, which the services keep (``trainings.attendance_due``): one
    indexed comparison, whatever the number of past sessions behind.
    """
    return sessions.filter(status=SessionStatus.PLANNED, attendance_due_on__lte=today or timezone.localdate())


def with_attendance_counts(sessions: QuerySet[Session], *, today: datetime.date | None = None) -> QuerySet:
    """Annotate ``confirmed`` agents, ``past_half_days`` (today included) and ``missing_marks`` (confirmed
    agents × past half-days − their marks on those half-days). Meant for the few rows a page shows."""
    today = today or timezone.localdate()
    confirmed = Registration.objects.filter(session=OuterRef("pk"), status=RegistrationStatus.CONFIRMED)
    past = SessionHalfDay.objects.filter(session=OuterRef("pk"), date__lte=today)
    marks = Attendance.objects.filter(
        half_day__session=OuterRef("pk"), half_day__date__lte=today, registration__status=RegistrationStatus.CONFIRMED
    )
    return sessions.annotate(
        confirmed=_count(confirmed, "session"),
        past_half_days=_count(past, "session"),
        marks=_count(marks, "half_day__session"),
    ).annotate(missing_marks=F("confirmed") * F("past_half_days") - F("marks"))


def sessions_awaiting_attendance(user, *, today: datetime.date | None = None) -> QuerySet[Session]:
    """Sessions ``user`` may take attendance of (their delegation's, or those they train) that owe marks."""
    if not permissions.can_record_attendance(user):
        return Session.objects.none()
    sessions = sessions_owing_attendance(sessions_visible_to(user), today=today)
    return with_attendance_counts(sessions, today=today).order_by("start_date", "pk")


def agents_coming_sessions(user, *, today: datetime.date | None = None) -> QuerySet[Registration]:
    """Confirmed registrations of an HR contact's agents to sessions not over yet."""
    return (
        registrations_visible_to(user)
        .filter(
            status=RegistrationStatus.CONFIRMED,
            session__status=SessionStatus.PLANNED,
            session__end_date__gte=today or timezone.localdate(),
        )
        .select_related("session__action")
        .order_by("session__start_date", "last_name", "first_name", "pk")
    )


def agents_waiting_list(user, *, today: datetime.date | None = None) -> QuerySet[Registration]:
    """Waitlisted registrations of an HR contact's agents to sessions not over yet, each with its
    ``waiting_position`` in the session's queue."""
    registrations = registrations_visible_to(user).filter(
        status=RegistrationStatus.WAITLISTED,
        session__status=SessionStatus.PLANNED,
        session__end_date__gte=today or timezone.localdate(),
    )
    return (
        with_waiting_position(registrations)
        .select_related("session__action")
        .order_by("session__start_date", "waiting_position", "pk")
    )


# « Attestations disponibles » on « À faire »: those of the sessions ended within this many days (all of them
# stay on the registrations list); a large city's history holds thousands.
RECENT_CERTIFICATES_DAYS = 92


def agents_certificates(user, *, today: datetime.date | None = None) -> QuerySet[Registration]:
    """Registrations of an HR contact's agents who attended at least one half-day of a session ended within
    ``RECENT_CERTIFICATES_DAYS``: their certificates, the latest first."""
    since = (today or timezone.localdate()) - datetime.timedelta(days=RECENT_CERTIFICATES_DAYS)
    attended = Attendance.objects.filter(registration=OuterRef("pk"), status=AttendanceStatus.PRESENT)
    return (
        registrations_visible_to(user)
        .filter(Exists(attended), status=RegistrationStatus.CONFIRMED, session__end_date__gte=since)
        .select_related("session__action")
        .order_by("-session__end_date", "last_name", "first_name", "pk")
    )


def speaker_coming_sessions(user, *, today: datetime.date | None = None) -> QuerySet[Session]:
    """Sessions a speaker trains that are not over yet."""
    if not permissions.is_speaker(user):
        return Session.objects.none()
    sessions = sessions_visible_to(user).filter(
        status=SessionStatus.PLANNED, end_date__gte=today or timezone.localdate()
    )
    return with_counts(sessions).order_by("start_date", "pk")
