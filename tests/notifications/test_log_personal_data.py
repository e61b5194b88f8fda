"""The reminder log keeps what its purpose needs; unsubscribe links expire (issue 21, item 5 and 6)."""

import datetime
import time

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from notifications.enums import ReminderStatus
from notifications.keys import address_key
from notifications.models import ReminderLog, ReminderOptOut
from notifications.services import reminder_logs_forget, reminders_run, unsubscribe_token


def run(capture) -> dict:
    with capture(execute=True):
        return reminders_run(only=["event_upcoming"])


def test_the_log_forgets_the_name_when_sent_and_the_address_after_its_delay_yet_never_sends_twice(
    event_in_a_week, settings, django_capture_on_commit_callbacks
):
    assert run(django_capture_on_commit_callbacks) == {"event_upcoming": 2}
    assert sorted(ReminderLog.objects.values_list("recipient", "recipient_name", "recipient_key", "status")) == [
        ("lea@mairie.example.fr", "", address_key("lea@mairie.example.fr"), ReminderStatus.SENT),
        ("paul@mairie.example.fr", "", address_key("paul@mairie.example.fr"), ReminderStatus.SENT),
    ]
    decided = ReminderLog.objects.earliest("created_at").created_at
    delay = datetime.timedelta(days=settings.REMINDER_LOG_RETENTION_DAYS)
    assert reminder_logs_forget(now=decided + delay) == 0
    assert reminder_logs_forget(now=decided + delay + datetime.timedelta(minutes=1)) == 2
    assert sorted(
        ReminderLog.objects.values_list("recipient", "recipient_name", "last_error", "recipient_key")
    ) == sorted(
        [("", "", "", address_key("lea@mairie.example.fr")), ("", "", "", address_key("paul@mairie.example.fr"))]
    )
    # The same reminder is still known by its key: the next run sends nothing again.
    assert run(django_capture_on_commit_callbacks) == {"event_upcoming": 0}
    assert len(mail.outbox) == 2


def test_a_pending_reminder_keeps_its_address_until_it_is_sent(event_in_a_week, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        reminders_run(only=["event_upcoming"])
    later = timezone.now() + datetime.timedelta(days=1000)
    assert reminder_logs_forget(now=later) == 0
    assert sorted(ReminderLog.objects.values_list("recipient", "recipient_name")) == [
        ("lea@mairie.example.fr", "Léa Roux"),
        ("paul@mairie.example.fr", "Paul Blanc"),
    ]


def _token_made(days_ago: float, monkeypatch) -> str:
    with monkeypatch.context() as patched:
        made_at = time.time() - days_ago * 86400
        patched.setattr(time, "time", lambda: made_at)
        return unsubscribe_token(email="lea@mairie.example.fr", kind="event_upcoming")


@pytest.mark.django_db
def test_an_unsubscribe_link_works_for_a_year_then_says_it_expired(settings, monkeypatch):
    assert settings.UNSUBSCRIBE_LINK_VALIDITY_DAYS == 365
    recent = _token_made(364, monkeypatch)
    response = Client().post(f"/notifications/desabonnement/{recent}/")
    assert response.status_code == 200
    assert list(ReminderOptOut.objects.values_list("email_key", "kind")) == [
        (address_key("lea@mairie.example.fr"), "event_upcoming")
    ]
    ReminderOptOut.objects.all().delete()

    expired = _token_made(366, monkeypatch)
    response = Client().post(f"/notifications/desabonnement/{expired}/")
    assert response.status_code == 400
    assert (
        "Ce lien de désabonnement a expiré\u00a0: utilisez celui du dernier rappel reçu, ou vos préférences de "
        "rappels si vous avez un compte."
        in response.content.decode().replace("&#x27;", "'").replace("&nbsp;", "\u00a0")
    )
    assert ReminderOptOut.objects.count() == 0
