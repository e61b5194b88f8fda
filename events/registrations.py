"""Registrations to events and the waiting list: registering, the personal link, cancelling, check-in, feedback.

Capacity is guarded by a lock on the event row (``select_for_update``): registrations, cancellations
and promotions of one event are serialised, so the number of confirmed registrations never exceeds
the capacity. E-mails leave through Celery tasks dispatched once the transaction has committed.
"""

import secrets
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from partnership import history, permissions
from partnership.conflicts import StaleState
from partnership.dispatch import enqueue
from partnership.enums import HistoryAction
from partnership.models import Collectivity, User
from partnership.text import french_date, of_person
from partnership.tokens import token_hash

from . import task_names, timing
from .enums import EventStatus, RegistrationStatus
from .models import Event, EventFeedback, EventRegistration
from .selectors import registration_is_open, waiting_list


def _local(value: datetime) -> str:
    return french_date(timezone.localtime(value), "j F Y à H:i")


@transaction.atomic
def registration_create(
    *,
    event_id: int,
    first_name: str,
    last_name: str,
    email: str,
    quality: str,
    collectivity: Collectivity,
    job_title: str = "",
    registered_by: User | None = None,
) -> EventRegistration:
    """Register someone: confirmed while seats remain, waitlisted otherwise.

    Side effects: once the transaction commits, a task issues the personal link and e-mails it (with
    the .ics file when confirmed); until then the registration has no working link.
    """
    event = Event.objects.select_for_update().get(pk=event_id)
    now = timezone.now()
    if event.status != EventStatus.PUBLISHED:
        raise StaleState("Les inscriptions à cet événement ne sont pas ouvertes.", code="left_state")
    if now >= event.starts_at:
        raise StaleState("L'événement a déjà commencé : les inscriptions sont closes.", code="left_state")
    if not registration_is_open(event, now=now):
        raise StaleState(
            f"Les inscriptions sont closes depuis le {_local(event.registration_closes_at)}.", code="left_state"
        )
    email = email.strip().lower()
    duplicate_error = ValidationError(
        {"email": "Cette adresse e-mail est déjà inscrite à cet événement."}, code="duplicate"
    )
    active = event.registrations.exclude(status=RegistrationStatus.CANCELLED)
    if active.filter(email=email).exists():
        raise duplicate_error
    confirmed = active.filter(status=RegistrationStatus.CONFIRMED).count()
    registration = EventRegistration(
        event=event,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        quality=quality,
        collectivity=collectivity,
        job_title=job_title.strip(),
        status=RegistrationStatus.CONFIRMED if confirmed < event.capacity else RegistrationStatus.WAITLISTED,
        # A random value no token hashes to: the worker issues the link (registration_issue_link), so
        # the token never travels through the broker nor the outbox table.
        token_hash=secrets.token_hex(32),
        registered_by=registered_by if registered_by and registered_by.is_authenticated else None,
    )
    registration.full_clean(exclude=["token_hash"], validate_constraints=False)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:
        raise duplicate_error from exc
    enqueue(task_names.SEND_REGISTRATION_EMAIL, registration.pk)
    return registration


@transaction.atomic
def registration_issue_link(*, registration_id: int) -> tuple[EventRegistration, str] | None:
    """Give the registration a fresh personal link (the previous one stops working).

    Returns the registration and the plain token for the e-mail, or ``None`` once cancelled. Called by
    the e-mailing task, so the token exists only in the worker and the e-mail; a redelivered task
    sends a new link, and the newest e-mail is the one that works.
    """
    registration = (
        EventRegistration.objects.select_for_update(of=("self",))
        .select_related("event__venue_commune")
        .get(pk=registration_id)
    )
    if registration.status == RegistrationStatus.CANCELLED:
        return None
    token = secrets.token_urlsafe(32)
    registration.token_hash = token_hash(token)
    registration.save(update_fields=["token_hash"])
    return registration, token


def waiting_list_fill(event: Event, *, actor: User | None) -> list[EventRegistration]:
    """Fill free seats from the waiting list, oldest first. The caller holds the event row lock.

    Each promotion goes in the event's history, signed by ``actor`` whose change freed the seat;
    ``None`` when a participant cancelled through their personal link (their own act, dated on the
    registration, is not logged).
    """
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    free = event.capacity - confirmed
    if free <= 0 or event.status != EventStatus.PUBLISHED or event.starts_at <= timezone.now():
        return []
    promoted = list(waiting_list(event)[:free])
    now = timezone.now()
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        if actor is not None:
            _record_registration(
                actor, registration, HistoryAction.PROMOTED, RegistrationStatus.WAITLISTED, RegistrationStatus.CONFIRMED
            )
        enqueue(task_names.SEND_PROMOTION_EMAIL, registration.pk)
    return promoted


def _record_registration(actor: User, registration: EventRegistration, action: str, before: str, after: str) -> None:
    history.record(
        actor=actor,
        obj=registration.event,
        action=action,
        subject=f"Inscription {of_person(registration.full_name)}",
        subject_is_person=True,
        before={"Statut": RegistrationStatus(before).label},
        after={"Statut": RegistrationStatus(after).label},
    )


@transaction.atomic
def registration_cancel(*, registration: EventRegistration, actor: User | None = None) -> list[EventRegistration]:
    """Cancel a registration (from the personal link, or by staff when ``actor`` is given).

    A confirmed seat freed this way goes to the first waitlisted registrant, who is e-mailed.
    Returns the promoted registrations. Side effects: by staff, history entries on the event (the
    cancellation, each promotion); from the personal link, none (the registration dates it).
    """
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    if actor is not None and not permissions.can_change_event(actor, event):
        raise ValidationError("Vous ne pouvez pas annuler cette inscription.")
    current = EventRegistration.objects.select_for_update().get(pk=registration.pk)
    if current.status == RegistrationStatus.CANCELLED:
        raise ValidationError("Cette inscription est déjà annulée.")
    if timezone.now() >= event.starts_at:
        raise ValidationError("L'événement a commencé : l'inscription ne peut plus être annulée.")
    was_confirmed = current.status == RegistrationStatus.CONFIRMED
    previous = current.status
    current.status = RegistrationStatus.CANCELLED
    current.cancelled_at = timezone.now()
    current.save(update_fields=["status", "cancelled_at"])
    registration.status, registration.cancelled_at = current.status, current.cancelled_at
    if actor is not None:
        current.event = event
        _record_registration(actor, current, HistoryAction.REGISTRATION_CANCELLED, previous, current.status)
    return waiting_list_fill(event, actor=actor) if was_confirmed else []


@transaction.atomic
def registrations_check_in(*, event: Event, actor: User, present_ids: set[int]) -> int:
    """Record who is present (one form for the whole list): those ticked, and only them.

    Returns the number of participants checked in.
    """
    if not permissions.can_change_event(actor, event):
        raise ValidationError("Vous ne pouvez pas pointer les présences de cet événement.")
    now = timezone.now()
    timing.check_check_in_open(event, now=now)
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED)
    unknown = set(present_ids) - set(confirmed.values_list("pk", flat=True))
    if unknown:
        raise ValidationError("Seules les inscriptions confirmées peuvent être pointées.")
    was_present = set(confirmed.filter(checked_in_at__isnull=False).values_list("pk", flat=True))
    confirmed.filter(pk__in=present_ids, checked_in_at__isnull=True).update(checked_in_at=now)
    confirmed.exclude(pk__in=present_ids).update(checked_in_at=None)
    added, removed = len(set(present_ids) - was_present), len(was_present - set(present_ids))
    # Counts, not names: the history names the staff, not the participants.
    history.record(
        actor=actor,
        obj=event,
        action=HistoryAction.CHECKED_IN,
        before={"Participants présents": str(len(was_present))},
        after={
            "Participants présents": str(len(present_ids)),
            "Présences ajoutées": str(added) if added else None,
            "Présences retirées": str(removed) if removed else None,
        },
    )
    return len(present_ids)


@transaction.atomic
def feedback_submit(*, registration: EventRegistration, rating: int, comment: str = "") -> EventFeedback:
    """The satisfaction form, once per registration, after the event."""
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError("Seuls les participants confirmés peuvent donner leur avis.")
    if timezone.now() < registration.event.ends_at:
        raise ValidationError("Le questionnaire de satisfaction sera ouvert à la fin de l'événement.")
    feedback = EventFeedback(registration=registration, rating=rating, comment=comment.strip())
    feedback.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            feedback.save()
    except IntegrityError as exc:
        raise ValidationError("Vous avez déjà répondu au questionnaire de satisfaction.") from exc
    return feedback
