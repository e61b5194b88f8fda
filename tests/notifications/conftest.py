"""A real SMTP server on loopback, started by the tests, as the reminders' mail server."""

import pytest

from tests.faults.smtp_sink import SmtpSink


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
    from partnership.celery import app

    monkeypatch.setitem(app.conf, "task_eager_propagates", False)
