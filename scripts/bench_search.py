"""Latency of the collectivité search over the full territorial data, and the plan that serves it.

Usage (the database must hold the imported territories):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python scripts/bench_search.py
    python scripts/bench_search.py            # embedded SQLite (var/db.sqlite3)
Prints, per query, the median and 95th percentile over repeated runs of the same ORM call the
picker's endpoint makes, and on PostgreSQL the EXPLAIN line showing which index is used.
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

from agreements.views import CollectivitySearchView  # noqa: E402
from partnership.models import Collectivity  # noqa: E402

QUERIES = ["saint etienne", "Saint-Étienne", "lyon", "sur mer", "42218", "244200770", "villeneuve", "ay"]
RUNS = 50


def search(query):
    from django.db.models import Case, IntegerField, Value, When

    from partnership.text import normalize_search

    folded = normalize_search(query)
    qs = (
        Collectivity.objects.search(query)
        .select_related("department")
        .annotate(
            rank=Case(
                When(search_name__startswith=folded, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
            if folded
            else Value(0)
        )
        .order_by("rank", "-population", "name")[: CollectivitySearchView.limit]
    )
    return qs


def main():
    total = Collectivity.objects.count()
    print(f"Base : {connection.vendor}, {total} collectivités")
    print(f"{'requête':<16} {'résultats':>9} {'médiane ms':>11} {'p95 ms':>8}")
    for query in QUERIES:
        timings = []
        for _ in range(RUNS):
            start = time.perf_counter()
            rows = list(search(query))
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"{query:<16} {len(rows):>9} {statistics.median(timings):>11.2f} {p95:>8.2f}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            sql, params = Collectivity.objects.search("saint etienne").only("pk").query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plan = [row[0] for row in cursor.fetchall()]
        print("Plan (recherche par nom) :")
        for line in plan:
            print("  " + line)


if __name__ == "__main__":
    main()
