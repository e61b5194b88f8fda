"""Registrations: capacity, waiting list, promotion, refusals and the e-mails they send."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from events import registrations as event_registrations
from events import services
from events.enums import EventStatus, RegistrationStatus
from events.models import EventRegistration
from events.selectors import registrations_of_link
from tests.concurrency import run_concurrently
from tests.events.factories import EventFactory, EventRegistrationFactory
from tests.ical_validation import assert_valid_ics

pytestmark = pytest.mark.django_db


def test_registration_confirmed_within_capacity_sends_ics(event, commune, register):
    registration, token = register(event, "Jeanne.Martin@Example.fr", commune)

    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.email == "jeanne.martin@example.fr"
    assert registration.token_hash != token and len(registration.token_hash) == 64
    assert registrations_of_link(token).get() == registration
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jeanne.martin@example.fr"]
    assert message.subject == f"Inscription confirmée : {event.title}"
    assert f"/evenements/inscription/{token}/" in message.body
    (filename, content, mimetype) = message.attachments[0]
    assert filename == "evenement.ics"
    assert mimetype.startswith("text/calendar")
    calendar = assert_valid_ics(content.encode())
    (entry,) = calendar.walk("VEVENT")
    assert str(entry["SUMMARY"]) == event.title
    assert entry.decoded("DTSTART") == event.starts_at.replace(microsecond=0)
    assert content.startswith("BEGIN:VCALENDAR\r\n")


def test_registration_waitlisted_when_full(event, commune, register):
    register(event, "a@example.fr", commune)
    register(event, "b@example.fr", commune)
    mail.outbox.clear()

    registration, _token = register(event, "c@example.fr", commune)

    assert registration.status == RegistrationStatus.WAITLISTED
    assert event.registrations.filter(status=RegistrationStatus.CONFIRMED).count() == 2
    assert mail.outbox[0].subject == f"Liste d'attente : {event.title}"
    assert mail.outbox[0].attachments == []


def test_registration_cancel_promotes_first_waitlisted_with_email(
    event, commune, register, django_capture_on_commit_callbacks
):
    first, _ = register(event, "a@example.fr", commune)
    register(event, "b@example.fr", commune)
    waiting, _ = register(event, "c@example.fr", commune)
    later, _ = register(event, "d@example.fr", commune)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        promoted = event_registrations.registration_cancel(registration=first)

    assert promoted == [waiting]
    first.refresh_from_db()
    waiting.refresh_from_db()
    later.refresh_from_db()
    assert first.status == RegistrationStatus.CANCELLED and first.cancelled_at is not None
    assert waiting.status == RegistrationStatus.CONFIRMED and waiting.promoted_at is not None
    assert later.status == RegistrationStatus.WAITLISTED
    assert [m.to for m in mail.outbox] == [["c@example.fr"]]
    assert mail.outbox[0].subject == f"Une place s'est libérée : {event.title}"
    assert mail.outbox[0].attachments[0][0] == "evenement.ics"


def test_registration_cancel_of_waitlisted_promotes_nobody(event, commune, register):
    register(event, "a@example.fr", commune)
    register(event, "b@example.fr", commune)
    waiting, _ = register(event, "c@example.fr", commune)

    assert event_registrations.registration_cancel(registration=waiting) == []
    assert event.registrations.filter(status=RegistrationStatus.CONFIRMED).count() == 2


def test_registration_cancel_twice_refused(event, commune, register):
    registration, _ = register(event, "a@example.fr", commune)
    event_registrations.registration_cancel(registration=registration)

    with pytest.raises(ValidationError) as excinfo:
        event_registrations.registration_cancel(registration=registration)
    assert excinfo.value.messages == ["Cette inscription est déjà annulée."]


def test_registration_same_email_twice_refused(event, commune, register):
    register(event, "a@example.fr", commune)

    with pytest.raises(ValidationError) as excinfo:
        register(event, " A@EXAMPLE.FR ", commune)
    assert excinfo.value.message_dict == {"email": ["Cette adresse e-mail est déjà inscrite à cet événement."]}
    assert event.registrations.count() == 1


def test_registration_again_after_cancelling_allowed(event, commune, register):
    first, _ = register(event, "a@example.fr", commune)
    event_registrations.registration_cancel(registration=first)

    again, _ = register(event, "a@example.fr", commune)

    assert again.status == RegistrationStatus.CONFIRMED
    assert event.registrations.filter(email="a@example.fr").count() == 2


def test_registration_unique_email_enforced_by_database(event, commune):
    EventRegistrationFactory(event=event, email="a@example.fr", collectivity=commune)

    with pytest.raises(IntegrityError), transaction.atomic():
        EventRegistrationFactory(event=event, email="a@example.fr", collectivity=commune)


def test_registration_after_closing_refused(delegation, commune, register):
    event = EventFactory(
        delegation=delegation,
        starts_at=timezone.now() + timedelta(days=1),
        registration_closes_at=timezone.now() - timedelta(hours=1),
    )

    with pytest.raises(ValidationError) as excinfo:
        register(event, "a@example.fr", commune)
    assert excinfo.value.messages[0].startswith("Les inscriptions sont closes depuis le ")
    assert event.registrations.count() == 0
    assert mail.outbox == []


def test_registration_after_start_refused(delegation, commune, register):
    event = EventFactory(
        delegation=delegation,
        starts_at=timezone.now() - timedelta(hours=1),
        registration_closes_at=timezone.now() - timedelta(days=1),
    )

    with pytest.raises(ValidationError) as excinfo:
        register(event, "a@example.fr", commune)
    assert excinfo.value.messages == ["L'événement a déjà commencé : les inscriptions sont closes."]


@pytest.mark.parametrize("status", [EventStatus.DRAFT, EventStatus.CANCELLED])
def test_registration_to_unpublished_event_refused(delegation, commune, register, status):
    event = EventFactory(delegation=delegation, status=status)

    with pytest.raises(ValidationError) as excinfo:
        register(event, "a@example.fr", commune)
    assert excinfo.value.messages == ["Les inscriptions à cet événement ne sont pas ouvertes."]


def test_event_capacity_increase_promotes_waitlisted(event, commune, register, delegation_staff):
    register(event, "a@example.fr", commune)
    register(event, "b@example.fr", commune)
    waiting, _ = register(event, "c@example.fr", commune)

    services.event_update(event=event, actor=delegation_staff, mayors_associations=[], fields={"capacity": 3})

    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_event_capacity_below_confirmed_refused(event, commune, register, delegation_staff):
    register(event, "a@example.fr", commune)
    register(event, "b@example.fr", commune)

    with pytest.raises(ValidationError) as excinfo:
        services.event_update(event=event, actor=delegation_staff, mayors_associations=[], fields={"capacity": 1})
    assert excinfo.value.message_dict == {
        "capacity": ["La capacité ne peut pas être inférieure au nombre d'inscrits confirmés (2)."]
    }


def test_event_cancel_emails_registrants(
    event, commune, register, delegation_staff, django_capture_on_commit_callbacks
):
    register(event, "a@example.fr", commune)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(event=event, actor=delegation_staff)

    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED
    assert [m.subject for m in mail.outbox] == [f"Événement annulé : {event.title}"]


def test_event_publish_only_drafts(delegation, delegation_staff):
    event = EventFactory(delegation=delegation, status=EventStatus.DRAFT)
    services.event_publish(event=event, actor=delegation_staff)
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED

    with pytest.raises(ValidationError) as excinfo:
        services.event_publish(event=event, actor=delegation_staff)
    assert excinfo.value.messages == ["Seul un événement en brouillon peut être publié."]


def test_event_of_other_delegation_refused_by_services(other_event, delegation_staff):
    with pytest.raises(ValidationError):
        services.event_cancel(event=other_event, actor=delegation_staff)
    other_event.refresh_from_db()
    assert other_event.status == EventStatus.PUBLISHED


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_registration_capacity_never_exceeded_under_concurrency(delegation, commune):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    event = EventFactory(delegation=delegation, venue_commune=commune, capacity=3)

    def register(index):
        return lambda: event_registrations.registration_create(
            event_id=event.pk,
            first_name="Agent",
            last_name=str(index),
            email=f"agent{index}@example.fr",
            quality="agent",
            collectivity=commune,
        )

    _results, errors = run_concurrently([register(i) for i in range(10)])

    assert errors == [None] * 10
    statuses = list(EventRegistration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses.count(RegistrationStatus.CONFIRMED) == 3
    assert statuses.count(RegistrationStatus.WAITLISTED) == 7


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_registration_same_email_concurrently_only_once(delegation, commune):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    event = EventFactory(delegation=delegation, venue_commune=commune, capacity=10)

    def register():
        return event_registrations.registration_create(
            event_id=event.pk,
            first_name="Agent",
            last_name="Double",
            email="double@example.fr",
            quality="agent",
            collectivity=commune,
        )

    _results, errors = run_concurrently([register] * 5)
    refused = [error.message_dict for error in errors if error is not None]

    assert EventRegistration.objects.filter(event=event).count() == 1
    assert refused == [{"email": ["Cette adresse e-mail est déjà inscrite à cet événement."]}] * 4
