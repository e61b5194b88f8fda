"""Statistics at national volume: each indicator's time without cache, the page, and the big exports.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_stats .venv/bin/python scripts/bench_stats.py --prepare
    DATABASE_URL=… .venv/bin/python scripts/bench_stats.py             # reuse the generated database

``--prepare`` drops and recreates that database, migrates, imports the territories and runs
``manage.py generate_dataset`` (one national year: 10,000 contracts, 100,000 sessions, 1,000,000
registrations, about 4,000,000 attendance marks); ``--years N`` loads N national years, one after the
other (each through the bulk path: triggers off, then ANALYZE and the rollups' rebuild over everything
loaded so far). ``--skip-exports`` leaves out the export comparison. Then, in one run on the same machine:

- every indicator of the registry, national figures, no cache: the first call and the median of
  ``--repeat`` calls, and for the three read from the rollup, the same figure computed from the raw
  rows (``stats.naive``) and the ratio naive / rollup;
- the statistics page (``/statistiques/``) rendered by Django's test client, ``STATS_CACHE_SECONDS=0``;
- the anonymised per-registration CSV (a million rows) written by the export code in a fresh
  process, against PostgreSQL's ``COPY`` of the same query to a file: wall time, ratio, and the
  process's peak resident memory (``ru_maxrss``).
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnership.settings")


def manage(*args):
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=True, cwd=ROOT)


def prepare(url: str, years: int = 1) -> None:
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True)
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
    manage("migrate", "-v0")
    manage("import_territories")
    for offset in range(years):
        year = 2026 - offset
        started = time.monotonic()
        manage("generate_dataset", "--year", str(year), "--seed", str(year))
        print(
            f"generate_dataset --year {year}: {time.monotonic() - started:.0f} s (wall, with ANALYZE and the rebuild)"
        )


def timed(function, repeat: int) -> tuple[float, float]:
    """(first call, median of the next ``repeat``) in milliseconds."""
    started = time.perf_counter()
    function()
    first = (time.perf_counter() - started) * 1000
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        runs.append((time.perf_counter() - started) * 1000)
    return first, statistics.median(runs)


def export_child(path: str) -> None:
    """Run in a fresh process: write the anonymised CSV as the export worker does, report time and memory."""
    import django

    django.setup()
    from partnership.enums import Role
    from partnership.models import User
    from stats.enums import ExportFormat
    from stats.registry import DATASETS
    from stats.services import write_dataset

    user = User(role=Role.NATIONAL_STAFF, is_active=True)
    dataset = DATASETS["anonymised_registrations"]
    started = time.perf_counter()
    with open(path, "wb") as out:
        rows = write_dataset(out, dataset, ExportFormat.CSV, user=user, delegation_id=None)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{rows} {elapsed:.3f} {peak:.1f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--years", type=int, default=1, help="années nationales chargées par --prepare")
    parser.add_argument("--skip-exports", action="store_true")
    parser.add_argument("--export-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_child:
        export_child(args.export_child)
        return
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("DATABASE_URL doit désigner une base PostgreSQL dédiée à la mesure.")
    if args.prepare:
        prepare(url, args.years)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from stats import naive, registry
    from trainings.models import Attendance, Registration, Session

    settings.STATS_CACHE_SECONDS = 0
    print(
        f"data: {Session.objects.count():,} sessions, {Registration.objects.count():,} registrations, "
        f"{Attendance.objects.count():,} attendance marks"
    )
    print()
    print("| indicator | first call (ms) | median (ms) | naive from raw rows, median (ms) | naive / indicator |")
    print("|---|---|---|---|---|")
    for dataset in registry.INDICATORS:
        first, median = timed(lambda dataset=dataset: list(dataset.iter_rows()), args.repeat)
        reference = getattr(naive, dataset.key, None)
        if reference is None:
            # Read straight from the tables: the indicator is its own naive query.
            print(f"| {dataset.key} | {first:.1f} | {median:.1f} | (same query) | 1.0 |")
            continue
        _first, naive_median = timed(reference, max(1, args.repeat // 2))
        print(f"| {dataset.key} | {first:.1f} | {median:.1f} | {naive_median:.1f} | {naive_median / median:.0f} |")

    # Without setup_test_environment(): its instrumented rendering copies every template context,
    # which costs more than the page itself.
    client = Client()
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    response = client.get("/statistiques/")
    assert response.status_code == 200, response.status_code
    first, median = timed(lambda: client.get("/statistiques/"), args.repeat)
    print()
    print(f"statistics page, no cache: first {first:.0f} ms, median {median:.0f} ms")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if args.skip_exports:
        return

    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory) / "export.csv"
        child = subprocess.run(
            [sys.executable, __file__, "--export-child", str(out)], capture_output=True, text=True, check=True
        )
        rows, export_seconds, peak_mb = child.stdout.split()
        size = out.stat().st_size
        from partnership.enums import Role
        from partnership.models import User
        from stats import datasets_lists

        # The same rows as the export reads, written by PostgreSQL itself.
        user = User(role=Role.NATIONAL_STAFF, is_active=True)
        queryset = datasets_lists.anonymised_queryset(user=user, delegation_id=None)
        sql, params = queryset.query.sql_with_params()
        copy_path = Path(directory) / "copy.csv"
        with connection.cursor() as cursor, open(copy_path, "w") as target:
            statement = cursor.cursor.mogrify(sql, params).decode()
            started = time.perf_counter()
            cursor.cursor.copy_expert(f"COPY ({statement}) TO STDOUT WITH (FORMAT csv)", target)
            copy_seconds = time.perf_counter() - started
        print()
        print(
            f"anonymised registrations CSV: {int(rows):,} rows, {size / 1e6:.0f} MB; export {float(export_seconds):.2f} s, "
            f"COPY {copy_seconds:.2f} s, ratio {float(export_seconds) / copy_seconds:.2f}; "
            f"export process peak memory {float(peak_mb):.0f} MB"
        )


if __name__ == "__main__":
    main()
