"""The API keeps the contract its OpenAPI schema states: the schemathesis command line, every check.

``schemathesis run --checks all`` against a live server on a populated database, over the open
indicators and the detailed reads (with a token): every answer is documented (status, headers,
content type, body), every request the schema allows is accepted and every one it forbids refused.
The throttles are lifted for this run by the test setting ``API_THROTTLE_LIFTED``.

The run is reproducible: ``SCHEMATHESIS_SEED`` (1 by default; CI's random fuzzing pass gives its own
seed) and ``SCHEMATHESIS_MAX_EXAMPLES`` (10 by default: the coverage phase, which draws the boundary
values of every parameter, does not depend on it).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


def test_schemathesis_all_checks_pass(live_server, populated, settings, tmp_path):
    settings.API_THROTTLE_LIFTED = True
    seed = os.environ.get("SCHEMATHESIS_SEED", "1")
    command = [
        str(SCHEMATHESIS),
        "run",
        f"{live_server.url}/api/schema/",
        "--checks",
        "all",
        "--header",
        f"Authorization: Token {populated.token}",
        "--max-examples",
        os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "10"),
        "--seed",
        seed,
        "--workers",
        "1",
        "--no-color",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path, check=False)
    assert result.returncode == 0, f"graine {seed}\n{result.stdout[-20000:]}\n{result.stderr[-2000:]}"
