"""Latency of the collectivité search over the full territorial data, and the plan that serves it.

Usage (the database must hold the imported territories):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python scripts/bench_search.py
    python scripts/bench_search.py            # embedded SQLite (var/db.sqlite3)
Prints, per query, the median and 95th percentile over repeated runs of the selector the picker's
endpoint calls (``partnership.selectors.collectivities_search``), and on PostgreSQL the plan that
shows which index serves it.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnership.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from partnership.models import Collectivity  # noqa: E402
from partnership.selectors import collectivities_search  # noqa: E402

QUERIES = [
    "saint etienne",
    "Saint-Étienne",
    "st etienne",
    "ste foy les lyon",
    "l hay",
    "lyon",
    "sur mer",
    "42218",
    "244200770",
    "villeneuve",
    "ay",
]
RUNS = 50


def main():
    total = Collectivity.objects.count()
    print(f"Base : {connection.vendor}, {total} collectivités")
    print(f"{'requête':<16} {'résultats':>9} {'médiane ms':>11} {'p95 ms':>8}")
    for query in QUERIES:
        timings = []
        for _ in range(RUNS):
            start = time.perf_counter()
            rows = list(collectivities_search(query))
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"{query:<16} {len(rows):>9} {statistics.median(timings):>11.2f} {p95:>8.2f}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            sql, params = collectivities_search("st etienne").query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plan = [row[0] for row in cursor.fetchall()]
        print("Plan (recherche par nom) :")
        for line in plan:
            print("  " + line)


if __name__ == "__main__":
    main()
