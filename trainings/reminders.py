"""The reminders of training sessions, declared to the reminders engine (``notifications``)."""

import datetime

from django.conf import settings
from django.db.models import Count, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from notifications.registry import Due, Message, Recipient, ReminderKind, latest_due, register
from partnership.enums import Role

from .convocation import convocation_url
from .enums import RegistrationStatus, SessionStatus
from .models import Registration, Session
from .selectors import sessions_owing_attendance, with_attendance_counts


def _session_url(name: str, pk: int) -> str:
    return settings.SITE_URL + reverse(name, args=[pk])


def _upcoming(today: datetime.date, days: int):
    return Session.objects.filter(
        status=SessionStatus.PLANNED,
        start_date__gt=today,
        start_date__lte=today + datetime.timedelta(days=days),
    )


def _count(queryset, group: str):
    return Coalesce(Subquery(queryset.order_by().values(group).annotate(n=Count("pk")).values("n")), 0)


# --- Trainers, a week before: how many people to expect -----------------------------------------------


def session_trainers_due(today: datetime.date):
    days = settings.TRAINING_TRAINER_REMINDER_DAYS
    sessions = _upcoming(today, days).prefetch_related("trainers")
    for session in sessions:
        due_on = latest_due(session.start_date, [days], today)
        trainers = [
            Recipient(trainer.email, trainer.full_name)
            for trainer in session.trainers.all()
            if trainer.email and trainer.anonymised_at is None and trainer.is_active
        ]
        if due_on is not None and trainers:
            yield Due(session.pk, due_on, trainers)


def _participants(count: int) -> str:
    if count == 0:
        return "aucun participant inscrit"
    return f"{count} participant{'s' if count > 1 else ''} inscrit{'s' if count > 1 else ''}"


def session_trainers_message(log) -> Message | None:
    session = Session.objects.select_related("action__delegation", "venue").get(pk=log.object_id)
    if session.status != SessionStatus.PLANNED or session.start_date <= log.due_on:
        return None
    confirmed = session.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    waitlisted = session.registrations.filter(status=RegistrationStatus.WAITLISTED).count()
    return Message(
        subject=f"Session « {session.action.title} » du {session.start_date:%d/%m/%Y} : {_participants(confirmed)}",
        url=_session_url("trainings:session_detail", session.pk),
        context={
            "session": session,
            "half_days": list(session.half_days.order_by("date", "period")),
            "participants": _participants(confirmed),
            "waitlisted": waitlisted,
        },
    )


register(
    ReminderKind(
        key="session_trainers",
        label="Session de formation dans une semaine (formateurs)",
        delay_setting="TRAINING_TRAINER_REMINDER_DAYS",
        optional=True,
        due=session_trainers_due,
        message=session_trainers_message,
        roles=(Role.SPEAKER,),
    )
)


# --- Confirmed agents, a few days before ---------------------------------------------------------------


def session_participants_due(today: datetime.date):
    days = settings.TRAINING_REMINDER_DAYS
    registrations = Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED, session__in=_upcoming(today, days)
    ).values_list("pk", "email", "first_name", "last_name", "session__start_date")
    for pk, email, first_name, last_name, start_date in registrations:
        due_on = latest_due(start_date, [days], today)
        if due_on is not None:
            yield Due(pk, due_on, [Recipient(email, f"{first_name} {last_name}")])


def session_participants_message(log) -> Message | None:
    registration = Registration.objects.select_related("session__action__delegation", "session__venue", "employer").get(
        pk=log.object_id
    )
    session = registration.session
    if (
        registration.status != RegistrationStatus.CONFIRMED
        or session.status != SessionStatus.PLANNED
        or session.start_date <= log.due_on
    ):
        return None
    return Message(
        subject=f"Rappel : votre formation « {session.action.title} » commence le {session.start_date:%d/%m/%Y}",
        # Agents rarely have an account: their personal convocation, not the workspace's session page.
        url=convocation_url(registration),
        context={
            "registration": registration,
            "session": session,
            "half_days": list(session.half_days.order_by("date", "period")),
        },
    )


register(
    ReminderKind(
        key="session_participants",
        label="Formation à laquelle vous êtes inscrit(e) : quelques jours avant",
        delay_setting="TRAINING_REMINDER_DAYS",
        optional=True,
        due=session_participants_due,
        message=session_participants_message,
        # Agents rarely have an account, but anyone with one may be registered to a session.
    )
)


# --- Attendance not taken after the session (not optional: certificates and figures depend on it) -----


def sessions_missing_attendance(today: datetime.date | None = None):
    """Planned sessions where some confirmed agent has no mark for a half-day that has come, with the
    number of ``missing_marks``: the sessions « À faire » lists (``trainings.attendance_due``)."""
    return with_attendance_counts(sessions_owing_attendance(Session.objects.all(), today=today), today=today)


def _followers(session: Session) -> list[Recipient]:
    """The delegation people who follow a session: whoever created its action, the contract's advisers."""
    people = []
    action = session.action
    if action.created_by is not None and action.created_by.is_active:
        people.append(Recipient(action.created_by.email, action.created_by.get_full_name()))
    if action.programme_line_id:
        people += [
            Recipient(user.email, user.get_full_name())
            for user in action.programme_line.contract.advisers.filter(is_active=True)
        ]
    if action.delegation.email:
        people.append(Recipient(action.delegation.email))
    return people


def attendance_missing_due(today: datetime.date):
    days = settings.ATTENDANCE_REMINDER_DAYS
    # A bounded window: a run missed for a few days catches up, a session of last year is left alone.
    window = (
        today - datetime.timedelta(days=days + settings.REMINDER_CATCH_UP_DAYS),
        today - datetime.timedelta(days=days),
    )
    sessions = sessions_missing_attendance(today).filter(end_date__range=window)
    sessions = sessions.select_related("action__delegation", "action__created_by", "action__programme_line__contract")
    for session in sessions:
        yield Due(session.pk, session.end_date + datetime.timedelta(days=days), _followers(session))


def attendance_missing_message(log) -> Message | None:
    session = sessions_missing_attendance().select_related("action__delegation").filter(pk=log.object_id).first()
    if session is None:
        return None
    return Message(
        subject=f"Émargement à compléter : « {session.action.title} », session du {session.start_date:%d/%m/%Y}",
        url=_session_url("trainings:attendance", session.pk),
        context={"session": session, "missing": session.missing_marks},
    )


register(
    ReminderKind(
        key="attendance_missing",
        label="Émargement non saisi après une session",
        delay_setting="ATTENDANCE_REMINDER_DAYS",
        optional=False,
        due=attendance_missing_due,
        message=attendance_missing_message,
    )
)
