"""Without Chromium, the browser journeys are reported as skipped, with the command that installs it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_journeys_are_skipped_with_the_install_command_when_chromium_is_missing(tmp_path):
    env = {**os.environ, "E2E_CHROMIUM": str(tmp_path / "pas-de-chromium")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/e2e/test_admin.py", "-p", "no:cacheprovider", "-p", "no:xdist"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "failed" not in result.stdout.splitlines()[-1]
    assert " skipped" in result.stdout.splitlines()[-1]
    assert "installez-le avec « sudo apt-get install chromium »" in result.stdout
