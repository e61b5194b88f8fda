"""Events and their programme: creation, changes, publication, cancellation, time slots.

Registrations and the waiting list are ``events.registrations``'s, the speakers network
``events.speakers``'s. E-mails leave through Celery tasks dispatched once the transaction has committed.
"""

import logging
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from partnership import history, permissions
from partnership.conflicts import StaleState
from partnership.dispatch import enqueue
from partnership.enums import HistoryAction
from partnership.models import Delegation, MayorsAssociation, User
from partnership.models_utils import model_update
from partnership.text import french_date

from . import phrases, task_names, timing
from .enums import EventStatus, RegistrationStatus
from .models import Event, Speaker, TimeSlot
from .registrations import registration_issue_link, waiting_list_fill

__all__ = ["registration_issue_link"]  # kept here for ``events.tasks`` (its imports are the core's to move)

logger = logging.getLogger(__name__)

EVENT_FIELDS = (
    "title",
    "kind",
    "topic",
    "theme",
    "description",
    "starts_at",
    "ends_at",
    "venue_commune",
    "venue_address",
    "online_url",
    "capacity",
    "registration_closes_at",
)
# What the action log keeps of an event: its fields and its co-organisers.
EVENT_HISTORY_FIELDS = (*EVENT_FIELDS, "mayors_associations")
TIMESLOT_HISTORY_FIELDS = ("title", "description", "starts_at", "ends_at", "speakers")


def _local(value: datetime) -> str:
    return french_date(timezone.localtime(value), "j F Y à H:i")


# --- Events -------------------------------------------------------------------------------------


def _check_organiser(*, actor: User, delegation: Delegation | None) -> None:
    if permissions.is_amf_staff(actor):
        return
    if delegation is None:
        if not permissions.is_national_staff(actor):
            raise ValidationError("Seul le CNFPT national peut organiser un événement sans délégation.")
    elif not permissions.can_manage_delegation(actor, delegation.pk):
        raise ValidationError("Vous ne pouvez pas organiser un événement pour cette délégation.")


@transaction.atomic
def event_create(
    *,
    actor: User,
    delegation: Delegation | None,
    mayors_associations: list[MayorsAssociation] | QuerySet,
    fields: dict[str, Any],
) -> Event:
    """Create a draft event, to come or under way (``timing``); ``fields`` holds the values of ``EVENT_FIELDS``."""
    _check_organiser(actor=actor, delegation=delegation)
    if fields.get("ends_at"):
        timing.check_event_not_past(ends_at=fields["ends_at"])
    event = Event(
        delegation=delegation,
        created_by=actor,
        status=EventStatus.DRAFT,
        **{name: fields[name] for name in EVENT_FIELDS if name in fields},
    )
    event.full_clean()
    event.save()
    event.mayors_associations.set(mayors_associations)
    history.record(
        actor=actor,
        obj=event,
        action=HistoryAction.CREATED,
        after=history.values_of(event, ("delegation", *EVENT_HISTORY_FIELDS)),
    )
    logger.info("event %s created by user %s", event.pk, actor.pk)
    return event


@transaction.atomic
def event_update(
    *,
    event: Event,
    actor: User,
    mayors_associations: list[MayorsAssociation] | QuerySet,
    fields: dict[str, Any],
) -> Event:
    """Change an event. A larger capacity promotes waitlisted registrants (and e-mails them).

    Side effects: one history entry for what changed (none when nothing did), one per promotion.
    """
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if not permissions.can_change_event(actor, locked):
        raise ValidationError("Vous ne pouvez pas modifier cet événement.")
    if locked.status == EventStatus.CANCELLED:
        raise StaleState("Un événement annulé ne peut plus être modifié.", code="left_state")
    confirmed = locked.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    if fields.get("capacity", locked.capacity) < confirmed:
        raise ValidationError(
            {"capacity": f"La capacité ne peut pas être inférieure au nombre d'inscrits confirmés ({confirmed})."}
        )
    before = history.values_of(locked, EVENT_HISTORY_FIELDS)
    model_update(instance=locked, fields=EVENT_FIELDS, data=fields)
    locked.mayors_associations.set(mayors_associations)
    history.record(
        actor=actor,
        obj=locked,
        action=HistoryAction.UPDATED,
        before=before,
        after=history.values_of(locked, EVENT_HISTORY_FIELDS),
    )
    waiting_list_fill(locked, actor=actor)
    return locked


@transaction.atomic
def event_publish(*, event: Event, actor: User) -> None:
    """Draft → published: the public page and the registrations open."""
    if not permissions.can_change_event(actor, event):
        raise ValidationError("Vous ne pouvez pas publier cet événement.")
    if event.registration_closes_at <= timezone.now():
        raise ValidationError("La date de clôture des inscriptions est déjà passée : modifiez-la avant de publier.")
    if not Event.objects.filter(pk=event.pk, status=EventStatus.DRAFT).update(
        status=EventStatus.PUBLISHED, updated_at=timezone.now()
    ):
        raise ValidationError("Seul un événement en brouillon peut être publié.")
    history.record(
        actor=actor,
        obj=event,
        action=HistoryAction.PUBLISHED,
        before={"Statut": EventStatus.DRAFT.label},
        after={"Statut": EventStatus.PUBLISHED.label},
    )


@transaction.atomic
def event_cancel(*, event: Event, actor: User) -> None:
    """Draft or published → cancelled; registrants (confirmed and waitlisted) are told by e-mail."""
    if not permissions.can_change_event(actor, event):
        raise ValidationError("Vous ne pouvez pas annuler cet événement.")
    # Read under the lock, so the history says which state the cancellation left.
    previous = Event.objects.select_for_update().values_list("status", flat=True).get(pk=event.pk)
    if not Event.objects.filter(pk=event.pk, status__in=[EventStatus.DRAFT, EventStatus.PUBLISHED]).update(
        status=EventStatus.CANCELLED, updated_at=timezone.now()
    ):
        raise ValidationError("Cet événement est déjà annulé.")
    history.record(
        actor=actor,
        obj=event,
        action=HistoryAction.CANCELLED,
        before={"Statut": EventStatus(previous).label},
        after={"Statut": EventStatus.CANCELLED.label},
    )
    enqueue(task_names.SEND_EVENT_CANCELLED_EMAILS, event.pk)


@transaction.atomic
def timeslot_create(
    *,
    event: Event,
    actor: User,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    description: str = "",
    speakers: list[Speaker] | QuerySet = (),
) -> TimeSlot:
    if not permissions.can_change_event(actor, event):
        raise ValidationError(phrases.CANNOT_CHANGE_PROGRAMME)
    _check_slot_period(event, starts_at, ends_at)
    slot = TimeSlot(event=event, title=title, description=description, starts_at=starts_at, ends_at=ends_at)
    slot.full_clean()
    slot.save()
    slot.speakers.set(speakers)
    history.record(
        actor=actor,
        obj=event,
        action=HistoryAction.ADDED,
        subject=_slot_subject(slot),
        after=history.values_of(slot, TIMESLOT_HISTORY_FIELDS),
    )
    return slot


def _slot_subject(slot: TimeSlot) -> str:
    return f"Créneau «\u00a0{slot.title}\u00a0»"


def _check_slot_period(event: Event, starts_at: datetime, ends_at: datetime) -> None:
    if starts_at < event.starts_at or ends_at > event.ends_at:
        raise ValidationError(
            f"Le créneau doit se tenir pendant l'événement, entre le {_local(event.starts_at)} "
            f"et le {_local(event.ends_at)}."
        )


@transaction.atomic
def timeslot_update(
    *,
    slot: TimeSlot,
    actor: User,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    description: str = "",
    speakers: list[Speaker] | QuerySet = (),
) -> TimeSlot:
    """Change a slot of the programme; it stays within the event's period."""
    locked = TimeSlot.objects.select_for_update().select_related("event").get(pk=slot.pk)
    if not permissions.can_change_event(actor, locked.event):
        raise ValidationError(phrases.CANNOT_CHANGE_PROGRAMME)
    _check_slot_period(locked.event, starts_at, ends_at)
    before = history.values_of(locked, TIMESLOT_HISTORY_FIELDS)
    locked.title, locked.description, locked.starts_at, locked.ends_at = title, description, starts_at, ends_at
    locked.full_clean()
    locked.save(update_fields=["title", "description", "starts_at", "ends_at"])
    locked.speakers.set(speakers)
    history.record(
        actor=actor,
        obj=locked.event,
        action=HistoryAction.UPDATED,
        subject=_slot_subject(locked),
        before=before,
        after=history.values_of(locked, TIMESLOT_HISTORY_FIELDS),
    )
    return locked


@transaction.atomic
def timeslot_delete(*, slot: TimeSlot, actor: User) -> None:
    if not permissions.can_change_event(actor, slot.event):
        raise ValidationError(phrases.CANNOT_CHANGE_PROGRAMME)
    history.record(
        actor=actor,
        obj=slot.event,
        action=HistoryAction.REMOVED,
        subject=_slot_subject(slot),
        before=history.values_of(slot, TIMESLOT_HISTORY_FIELDS),
    )
    slot.delete()
