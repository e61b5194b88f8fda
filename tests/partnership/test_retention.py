"""The retention job: people are anonymised once the period has passed, and every statistic stays the same."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from events.enums import ParticipantQuality
from events.enums import RegistrationStatus as EventRegistrationStatus
from events.models import EventFeedback, EventRegistration
from partnership import tasks
from partnership.personal_data import personal_data_apply_retention
from stats.dashboard import dashboard
from tests.events.factories import EventFactory, EventRegistrationFactory
from tests.trainings.factories import RegistrationFactory, SessionFactory, TrainingActionFactory, in_days
from trainings.enums import AgentCategory, AttendanceStatus, RegistrationStatus
from trainings.models import Attendance, Registration

pytestmark = pytest.mark.django_db

# What a run that finds nothing to do reports: every app's step, in order.
NOTHING = {
    "trained_agents": 0,
    "event_registrants": 0,
    "exports": 0,
    "imports": 0,
    "access_requests": 0,
    "login_sessions": 0,
    "reminder_logs": 0,
}


@pytest.fixture
def retention(settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 365
    return settings.PERSONAL_DATA_RETENTION_DAYS


def _session(delegation, commune, *, days_ago):
    session = SessionFactory(
        action=TrainingActionFactory(delegation=delegation), venue=commune, start_date=in_days(-days_ago)
    )
    confirmed = RegistrationFactory(session=session, employer=commune, category=AgentCategory.A, job="DGS")
    absent = RegistrationFactory(session=session, employer=commune, category=AgentCategory.C)
    RegistrationFactory(session=session, employer=commune, status=RegistrationStatus.WAITLISTED)
    RegistrationFactory(
        session=session, employer=commune, status=RegistrationStatus.CANCELLED, cancelled_at=timezone.now()
    )
    for half_day in session.half_days.all():
        Attendance.objects.create(registration=confirmed, half_day=half_day, status=AttendanceStatus.PRESENT)
        Attendance.objects.create(registration=absent, half_day=half_day, status=AttendanceStatus.ABSENT)
    return session


def _event(delegation, commune, *, days_ago):
    starts_at = timezone.now() - datetime.timedelta(days=days_ago)
    event = EventFactory(
        delegation=delegation,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=6),
        registration_closes_at=starts_at - datetime.timedelta(days=2),
    )
    present = EventRegistrationFactory(
        event=event,
        collectivity=commune,
        status=EventRegistrationStatus.CONFIRMED,
        quality=ParticipantQuality.ELECTED,
        checked_in_at=starts_at,
    )
    EventFeedback.objects.create(registration=present, rating=4, comment="Merci à Mme Dupont, très clair.")
    EventRegistrationFactory(event=event, collectivity=commune, status=EventRegistrationStatus.WAITLISTED)
    return event


def test_retention_anonymises_old_people_and_keeps_every_statistic(retention, delegation, commune):
    old_session = _session(delegation, commune, days_ago=retention + 10)
    recent_session = _session(delegation, commune, days_ago=retention - 10)
    old_event = _event(delegation, commune, days_ago=retention + 10)
    recent_event = _event(delegation, commune, days_ago=retention - 10)
    before = dashboard()
    recent_before = sorted(
        Registration.objects.filter(session=recent_session).values_list("first_name", "last_name", "email", "job")
    )

    result = personal_data_apply_retention()

    assert result == {**NOTHING, "trained_agents": 4, "event_registrants": 2}
    assert dashboard() == before
    old = Registration.objects.filter(session=old_session).order_by("pk")
    assert [(r.first_name, r.last_name, r.email, r.job) for r in old] == [
        ("Personne", "anonymisée", f"agent-{r.pk}@anonymise.invalid", "") for r in old
    ]
    assert sorted(old.values_list("category", "status")) == [
        ("A", "confirmed"),
        ("C", "cancelled"),
        ("C", "confirmed"),
        ("C", "waitlisted"),
    ]
    assert all(r.anonymised_at is not None for r in old)
    assert (
        sorted(
            Registration.objects.filter(session=recent_session).values_list("first_name", "last_name", "email", "job")
        )
        == recent_before
    )
    registrants = EventRegistration.objects.filter(event=old_event).order_by("pk")
    assert [(r.first_name, r.last_name, r.email, r.job_title) for r in registrants] == [
        ("Personne", "anonymisée", f"participant-{r.pk}@anonymise.invalid", "") for r in registrants
    ]
    assert list(EventFeedback.objects.filter(registration__event=old_event).values_list("rating", "comment")) == [
        (4, "")
    ]
    assert list(EventFeedback.objects.filter(registration__event=recent_event).values_list("comment", flat=True)) == [
        "Merci à Mme Dupont, très clair."
    ]
    assert not EventRegistration.objects.filter(event=recent_event, anonymised_at__isnull=False).exists()


def test_retention_runs_once_per_person(retention, delegation, commune):
    session = _session(delegation, commune, days_ago=retention + 10)
    first = personal_data_apply_retention()
    stamped = dict(Registration.objects.filter(session=session).values_list("pk", "anonymised_at"))

    assert personal_data_apply_retention() == NOTHING
    assert first == {**NOTHING, "trained_agents": 4}
    assert dict(Registration.objects.filter(session=session).values_list("pk", "anonymised_at")) == stamped


def test_retention_works_by_batches(retention, delegation, commune, monkeypatch):
    monkeypatch.setattr("partnership.personal_data.RETENTION_BATCH_SIZE", 3)
    _session(delegation, commune, days_ago=retention + 10)
    _session(delegation, commune, days_ago=retention + 20)

    assert personal_data_apply_retention() == {**NOTHING, "trained_agents": 8}
    assert not Registration.objects.filter(anonymised_at__isnull=True).exists()


def test_retention_is_a_daily_beat_task(retention, delegation, commune):
    _event(delegation, commune, days_ago=retention + 1)
    assert django_settings.CELERY_BEAT_SCHEDULE["personal-data-retention"] == {
        "task": "partnership.tasks.personal_data_apply_retention",
        "schedule": 86400.0,
    }
    assert tasks.personal_data_apply_retention.delay().get() == {**NOTHING, "event_registrants": 2}
