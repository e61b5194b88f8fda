"""The engine: one registry, one log whose unique key sends each reminder once, failures kept visible."""

from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import CommandError, call_command

from agreements.signing.services import sending
from notifications import registry
from notifications.enums import ReminderStatus
from notifications.keys import address_key
from notifications.models import ReminderLog, ReminderOptOut
from notifications.services import reminder_deliver, reminder_resend, reminders_run, unsubscribe_url
from notifications.tasks import backoff, reminder_send
from tests.agreements.factories import make_contract
from tests.concurrency import run_concurrently
from tests.trainings.factories import in_days

EXPECTED = {
    # key: (optional, delay setting)
    "signature_pending": (False, "SIGNATURE_REMINDER_DAYS"),
    "signature_expiring": (False, "SIGNATURE_EXPIRY_WARNING_DAYS"),
    "contract_ending": (True, "CONTRACT_ENDING_REMINDER_DAYS"),
    "study_due": (True, "STUDY_DUE_REMINDER_DAYS"),
    "session_trainers": (True, "TRAINING_TRAINER_REMINDER_DAYS"),
    "session_participants": (True, "TRAINING_REMINDER_DAYS"),
    "attendance_missing": (False, "ATTENDANCE_REMINDER_DAYS"),
    "event_upcoming": (True, "EVENT_REMINDER_DAYS"),
    "weekly_digest": (True, "DIGEST_WEEKDAY"),
}


def test_every_kind_is_declared_once_with_its_delay_setting():
    assert {kind.key: (kind.optional, kind.delay_setting) for kind in registry.kinds()} == EXPECTED
    for kind in registry.kinds():
        assert hasattr(django_settings, kind.delay_setting), kind.delay_setting
    with pytest.raises(ValueError, match="declared twice"):
        registry.register(registry.ReminderKind(**registry.get("study_due").__dict__))


def run(capture, **kwargs) -> dict:
    with capture(execute=True):
        return reminders_run(only=["event_upcoming"], **kwargs)


def test_optional_reminder_is_html_and_text_with_one_click_unsubscribe(
    event_in_a_week, smtp, django_capture_on_commit_callbacks
):
    assert run(django_capture_on_commit_callbacks) == {"event_upcoming": 2}
    messages = sorted(smtp.parsed(), key=lambda m: m["To"])
    assert [m["To"] for m in messages] == ["lea@mairie.example.fr", "paul@mairie.example.fr"]
    message = messages[0]
    assert message["Subject"].strip() == f"Rappel : « Colloque RH » dans 7 jours, le {in_days(7):%d/%m/%Y}"
    link = unsubscribe_url(email="lea@mairie.example.fr", kind="event_upcoming")
    assert message["List-Unsubscribe"].strip() == f"<{link}>"  # long headers are folded
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Auto-Submitted"] == "auto-generated"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert text.startswith("Bonjour Léa Roux,")
    assert f"Pour ne plus le recevoir : {link}" in text
    assert f'<a href="{link}">Ne plus recevoir ce rappel</a>' in html
    assert f'<a href="http://127.0.0.1:8000/evenements/{event_in_a_week.pk}/">Le programme</a>' in html
    assert [part.get_filename() for part in message.iter_attachments()] == ["evenement.ics"]


def test_a_reminder_a_process_depends_on_has_no_unsubscribe(
    delegation_staff, commune, smtp, settings, django_capture_on_commit_callbacks
):

    contract = make_contract(actor=delegation_staff, collectivities=[commune])
    with django_capture_on_commit_callbacks(execute=True):
        sending.contract_send_for_signature(contract=contract, actor=delegation_staff)
    before = len(smtp.messages)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_run(today=in_days(3), only=["signature_pending"]) == {"signature_pending": 1}
    [message] = smtp.parsed()[before:]
    assert message["List-Unsubscribe"] is None
    assert "Pour ne plus le recevoir" not in message.get_body(("plain",)).get_content()


def test_running_twice_sends_each_reminder_once(event_in_a_week, django_capture_on_commit_callbacks):
    assert run(django_capture_on_commit_callbacks) == {"event_upcoming": 2}
    assert run(django_capture_on_commit_callbacks) == {"event_upcoming": 0}
    assert len(mail.outbox) == 2
    assert list(ReminderLog.objects.values_list("status", flat=True)) == [ReminderStatus.SENT] * 2


def test_a_task_delivered_twice_sends_one_email(event_in_a_week, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        reminders_run(only=["event_upcoming"])
    log = ReminderLog.objects.order_by("pk").first()
    assert reminder_deliver(log_id=log.pk) == ReminderStatus.SENT
    assert reminder_deliver(log_id=log.pk) == ReminderStatus.SENT  # redelivered: nothing more
    assert [m.to for m in mail.outbox] == [[log.recipient]]


def test_an_opted_out_address_gets_nothing_even_when_already_decided(
    event_in_a_week, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        assert reminders_run(only=["event_upcoming"]) == {"event_upcoming": 2}
    ReminderOptOut.objects.create(email_key=address_key("Lea@mairie.example.fr"), kind="event_upcoming")
    for log in ReminderLog.objects.all():
        reminder_deliver(log_id=log.pk)
    assert [m.to for m in mail.outbox] == [["paul@mairie.example.fr"]]
    assert ReminderLog.objects.get(recipient="lea@mairie.example.fr").status == ReminderStatus.SKIPPED


def test_smtp_down_retries_then_fails_visibly_and_resend_delivers_once(
    event_in_a_week, smtp, settings, eager_retries, django_capture_on_commit_callbacks
):
    settings.REMINDER_MAX_RETRIES = 2
    smtp.stop()
    assert run(django_capture_on_commit_callbacks) == {"event_upcoming": 2}
    logs = list(ReminderLog.objects.order_by("recipient"))
    assert [(log.status, log.attempts) for log in logs] == [(ReminderStatus.FAILED, 3)] * 2
    assert all(log.last_error.startswith("ConnectionRefusedError") for log in logs)

    smtp.restart()

    with django_capture_on_commit_callbacks(execute=True):
        assert reminder_resend(log_ids=[log.pk for log in logs]) == 2
        assert reminder_resend(log_ids=[log.pk for log in logs]) == 0  # a double click resends nothing
    assert sorted(m["To"] for m in smtp.parsed()) == ["lea@mairie.example.fr", "paul@mairie.example.fr"]
    assert set(ReminderLog.objects.values_list("status", flat=True)) == {ReminderStatus.SENT}


def test_retries_wait_longer_each_time_up_to_a_ceiling(settings):
    settings.REMINDER_RETRY_BACKOFF_SECONDS = 60
    settings.REMINDER_RETRY_BACKOFF_MAX_SECONDS = 3600
    assert [backoff(n) for n in range(8)] == [60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_the_send_task_is_thin_and_takes_an_id():
    assert reminder_send.name == "notifications.tasks.reminder_send"
    assert reminder_send.acks_late is True


def test_command_simulates_a_date_and_refuses_a_bad_one(event_in_a_week, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--today", in_days(-1).isoformat(), "--kind", "event_upcoming", stdout=out)
    assert out.getvalue() == (
        "Événement auquel vous êtes inscrit(e) : une semaine avant et la veille : aucun rappel\n"
        "Total : 0 rappel à envoyer.\n"
    )
    with pytest.raises(CommandError, match="Date invalide « 31/12/2026 » : attendu AAAA-MM-JJ"):
        call_command("send_reminders", "--today", "31/12/2026")


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_workers_running_at_once_claim_each_reminder_once(event_in_a_week, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    results, errors = run_concurrently([lambda: reminders_run(only=["event_upcoming"])] * 4)
    assert errors == [None] * 4
    assert sum(result["event_upcoming"] for result in results) == 2
    assert ReminderLog.objects.count() == 2
    assert len(mail.outbox) == 2
