"""SMTP down: reminders are retried with backoff, not lost, and the evidence counts each e-mail once."""

import datetime

from django.core import mail
from django.utils import timezone

from agreements.models import AuditEvent
from agreements.signing.services import sending, signatures
from notifications.enums import ReminderStatus
from notifications.models import ReminderLog
from notifications.services import reminders_run
from partnership.celery import app
from tests.agreements.factories import make_contract
from tests.agreements.signing_helpers import LINK
from tests.faults import flaky_mail


def test_reminder_is_retried_until_smtp_is_back(
    delegation_staff, commune, settings, monkeypatch, django_capture_on_commit_callbacks
):
    contract = make_contract(actor=delegation_staff, collectivities=[commune])
    with django_capture_on_commit_callbacks(execute=True):
        sending.contract_send_for_signature(contract=contract, actor=delegation_staff)
    contract.refresh_from_db()
    request = contract.signature_requests.get(step=1)

    # Eagerly, Celery runs a task's retries inline only when it does not re-raise them at once.

    monkeypatch.setitem(app.conf, "task_eager_propagates", False)
    settings.EMAIL_BACKEND = "tests.faults.flaky_mail.FlakyBackend"
    settings.SIGNATURE_REMINDER_DAYS = 3
    flaky_mail.reset(failures=2)
    day = timezone.localdate(request.sent_at) + datetime.timedelta(days=4)
    with django_capture_on_commit_callbacks(execute=True):
        counts = reminders_run(today=day, only=["signature_pending"])

    assert counts == {"signature_pending": 1}
    assert flaky_mail.FlakyBackend.attempts == 3  # two refused by the server, the third delivered
    party = contract.parties.get().collectivity.name
    assert [m.subject for m in mail.outbox] == [
        f"Rappel\u00a0: Contrat {contract.reference} «\u00a0{contract.title}\u00a0» – {party}\u00a0: à signer"
    ]
    log = ReminderLog.objects.get()
    assert (log.status, log.attempts, log.last_error) == (ReminderStatus.SENT, 3, "")
    request.refresh_from_db()
    assert request.reminder_count == 1
    assert AuditEvent.objects.filter(request=request, kind="reminded").count() == 1
    # The link in the delivered e-mail is the one that works.

    token = LINK.search(mail.outbox[0].body).group(1)
    assert signatures.signature_request_for_token(token).pk == request.pk
