"""Training actions and sessions: creation, changes, capacity and cancellation; the delegation's calendar feed.

Capacity is guarded by locking the session row (``select_for_update``) before counting its
confirmed registrations: two simultaneous registrations queue on the lock, so the second one sees
the first and goes to the waiting list once the session is full. Registrations and the waiting list
are ``trainings.registrations``'s, attendance ``trainings.attendance``'s.
"""

import logging
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agreements.models import ProgrammeLine, Theme
from partnership import history, permissions
from partnership.enums import HistoryAction
from partnership.models import Collectivity, Delegation, User
from partnership.text import count_label

from . import phrases
from .attendance_due import session_attendance_refresh
from .enums import ActionMode, Period, RegistrationEmail, RegistrationStatus, SessionStatus
from .models import (
    Attendance,
    CalendarFeed,
    Registration,
    Session,
    SessionHalfDay,
    TrainingAction,
    TrainingScheme,
    _new_token,
)
from .registrations import registration_queue_email, registration_send_email, waiting_list_fill

__all__ = ["registration_send_email"]  # kept here for ``trainings.tasks`` (its name is the core's to move)

logger = logging.getLogger(__name__)

# What the action log keeps of an action and of a session (its half-days under ``HALF_DAYS_LABEL``).
ACTION_HISTORY_FIELDS = (
    "delegation",
    "programme_line",
    "title",
    "scheme",
    "theme",
    "mode",
    "for_category_a",
    "for_category_b",
    "for_category_c",
    "duration_days",
    "objectives",
)
SESSION_HISTORY_FIELDS = ("venue", "address", "capacity", "trainers")
HALF_DAYS_LABEL = "Demi-journées"


def _session_history(session: Session) -> dict[str, history.Value]:
    values = history.values_of(session, SESSION_HISTORY_FIELDS)
    half_days = session.half_days.order_by("date", "period")
    # In calendar order, not alphabetical: « 02/03 matin, 02/03 après-midi, 10/03 matin ».
    values[HALF_DAYS_LABEL] = [str(half_day) for half_day in half_days] or None
    return values


# --- Actions ------------------------------------------------------------------------------------


@transaction.atomic
def training_action_create(
    *,
    actor: User,
    delegation: Delegation,
    title: str,
    scheme: TrainingScheme,
    theme: Theme,
    mode: str,
    audience: Iterable[str],
    duration_days: Decimal,
    objectives: str = "",
    programme_line: ProgrammeLine | None = None,
) -> TrainingAction:
    """Create a training action of ``delegation``, under ``programme_line`` or in the catalogue.

    Side effects: the new row and its history entry.
    """
    if not permissions.can_manage_delegation(actor, delegation.pk):
        raise ValidationError("Vous ne pouvez pas créer d'action pour cette délégation.")
    errors = {}
    if programme_line is not None:
        contract = programme_line.contract
        if contract.delegation_id != delegation.pk:
            errors["programme_line"] = "Cette ligne de programme appartient au contrat d'une autre délégation."
        elif mode == ActionMode.UNION and contract.parties.count() < 2:
            errors["mode"] = (
                "Une action en union de collectivités suppose un contrat passé avec plusieurs collectivités."
            )
    elif mode != ActionMode.INTER:
        errors["programme_line"] = "Une action intra ou en union se rattache à une ligne de programme d'un contrat."
    audience = set(audience)
    if errors:
        raise ValidationError(errors)
    action = TrainingAction(
        delegation=delegation,
        programme_line=programme_line,
        title=title,
        scheme=scheme,
        theme=theme,
        mode=mode,
        for_category_a="A" in audience,
        for_category_b="B" in audience,
        for_category_c="C" in audience,
        duration_days=duration_days,
        objectives=objectives,
        created_by=actor,
    )
    action.full_clean()
    action.save()
    history.record(
        actor=actor, obj=action, action=HistoryAction.CREATED, after=history.values_of(action, ACTION_HISTORY_FIELDS)
    )
    return action


# --- Sessions -----------------------------------------------------------------------------------


def _check_half_days(half_days: Iterable[tuple[date, str]]) -> list[tuple[date, str]]:
    half_days = sorted(set(half_days))
    if not half_days:
        raise ValidationError({"half_days": phrases.NO_HALF_DAY})
    if any(period not in Period.values for _day, period in half_days):
        raise ValidationError({"half_days": "Demi-journée inconnue : matin ou après-midi."})
    return half_days


def _check_venue(venue) -> None:
    if not venue.is_commune:
        raise ValidationError({"venue": "Le lieu de formation doit être une commune."})


@transaction.atomic
def session_create(
    *,
    actor: User,
    action: TrainingAction,
    half_days: Iterable[tuple[date, str]],
    venue: Collectivity,
    capacity: int,
    address: str = "",
    trainers: Iterable = (),
) -> Session:
    """Plan a session of ``action`` on the given (date, period) half-days.

    Side effects: creates the session's half-days and sets its trainers.
    """
    if not permissions.can_manage_delegation(actor, action.delegation_id):
        raise ValidationError("Vous ne pouvez pas programmer de session pour cette action.")
    half_days = _check_half_days(half_days)
    _check_venue(venue)
    if capacity is None or capacity < 1:
        raise ValidationError({"capacity": phrases.CAPACITY_AT_LEAST_ONE})
    session = Session(
        action=action,
        venue=venue,
        address=address,
        capacity=capacity,
        start_date=half_days[0][0],
        end_date=half_days[-1][0],
    )
    session.full_clean()
    session.save()
    SessionHalfDay.objects.bulk_create(
        SessionHalfDay(session=session, date=day, period=period) for day, period in half_days
    )
    trainers = list(trainers)
    if trainers:
        session.trainers.set(trainers)
    history.record(actor=actor, obj=session, action=HistoryAction.CREATED, after=_session_history(session))
    return session


@transaction.atomic
def session_update(
    *,
    actor: User,
    session: Session,
    capacity: int,
    venue: Collectivity,
    address: str = "",
    half_days: Iterable[tuple[date, str]] | None = None,
    trainers: Iterable | None = None,
) -> Session:
    """Change a session's capacity, venue, half-days or trainers.

    Refused (nothing changed) when the capacity would fall below the confirmed registrations, or
    when a removed half-day already has attendance recorded.
    Side effects: a raised capacity confirms waiting agents in registration order and e-mails them.
    """
    if not permissions.can_manage_delegation(actor, session.action.delegation_id):
        raise ValidationError("Vous ne pouvez pas modifier cette session.")
    session = Session.objects.select_for_update().get(pk=session.pk)
    _check_venue(venue)
    before = _session_history(session)
    confirmed = session.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    if capacity is None or capacity < 1:
        raise ValidationError({"capacity": phrases.CAPACITY_AT_LEAST_ONE})
    if capacity < confirmed:
        raise ValidationError(
            {
                "capacity": f"Impossible de réduire à {count_label(capacity, 'place')} : {confirmed} inscriptions sont déjà "
                "confirmées. Annulez d'abord des inscriptions."
            }
        )
    fields = ["capacity", "venue", "address", "updated_at"]
    if half_days is not None:
        wanted = _check_half_days(half_days)
        existing = {(h.date, h.period): h for h in session.half_days.all()}
        removed = [h for key, h in existing.items() if key not in set(wanted)]
        if removed and Attendance.objects.filter(half_day__in=removed).exists():
            raise ValidationError(
                {
                    "half_days": "Une demi-journée retirée a déjà des présences saisies : elle ne peut pas être supprimée."
                }
            )
        SessionHalfDay.objects.filter(pk__in=[h.pk for h in removed]).delete()
        SessionHalfDay.objects.bulk_create(
            SessionHalfDay(session=session, date=day, period=period)
            for day, period in wanted
            if (day, period) not in existing
        )
        session.start_date, session.end_date = wanted[0][0], wanted[-1][0]
        fields += ["start_date", "end_date"]
    session.capacity, session.venue, session.address = capacity, venue, address
    session.full_clean()
    session.save(update_fields=fields)
    if trainers is not None:
        session.trainers.set(list(trainers))
    history.record(
        actor=actor, obj=session, action=HistoryAction.UPDATED, before=before, after=_session_history(session)
    )
    if session.start_date > timezone.localdate():
        waiting_list_fill(session, actor=actor)
    session_attendance_refresh(session_ids=[session.pk])
    return session


@transaction.atomic
def session_cancel(*, actor: User, session: Session) -> Session:
    """Cancel a session that has not started.

    Side effects: cancels its confirmed and waiting registrations and e-mails those agents.
    """
    if not permissions.can_manage_delegation(actor, session.action.delegation_id):
        raise ValidationError("Vous ne pouvez pas annuler cette session.")
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.is_cancelled:
        raise ValidationError("Cette session est déjà annulée.")
    if session.start_date <= timezone.localdate():
        raise ValidationError("Une session commencée ne peut plus être annulée.")
    session.status = SessionStatus.CANCELLED
    session.save(update_fields=["status", "updated_at"])
    active = list(session.registrations.exclude(status=RegistrationStatus.CANCELLED).values_list("pk", flat=True))
    Registration.objects.filter(pk__in=active).update(status=RegistrationStatus.CANCELLED, cancelled_at=timezone.now())
    history.record(
        actor=actor,
        obj=session,
        action=HistoryAction.CANCELLED,
        before={"Statut": SessionStatus.PLANNED.label, "Inscriptions en cours": str(len(active))},
        after={"Statut": SessionStatus.CANCELLED.label, "Inscriptions en cours": "0"},
    )
    for registration_id in active:
        registration_queue_email(registration_id, RegistrationEmail.CANCELLED)
    session_attendance_refresh(session_ids=[session.pk])
    return session


# --- Calendar feed ------------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_regenerate(*, actor: User, delegation: Delegation) -> CalendarFeed:
    """Give ``delegation``'s iCalendar feed a new secret token (the old link stops working).

    Side effects: every subscribed calendar must use the new link.
    """
    if not permissions.can_manage_delegation(actor, delegation.pk):
        raise ValidationError("Vous ne pouvez pas renouveler le lien d'agenda de cette délégation.")
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(delegation=delegation)
    if not created:
        feed.token = _new_token()
        feed.save(update_fields=["token", "regenerated_at"])
    logger.info("Calendar feed token of delegation %s regenerated by user %s", delegation.pk, actor.pk)
    return feed


def calendar_feed_get_or_create(*, delegation: Delegation) -> CalendarFeed:
    """The feed of ``delegation``, created on first use. Side effects: may create the token row."""
    feed, _created = CalendarFeed.objects.get_or_create(delegation=delegation)
    return feed
