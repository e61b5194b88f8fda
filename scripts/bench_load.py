"""Load benchmark: gunicorn with several workers on PostgreSQL and a generated dataset, a load
generator on loopback; throughput and p50/p95 latency of the main pages, each also given as a ratio
to a trivial view (/robots.txt) measured in the same run.

    make bench            # or: .venv/bin/python scripts/bench_load.py [--seconds 8] [--concurrency 8]

Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/bench_load, which
is dropped and recreated) and Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/14). Sends
traffic only to 127.0.0.1; every loop is bounded in time.
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import pki  # noqa: E402 — the seal's test PKI: production settings need a TSA

PYTHON = sys.executable
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_load")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
PORT = int(os.environ.get("BENCH_PORT", "8765"))


def production_env(test_pki) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL", "REDIS_URL")}
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": "bench-" + "k" * 60,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": DATABASE_URL,
            "REDIS_URL": REDIS_URL,
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "VAR_DIR": "/tmp/bench-load-var",
            # The demo's contracts are sealed as in production: the test PKI's seal and TSA (tests/pki).
            **test_pki.seal_settings(),
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def manage(*args, env):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def prepare_database(env, contracts: int) -> None:
    url = urlparse(DATABASE_URL)
    name = url.path.lstrip("/")
    admin = f"{url.scheme}://{url.netloc}/postgres"
    subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True)
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
    started = time.monotonic()
    manage("migrate", "--noinput", env=env)
    manage("collectstatic", "--noinput", env=env)
    manage("import_territories", env=env)
    manage("seed_demo", "--allow-production", env=env)
    # A national year's proportions (10 sessions and 100 registrations per contract), at the size asked for.
    manage(
        "generate_dataset",
        *("--contracts", str(contracts), "--sessions", str(contracts * 10), "--registrations", str(contracts * 100)),
        "--allow-production",
        env=env,
    )
    print(f"Base préparée en {time.monotonic() - started:.0f} s ({contracts} contrats générés).")


def session_cookie(env, email: str) -> str:
    code = (
        "from django.contrib.auth import get_user_model, SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY;"
        "from django.contrib.sessions.backends.db import SessionStore;"
        f"u = get_user_model().objects.get(email='{email}');"
        # Demo accounts cannot log in with DEBUG off: the benchmark renames the one it borrows.
        "u.email = 'bench-' + u.email.replace('@demo.', '@'); u.save(update_fields=['email']);"
        "s = SessionStore(); s[SESSION_KEY] = str(u.pk);"
        "s[BACKEND_SESSION_KEY] = 'partnership.auth.AccountBackend';"
        "s[HASH_SESSION_KEY] = u.get_session_auth_hash(); s.create(); print(s.session_key)"
    )
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return "sessionid=" + result.stdout.strip().splitlines()[-1]


def first_contract_id(env) -> int:
    code = (
        "from agreements.models import PartnershipContract as C;"
        "print(C.objects.filter(delegation__region__code='84').order_by('pk').values_list('pk', flat=True)[0])"
    )
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return int(result.stdout.strip().splitlines()[-1])


def wait_for_server(deadline_seconds=30):
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=1)
            connection.request("GET", "/robots.txt")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer")


def load(path: str, *, cookie: str | None, seconds: float, concurrency: int) -> dict:
    """Hammer one path with ``concurrency`` keep-alive clients for ``seconds``; return the figures."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    headers = {"Cookie": cookie} if cookie else {}

    def client():
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        mine, failed = [], 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    failed += 1
            except OSError:
                failed += 1
                connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
                continue
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            errors += failed

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    elapsed = time.monotonic() - began
    latencies.sort()
    count = len(latencies)
    return {
        "requests": count,
        "errors": errors,
        "rps": count / elapsed,
        "p50": statistics.median(latencies) * 1000 if count else float("nan"),
        "p95": latencies[max(0, int(count * 0.95) - 1)] * 1000 if count else float("nan"),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--contracts", type=int, default=2000)
    parser.add_argument("--skip-prepare", action="store_true")
    options = parser.parse_args()
    with pki.running(Path(tempfile.mkdtemp(prefix="bench-load-pki-"))) as test_pki:
        run(options, production_env(test_pki))


def run(options, env) -> None:
    if not options.skip_prepare:
        prepare_database(env, options.contracts)
    staff = session_cookie(env, "conseiller.ara@demo.cnfpt.fr")
    national = session_cookie(env, "national@demo.cnfpt.fr")
    contract = first_contract_id(env)
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "partnership.wsgi",
            "--workers",
            str(options.workers),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            "/tmp/bench-gunicorn.log",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for_server()
        pages = [
            ("page triviale (/robots.txt)", "/robots.txt", None),
            ("accueil (anonyme)", "/", None),
            ("liste des contrats (délégation)", "/contrats/", staff),
            ("liste des contrats (national, tout)", "/contrats/", national),
            ("recherche « saint etienne »", "/collectivites/recherche/?q=saint%20etienne", staff),
            ("fiche contrat", f"/contrats/{contract}/", staff),
            ("sessions de formation", "/formations/", staff),
            ("événements (public)", "/evenements/", None),
            ("statistiques (public)", "/statistiques/", None),
        ]
        print(
            f"gunicorn {options.workers} workers, {options.concurrency} clients, {options.seconds:.0f} s par page, "
            f"PostgreSQL, {options.contracts} contrats générés"
        )
        print(f"{'page':<38} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'erreurs':>8} {'× p50 trivial':>14}")
        baseline = None
        failures = 0
        for label, path, cookie in pages:
            load(path, cookie=cookie, seconds=1, concurrency=2)  # warm-up
            figures = load(path, cookie=cookie, seconds=options.seconds, concurrency=options.concurrency)
            baseline = baseline or figures
            ratio = figures["p50"] / baseline["p50"]
            print(
                f"{label:<38} {figures['rps']:>8.1f} {figures['p50']:>8.1f} {figures['p95']:>8.1f} "
                f"{figures['errors']:>8} {ratio:>14.1f}"
            )
            failures += figures["errors"] + (figures["requests"] == 0)
    finally:
        server.terminate()
        server.wait(timeout=30)
    if failures:
        print(f"ÉCHEC : {failures} réponse(s) en erreur sous charge.")
        sys.exit(1)


if __name__ == "__main__":
    main()
