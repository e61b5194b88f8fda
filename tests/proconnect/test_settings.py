"""ProConnect's settings: all three variables or none, and the staff policy only with ProConnect configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROCONNECT = ("PROCONNECT_ISSUER", "PROCONNECT_CLIENT_ID", "PROCONNECT_CLIENT_SECRET", "PROCONNECT_REQUIRED_FOR_STAFF")


def _settings(**variables) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in PROCONNECT}
    env.update(variables)
    return subprocess.run(
        [sys.executable, "-c", "import partnership.settings as s; print(s.PROCONNECT_ISSUER)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


TOGETHER = "PROCONNECT_ISSUER, PROCONNECT_CLIENT_ID and PROCONNECT_CLIENT_SECRET go together: set all three or none."


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"PROCONNECT_ISSUER": "https://auth.agentconnect.gouv.fr/api/v2"}, TOGETHER),
        ({"PROCONNECT_CLIENT_ID": "id", "PROCONNECT_CLIENT_SECRET": "secret"}, TOGETHER),
        (
            {"PROCONNECT_REQUIRED_FOR_STAFF": "1"},
            "PROCONNECT_REQUIRED_FOR_STAFF needs ProConnect configured (PROCONNECT_ISSUER…).",
        ),
    ],
)
def test_an_incomplete_configuration_stops_the_start(given, message):
    result = _settings(**given)

    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == f"django.core.exceptions.ImproperlyConfigured: {message}"


def test_a_complete_configuration_starts_and_the_issuer_loses_its_final_slash():
    result = _settings(
        PROCONNECT_ISSUER="https://auth.agentconnect.gouv.fr/api/v2/",
        PROCONNECT_CLIENT_ID="id",
        PROCONNECT_CLIENT_SECRET="secret",
        PROCONNECT_REQUIRED_FOR_STAFF="1",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://auth.agentconnect.gouv.fr/api/v2"


def test_no_configuration_starts_as_today():
    result = _settings()

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
