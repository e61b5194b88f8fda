"""A Celery worker killed in the middle of an export: after a restart the export completes, one e-mail goes out.

Real pieces only: PostgreSQL (the worker reads the test database), a private Redis as broker, a
Celery worker in a subprocess, an SMTP server on loopback.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from stats import services
from stats.enums import ExportStatus
from stats.models import ExportRequest
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


def _worker(env, log):
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "partnership", "worker", "--pool=solo", "--concurrency=1",
         "-I", "tests.faults.worker_hooks", "--loglevel=INFO", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


def test_export_survives_a_killed_worker(delegation_staff, redis_broker, tmp_path, settings):
    sink = SmtpSink()
    sink.start()
    marker = tmp_path / "slow-once"
    marker.write_text("x")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": redis_broker.url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "EMAIL_USE_TLS": "0",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
        "STATS_EXPORT_CLAIM_TIMEOUT_SECONDS": "2",
        "FAULT_SLOW_EXPORT_MARKER": str(marker),
        "PYTHONPATH": str(ROOT),
    }
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - kept open for both workers
    first = _worker(env, log)
    second = None
    try:
        export = services.export_request_create(user=delegation_staff, dataset="contracts_by_status", format="csv")
        _wait_for(lambda: not marker.exists(), 60, "le premier worker commence l'export")
        export.refresh_from_db()
        assert export.status == ExportStatus.RUNNING
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)

        second = _worker(env, log)
        _wait_for(
            lambda: ExportRequest.objects.filter(pk=export.pk, notified_at__isnull=False).exists(),
            90,
            "l'export repris par le second worker et annoncé",
        )
        export.refresh_from_db()
        assert export.status == ExportStatus.DONE
        assert export.file and export.row_count >= 1
        time.sleep(2)  # a duplicate e-mail would have arrived by now
        assert len(sink.messages) == 1
        assert sink.messages[0].rcpt_tos == [delegation_staff.email]
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                worker.send_signal(signal.SIGKILL)
                worker.wait(timeout=10)
        log.close()
        sink.stop()
