"""A real SMTP server on loopback, started by the tests, as the reminders' mail server."""

import datetime

import pytest
from django.utils import timezone

from events.enums import RegistrationStatus
from partnership.celery import app
from tests.events.factories import EventFactory, EventRegistrationFactory
from tests.faults.smtp_sink import SmtpSink
from tests.trainings.factories import in_days


@pytest.fixture
def smtp(settings):
    sink = SmtpSink()
    sink.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    yield sink
    sink.stop()


@pytest.fixture
def eager_retries(monkeypatch):
    """Eagerly, Celery runs a task's retries inline only when it does not re-raise the error at once."""
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)


@pytest.fixture
def event_in_a_week(db, settings):
    """A published event in 7 days with two confirmed registrants: two ``event_upcoming`` reminders due today."""
    settings.EVENT_REMINDER_DAYS = [7, 1]
    event = EventFactory(
        title="Colloque RH",
        starts_at=timezone.make_aware(datetime.datetime.combine(in_days(7), datetime.time(10))),
    )
    EventRegistrationFactory(event=event, email="lea@mairie.example.fr", first_name="Léa", last_name="Roux")
    EventRegistrationFactory(event=event, email="paul@mairie.example.fr", first_name="Paul", last_name="Blanc")
    EventRegistrationFactory(event=event, status=RegistrationStatus.CANCELLED, email="parti@mairie.example.fr")
    return event
