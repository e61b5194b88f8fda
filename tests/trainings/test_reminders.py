"""Confirmed agents are reminded of their session a few days before, once."""

from django.core import mail
from django.utils import timezone

from tests.trainings.factories import RegistrationFactory, SessionFactory, in_days
from trainings.enums import RegistrationStatus
from trainings.services import sessions_send_reminders


def test_confirmed_agents_are_reminded_once(action, commune, settings, django_capture_on_commit_callbacks):
    settings.TRAINING_REMINDER_DAYS = 3
    soon = SessionFactory(action=action, venue=commune, start_date=in_days(3), half_days=[(in_days(3), "am")])
    later = SessionFactory(action=action, venue=commune, start_date=in_days(10))
    confirmed = RegistrationFactory(session=soon, employer=commune)
    RegistrationFactory(session=soon, employer=commune, status=RegistrationStatus.WAITLISTED, confirmed_at=None)
    RegistrationFactory(
        session=soon, employer=commune, status=RegistrationStatus.CANCELLED, cancelled_at=timezone.now()
    )
    RegistrationFactory(session=later, employer=commune)

    with django_capture_on_commit_callbacks(execute=True):
        assert sessions_send_reminders() == 1
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([confirmed.email], f"Rappel : votre formation approche – {action.title}")
    ]
    assert "Pour rappel, vous êtes inscrit(e)" in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        assert sessions_send_reminders() == 0
    assert len(mail.outbox) == 1
