"""Load benchmark: every page of the access matrix under gunicorn (production settings, PostgreSQL), for each
persona, with the objects of a small and of the largest delegation, each page's latency given as a multiple of
a trivial view (/robots.txt) measured alternately with it, and the largest delegation's latency as a multiple
of the small one's.

    make bench                                          # a national year (generate_dataset's defaults), loaded once
    .venv/bin/python scripts/bench_load.py --contracts 300 --rounds 3     # CI's smoke size

The database (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/bench_load) is created and
loaded when it does not hold the dataset asked for (``--fresh`` drops it first), then reused: the accounts
the benchmark logs in with are its own (``bench-…@bench.example``, found again on the next run), so
``--skip-prepare`` works any number of times. Redis: BENCH_REDIS_URL (default redis://127.0.0.1:6379/14).

Two phases under gunicorn: the main pages under ``--concurrency`` keep-alive clients for ``--seconds`` each
(errors under load), then every page alone, ``--rounds`` times, each time right after the trivial view. Exit
status 1 on an error, or when a page costs the largest delegation more than ``--max-ratio`` times the small
one (differences under ``--noise-ms`` are the shared machine's noise). Sends traffic only to 127.0.0.1;
every loop is bounded in time.
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
VAR_DIR = "/tmp/bench-load-var"
PERSONA_LABELS = {
    "anon": "anonyme",
    "N": "national",
    "A": "AMF",
    "D": "délégation",
    "S": "signataire",
    "H": "référent RH",
    "SP": "intervenant",
}


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
            "VAR_DIR": VAR_DIR,
            # The demo's contracts are sealed as in production: the test PKI's seal and TSA (tests/pki).
            **test_pki.seal_settings(),
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "partnership.settings",
        }
    )
    return env


def manage(*args, env):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def _psql(database: str, sql: str) -> str | None:
    url = urlparse(DATABASE_URL)
    result = subprocess.run(
        ["psql", f"{url.scheme}://{url.netloc}/{database}", "-Atqc", sql], capture_output=True, text=True
    )
    return result.stdout.strip() if result.returncode == 0 else None


def loaded_contracts() -> int:
    """Contracts of the dataset already in the database (0 when there is none)."""
    count = _psql(urlparse(DATABASE_URL).path.lstrip("/"), "SELECT COUNT(*) FROM agreements_partnershipcontract")
    return int(count) if count and count.isdigit() else 0


def prepare_database(env, contracts: int) -> None:
    name = urlparse(DATABASE_URL).path.lstrip("/")
    _psql("postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _psql("postgres", f"CREATE DATABASE {name}")
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


def wait_for_server(deadline_seconds=60):
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


class Client:
    """One keep-alive connection; ``get`` returns (milliseconds, status)."""

    def __init__(self):
        self.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)

    def get(self, path: str, cookie: str | None = None) -> tuple[float, int]:
        headers = {"Cookie": cookie} if cookie else {}
        started = time.perf_counter()
        try:
            self.connection.request("GET", path, headers=headers)
            response = self.connection.getresponse()
            response.read()
        except OSError:
            self.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
            return (time.perf_counter() - started) * 1000, 0
        return (time.perf_counter() - started) * 1000, response.status


def time_pages(pages, worlds, cookies, *, rounds: int, before=lambda: None) -> list[dict]:
    """Each page alone, ``rounds`` times per scope, each request right after the trivial view's; ``before``
    runs, untimed, before each page."""
    client = Client()
    rows = []
    for number, page in enumerate(pages, start=1):
        before()
        scopes = ["petite", "grande"] if page.scoped else ["grande"]
        targets = {scope: (page.url(worlds[scope]), cookies[scope][page.persona]) for scope in scopes}
        for path, cookie in targets.values():
            client.get(path, cookie)  # warm-up
        samples = {scope: [] for scope in scopes}
        trivial = {scope: [] for scope in scopes}
        statuses = set()
        for _ in range(1 if page.whole_activity else rounds):
            for scope, (path, cookie) in targets.items():
                trivial[scope].append(client.get("/robots.txt")[0])
                elapsed, status = client.get(path, cookie)
                samples[scope].append(elapsed)
                statuses.add(status)
        row = {
            "route": page.route,
            "persona": page.persona,
            "scoped": page.scoped,
            "statuses": sorted(statuses),
            "whole_activity": page.whole_activity,
        }
        for scope in scopes:
            row[scope] = statistics.median(samples[scope])
            row[f"{scope}_trivial"] = row[scope] / statistics.median(trivial[scope])
        if page.scoped:
            row["ratio"] = row["grande"] / row["petite"]
        rows.append(row)
        print(_line(row, number, len(pages)), flush=True)
    return rows


def _line(row: dict, number: int | None = None, total: int | None = None) -> str:
    prefix = f"[{number}/{total}] " if number else ""
    small = f"{row['petite']:8.1f} ({row['petite_trivial']:5.1f}×)" if row["scoped"] else " " * 17
    ratio = f"{row['ratio']:5.2f}" if row["scoped"] else "    —"
    status = "" if row["statuses"] == [200] else f"  statut {row['statuses']}"
    return (
        f"{prefix}/{row['route']:<58} {PERSONA_LABELS[row['persona']]:<12} {small} "
        f"{row['grande']:8.1f} ({row['grande_trivial']:5.1f}×) {ratio}{status}"
    )


def markdown(rows: list[dict], trivial_ms: float, heading: str) -> str:
    lines = [
        heading,
        "",
        f"Trivial view (`/robots.txt`): {trivial_ms:.1f} ms median. Milliseconds, median; (× trivial).",
        "",
        "| page | persona | small delegation | largest delegation | large / small |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        small = f"{row['petite']:.1f} ({row['petite_trivial']:.1f}×)" if row["scoped"] else "—"
        ratio = f"{row['ratio']:.2f}" if row["scoped"] else "—"
        status = "" if row["statuses"] == [200] else f" (statut {', '.join(map(str, row['statuses']))})"
        if row["whole_activity"]:
            status += " (à part : une seule mesure)"
        lines.append(
            f"| `/{row['route']}`{status} | {PERSONA_LABELS[row['persona']]} | {small} | "
            f"{row['grande']:.1f} ({row['grande_trivial']:.1f}×) | {ratio} |"
        )
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--contracts", type=int, default=10_000, help="10 000 : une année nationale")
    parser.add_argument("--seconds", type=float, default=3, help="durée de la charge par page principale (0 : aucune)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=7, help="mesures de chaque page, chacune après la page triviale")
    parser.add_argument("--max-ratio", type=float, default=2.0)
    parser.add_argument("--noise-ms", type=float, default=5.0)
    parser.add_argument("--skip-prepare", action="store_true", help="réutiliser la base telle quelle")
    parser.add_argument("--fresh", action="store_true", help="recréer la base même si elle tient déjà le jeu")
    parser.add_argument("--markdown", help="écrire le tableau des pages dans ce fichier")
    parser.add_argument("--only", help="ne mesurer que les pages dont l'adresse contient ce texte")
    options = parser.parse_args()
    with pki.running(Path(tempfile.mkdtemp(prefix="bench-load-pki-"))) as test_pki:
        run(options, production_env(test_pki))


def run(options, env) -> None:
    if options.fresh or (not options.skip_prepare and loaded_contracts() < options.contracts):
        prepare_database(env, options.contracts)
    else:
        manage("migrate", "--noinput", env=env)  # a database of an earlier version of the code
        print(f"Base réutilisée ({loaded_contracts()} contrats).")

    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import bench_pages
    from django.db import connection

    small, large = bench_pages.delegations_by_size()
    worlds = {"petite": bench_pages.build_world(small, "petite"), "grande": bench_pages.build_world(large, "grande")}
    cookies = {
        scope: {short: bench_pages.session_cookie(user) for short, user in world.users.items()}
        for scope, world in worlds.items()
    }
    pages = [page for page in bench_pages.pages() if not options.only or options.only in page.route]
    connection.close()

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
    failures = []
    try:
        wait_for_server()
        large_world, staff, national = worlds["grande"], cookies["grande"]["D"], cookies["grande"]["N"]
        if options.seconds > 0:
            main_pages = [
                ("page triviale (/robots.txt)", "/robots.txt", None),
                ("accueil (anonyme)", "/", None),
                ("à faire (délégation)", "/a-faire/", staff),
                ("liste des contrats (délégation)", "/contrats/", staff),
                ("liste des contrats (national, tout)", "/contrats/", national),
                ("fiche contrat", f"/contrats/{large_world.contract.pk}/", staff),
                ("sessions de formation", "/formations/", staff),
                ("événements (public)", "/evenements/", None),
                ("statistiques (public)", "/statistiques/", None),
            ]
            print(
                f"\nSous charge : gunicorn {options.workers} workers, {options.concurrency} clients, "
                f"{options.seconds:.0f} s par page ; délégation {large_world.delegation}"
            )
            print(f"{'page':<38} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'erreurs':>8} {'× p50 trivial':>14}")
            baseline = None
            for label, path, cookie in main_pages:
                load(path, cookie=cookie, seconds=1, concurrency=2)  # warm-up
                figures = load(path, cookie=cookie, seconds=options.seconds, concurrency=options.concurrency)
                baseline = baseline or figures
                print(
                    f"{label:<38} {figures['rps']:>8.1f} {figures['p50']:>8.1f} {figures['p95']:>8.1f} "
                    f"{figures['errors']:>8} {figures['p50'] / baseline['p50']:>14.1f}"
                )
                if figures["errors"] or not figures["requests"]:
                    failures.append(f"{label} : {figures['errors']} erreur(s) sous charge")
        print(
            f"\nChaque page seule, {options.rounds} fois, après la page triviale ; petite délégation : {small}, "
            f"la plus grande : {large}. ms médian (× trivial)."
        )
        trivial = statistics.median(Client().get("/robots.txt")[0] for _ in range(50))
        rows = time_pages(
            pages, worlds, cookies, rounds=options.rounds, before=lambda: bench_pages.reset_throttles(worlds.values())
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    for row in rows:
        if row["whole_activity"]:
            print(
                f"À part : /{row['route']} ({row['whole_activity']}) : {row['petite']:.0f} ms → {row['grande']:.0f} ms."
            )
            continue
        if row["statuses"] != [200]:
            failures.append(f"/{row['route']} ({PERSONA_LABELS[row['persona']]}) : statut {row['statuses']}")
        if row["scoped"] and row["ratio"] > options.max_ratio and row["grande"] - row["petite"] > options.noise_ms:
            failures.append(
                f"/{row['route']} ({PERSONA_LABELS[row['persona']]}) : {row['ratio']:.2f} × la petite délégation"
            )
    measured = [row for row in rows if not row["whole_activity"]]
    slowest = max(measured, key=lambda row: row["grande"])
    ratios = [row["ratio"] for row in measured if row["scoped"]]
    print(
        f"\n{len(rows)} pages mesurées. La plus lente : /{slowest['route']} ({PERSONA_LABELS[slowest['persona']]}) "
        f"{slowest['grande']:.0f} ms. Grande / petite : médiane {statistics.median(ratios):.2f}, "
        f"maximum {max(ratios):.2f}. Pages de plus d'une seconde : "
        f"{sum(1 for row in measured if max(row.get('petite', 0), row['grande']) > 1000)}."
    )
    if options.markdown:
        heading = (
            f"{options.contracts} contrats générés ; petite délégation : {small}, la plus grande : {large} ; "
            f"gunicorn {options.workers} workers ; {options.rounds} mesures par page."
        )
        Path(options.markdown).write_text(markdown(rows, trivial, heading))
    if failures:
        print("ÉCHEC :\n- " + "\n- ".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
