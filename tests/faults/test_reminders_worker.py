"""Reminders as in production: Celery beat decides them, a worker sends them, Redis between, SMTP down for a while.

Real pieces only: PostgreSQL (the worker and beat read the test database), a private Redis as broker, a
Celery worker and Celery beat in subprocesses, an SMTP server on loopback that starts only after the first
attempts failed. Every reminder arrives once: none lost while the server was down, none doubled by beat
running the job every second.
"""

import datetime
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from notifications.enums import ReminderStatus
from notifications.models import ReminderLog
from tests.events.factories import EventFactory, EventRegistrationFactory
from tests.faults.smtp_sink import SmtpSink

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.integration,
    pytest.mark.postgresql,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server absent"),
]


def _wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"délai dépassé en attendant : {what}")


def _celery(env, log, *args):
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "partnership", *args, "--loglevel=INFO"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


def test_beat_and_worker_send_each_reminder_once_through_an_smtp_outage(redis_broker, tmp_path, settings):
    starts = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=7), datetime.time(10))
    )
    event = EventFactory(title="Colloque RH", starts_at=starts)
    EventRegistrationFactory(event=event, email="lea@mairie.example.fr")
    EventRegistrationFactory(event=event, email="paul@mairie.example.fr")

    sink = SmtpSink()  # not started: the SMTP server is down
    db = connection.settings_dict
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": redis_broker.url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_TIMEOUT": "2",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "REMINDERS_SCHEDULE_SECONDS": "1",
        "REMINDER_RETRY_BACKOFF_SECONDS": "1",
        "REMINDER_RETRY_BACKOFF_MAX_SECONDS": "2",
        "REMINDER_MAX_RETRIES": "50",
        "EVENT_REMINDER_DAYS": "7,1",
        "PYTHONPATH": str(ROOT),
    }
    started = False
    log = open(tmp_path / "celery.log", "w")  # noqa: SIM115 - kept open for both processes
    worker = _celery(env, log, "worker", "--pool=solo", "--concurrency=1", "--without-gossip", "--without-mingle")
    beat = _celery(env, log, "beat", "--schedule", str(tmp_path / "beat-schedule"), "--max-interval", "1")
    try:
        _wait_for(
            lambda: ReminderLog.objects.filter(attempts__gte=2).count() == 2,
            90,
            "les deux rappels décidés par beat, refusés deux fois par le serveur SMTP arrêté",
        )
        assert sink.messages == []
        assert set(ReminderLog.objects.values_list("status", flat=True)) <= {
            ReminderStatus.PENDING,
            ReminderStatus.SENDING,
        }

        sink.start()  # the server is back
        started = True
        _wait_for(
            lambda: ReminderLog.objects.filter(status=ReminderStatus.SENT).count() == 2,
            60,
            "les rappels délivrés une fois le serveur revenu",
        )
        time.sleep(3)  # beat runs the job every second meanwhile: a duplicate would have arrived
        assert sorted(message.rcpt_tos[0] for message in sink.messages) == [
            "lea@mairie.example.fr",
            "paul@mairie.example.fr",
        ]
        assert ReminderLog.objects.count() == 2
    finally:
        for process in (beat, worker):
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=10)
        log.close()
        if started:
            sink.stop()
