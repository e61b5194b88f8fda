"""The reminders of events, declared to the reminders engine (``notifications``)."""

import datetime

from django.conf import settings
from django.utils import timezone

from notifications.registry import Due, Message, Recipient, ReminderKind, latest_due, reference_day, register

from .enums import EventStatus, RegistrationStatus
from .ics import event_ics, event_location
from .models import Event, EventRegistration


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def event_upcoming_due(today: datetime.date):
    """A week before and the day before (``EVENT_REMINDER_DAYS``): each confirmed registrant, with the .ics."""
    offsets = settings.EVENT_REMINDER_DAYS
    events = Event.objects.filter(
        status=EventStatus.PUBLISHED,
        starts_at__gte=_midnight(today + datetime.timedelta(days=1)),
        starts_at__lt=_midnight(today + datetime.timedelta(days=max(offsets) + 1)),
    )
    for event in events:
        due_on = latest_due(timezone.localdate(event.starts_at), offsets, today)
        if due_on is None:
            continue
        registrants = event.registrations.filter(status=RegistrationStatus.CONFIRMED).values_list(
            "email", "first_name", "last_name"
        )
        people = [Recipient(email, f"{first_name} {last_name}") for email, first_name, last_name in registrants]
        if people:
            yield Due(event.pk, due_on, people)


def event_upcoming_message(log) -> Message | None:
    event = Event.objects.select_related("venue_commune").get(pk=log.object_id)
    starts_on = timezone.localdate(event.starts_at)
    still_registered = EventRegistration.objects.filter(
        event=event, email__iexact=log.recipient, status=RegistrationStatus.CONFIRMED
    ).exists()
    if event.status != EventStatus.PUBLISHED or starts_on <= log.due_on or not still_registered:
        return None
    days = (starts_on - reference_day(log)).days
    if days <= 0:
        return None
    when = "demain" if days == 1 else f"dans {days} jours"
    return Message(
        subject=f"Rappel : « {event.title} » {when}, le {starts_on:%d/%m/%Y}",
        url=settings.SITE_URL + event.get_absolute_url(),
        context={"event": event, "when": when, "location": event_location(event)},
        attachments=(("evenement.ics", event_ics(event), "text/calendar; charset=utf-8; method=PUBLISH"),),
    )


register(
    ReminderKind(
        key="event_upcoming",
        label="Événement auquel vous êtes inscrit(e) : une semaine avant et la veille",
        delay_setting="EVENT_REMINDER_DAYS",
        optional=True,
        due=event_upcoming_due,
        message=event_upcoming_message,
    )
)
