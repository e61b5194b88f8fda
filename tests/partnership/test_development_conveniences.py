"""Development without any variable: e-mailed links follow the address runserver serves, and e-mails can
also be written to a folder (``EMAIL_FILE_PATH``)."""

import email
import email.policy
import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail

from partnership.devserver import runserver_site_url
from partnership.mail_backends import ConsoleAndFileEmailBackend

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["manage.py", "runserver"], "http://127.0.0.1:8000"),
        (["manage.py", "runserver", "8105"], "http://127.0.0.1:8105"),
        (["manage.py", "runserver", "127.0.0.1:8105"], "http://127.0.0.1:8105"),
        (["manage.py", "runserver", "--noreload", "localhost:8105"], "http://localhost:8105"),
        (["manage.py", "runserver", "0.0.0.0:8105"], "http://127.0.0.1:8105"),
        (["manage.py", "runserver", "[::1]:8105"], "http://[::1]:8105"),
        (["manage.py", "runserver", "pas-une-adresse"], None),
        (["manage.py", "migrate"], None),
        (["celery", "-A", "partnership", "worker"], None),
    ],
)
def test_runserver_site_url_reads_the_address_runserver_serves(argv, expected):
    assert runserver_site_url(argv) == expected


def _site_url(env: dict, *argv: str) -> str:
    """SITE_URL as the settings of ``manage.py <argv>`` compute it, in a fresh process."""
    code = (
        "import os, sys; sys.argv = ['manage.py', *sys.argv[1:]]; "
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'partnership.settings'); "
        "from django.conf import settings; print(settings.SITE_URL)"
    )
    environment = {key: value for key, value in __import__("os").environ.items() if key != "SITE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", code, *argv], cwd=ROOT, env={**environment, **env}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_settings_derive_site_url_from_runserver_in_development_only():
    assert _site_url({}, "runserver", "127.0.0.1:8105") == "http://127.0.0.1:8105"
    assert _site_url({"SITE_URL": "https://partenariat.example.fr/"}, "runserver", "8105") == (
        "https://partenariat.example.fr"
    )
    assert _site_url({}, "migrate") == "http://127.0.0.1:8000"


def test_development_emails_go_to_the_console_and_to_a_folder(tmp_path):
    console = io.StringIO()
    backend = ConsoleAndFileEmailBackend(stream=console, file_path=str(tmp_path / "e-mails"))
    message = mail.EmailMessage(
        "Votre lien de signature", "Ouvrez http://127.0.0.1:8105/signature/abc/", to=["maire@ville.example.fr"]
    )

    assert backend.send_messages([message, mail.EmailMessage("Deuxième", "Corps", to=["b@example.fr"])]) == 2

    files = sorted((tmp_path / "e-mails").glob("*.eml"))
    assert len(files) == 2
    parsed = [email.message_from_bytes(path.read_bytes(), policy=email.policy.default) for path in files]
    assert {(m["To"], m["Subject"]) for m in parsed} == {
        ("maire@ville.example.fr", "Votre lien de signature"),
        ("b@example.fr", "Deuxième"),
    }
    assert "Subject: Votre lien de signature" in console.getvalue()


def test_the_settings_choose_that_backend_when_email_file_path_is_set(tmp_path):
    code = (
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'partnership.settings'); "
        "from django.conf import settings; print(settings.EMAIL_BACKEND, settings.EMAIL_FILE_PATH)"
    )
    environment = {k: v for k, v in __import__("os").environ.items() if k not in ("EMAIL_HOST",)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**environment, "EMAIL_FILE_PATH": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["partnership.mail_backends.ConsoleAndFileEmailBackend", str(tmp_path)]
