"""Done when: on the demo data, ``send_reminders`` run twice sends each due reminder once to a real SMTP server."""

from io import StringIO

import pytest
from django.core.management import call_command

from notifications import registry
from notifications.enums import ReminderStatus
from notifications.models import ReminderLog
from partnership.demo import seed


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    call_command("import_territories", verbosity=0)
    with django_capture_on_commit_callbacks(execute=True):
        seed()


def _run(capture) -> str:
    out = StringIO()
    with capture(execute=True):
        call_command("send_reminders", stdout=out)
    return out.getvalue()


def test_demo_first_run_sends_each_kind_once_and_second_run_nothing(demo, smtp, django_capture_on_commit_callbacks):
    report = _run(django_capture_on_commit_callbacks)

    sent = list(ReminderLog.objects.filter(status=ReminderStatus.SENT).order_by("pk"))
    assert {log.kind for log in sent} == {kind.key for kind in registry.kinds()}
    # The only rows not sent: digests of a quiet week (the Brittany agent's), never an e-mail that failed.
    unsent = set(ReminderLog.objects.exclude(status=ReminderStatus.SENT).values_list("kind", "status"))
    assert unsent == {("weekly_digest", ReminderStatus.SKIPPED)}
    skipped = ReminderLog.objects.filter(status=ReminderStatus.SKIPPED).count()
    received = [(message["To"], message["Subject"].strip()) for message in smtp.parsed()]
    assert sorted(to for to, _ in received) == sorted(log.recipient for log in sent)
    assert len(set(received)) == len(received) == len(sent)
    assert f"Total : {len(sent) + skipped} rappels à envoyer." in report

    assert "Total : 0 rappel à envoyer." in _run(django_capture_on_commit_callbacks)
    assert len(smtp.messages) == len(sent)
    assert ReminderLog.objects.count() == len(sent) + skipped
