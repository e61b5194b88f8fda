"""Production settings: the same module, driven by environment variables, checked in a subprocess."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scripts import seal_certificate

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "p" * 20 + "-a-real-random-production-secret-key-value-0123456789",
    "ALLOWED_HOSTS": "partenariat.example.fr",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


@pytest.fixture(scope="module")
def seal(tmp_path_factory):
    """A seal certificate and its key, as production requires (SIGNING_KEY_FILE, SIGNING_CERT_FILE)."""
    key, cert = seal_certificate.make(tmp_path_factory.mktemp("seal"))
    # A timestamping authority's address: nothing here contacts it (neither start-up nor check --deploy).
    return {
        "SIGNING_KEY_FILE": str(key),
        "SIGNING_CERT_FILE": str(cert),
        "SIGNING_TSA_URL": "https://tsa.example.fr/rfc3161",
    }


def _run(env_overrides, *args, python_module=False):
    # Start from this process's environment minus anything a test run sets for itself (the browser
    # tests allow async-unsafe calls while Chromium runs; a deployment must not).
    unset = {*PRODUCTION_ENV, "SIGNING_KEY_FILE", "SIGNING_CERT_FILE", "SIGNING_TSA_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, *([] if python_module else ["manage.py"]), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_environment(seal):
    result = _run({**PRODUCTION_ENV, **seal}, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key(seal):
    env = {**PRODUCTION_ENV, **seal}
    del env["SECRET_KEY"]
    result = _run(env, "check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_sqlite_and_missing_redis(seal):
    result = _run({**PRODUCTION_ENV, **seal, "DATABASE_URL": "sqlite:////tmp/x.sqlite3"}, "check")
    assert "PostgreSQL" in result.stderr
    env = {**PRODUCTION_ENV, **seal}
    del env["REDIS_URL"]
    result = _run(env, "check")
    assert "REDIS_URL" in result.stderr


@pytest.mark.parametrize("missing", ["SIGNING_CERT_FILE", "SIGNING_KEY_FILE", "SIGNING_TSA_URL"])
@pytest.mark.parametrize("command", [["check"], ["check", "--deploy"], ["wsgi"]])
def test_production_refuses_to_start_without_the_seal(seal, missing, command):
    """Without the seal, signed contracts could not be sealed nor /verification/ answer: no start at all."""
    env = {**PRODUCTION_ENV, **seal}
    del env[missing]
    if command == ["wsgi"]:  # what gunicorn does first
        result = _run(env, "-c", "import partnership.wsgi; print('démarré')", python_module=True)
    else:
        result = _run(env, *command)
    assert result.returncode == 1
    assert f"ImproperlyConfigured: The environment variable {missing} is required when DEBUG is off." in result.stderr
    assert "démarré" not in result.stdout


def test_production_refuses_a_seal_path_that_names_no_file(seal, tmp_path):
    result = _run({**PRODUCTION_ENV, **seal, "SIGNING_KEY_FILE": str(tmp_path / "absent.pem")}, "check")
    assert result.returncode == 1
    assert f"SIGNING_KEY_FILE names no readable file: {tmp_path / 'absent.pem'}" in result.stderr


def test_check_deploy_fails_when_the_seal_key_does_not_match_its_certificate(seal, tmp_path):
    other_key, _other_cert = seal_certificate.make(tmp_path)
    result = _run({**PRODUCTION_ENV, **seal, "SIGNING_KEY_FILE": str(other_key)}, "check", "--deploy")
    assert result.returncode == 1
    assert "agreements.E003" in result.stderr
    assert "SIGNING_KEY_FILE is not the private key of SIGNING_CERT_FILE." in result.stderr


def test_check_deploy_fails_when_the_tsa_is_no_http_address(seal):
    result = _run({**PRODUCTION_ENV, **seal, "SIGNING_TSA_URL": "tsa.example.fr"}, "check", "--deploy")
    assert result.returncode == 1
    assert "agreements.E005" in result.stderr
    assert "SIGNING_TSA_URL must be the http(s) address of an RFC 3161 timestamping authority." in result.stderr


def test_check_deploy_fails_when_the_seal_certificate_is_not_a_certificate(seal, tmp_path):
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("pas un certificat")
    result = _run({**PRODUCTION_ENV, **seal, "SIGNING_CERT_FILE": str(garbage)}, "check", "--deploy")
    assert result.returncode == 1
    assert "agreements.E001" in result.stderr


def test_production_never_lets_demo_accounts_in_nor_shows_them(seal):
    code = "from django.conf import settings as s; print(s.DEMO_ACCOUNTS_CAN_LOG_IN, s.SHOW_DEMO_ACCOUNTS)"
    result = _run({**PRODUCTION_ENV, **seal, "SHOW_DEMO_ACCOUNTS": "1"}, "shell", "-c", code)
    assert result.stdout.strip().splitlines()[-1] == "False False", result.stderr
    result = _run({"DEBUG": "1"}, "shell", "-c", code)
    assert result.stdout.strip().splitlines()[-1] == "True True", result.stderr


def test_embedded_defaults(settings):
    # The test run has no production variables: tasks run eagerly, e-mails stay local.
    assert settings.LANGUAGE_CODE == "fr-fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.USE_TZ is True
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
