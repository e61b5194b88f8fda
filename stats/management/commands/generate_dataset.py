"""A synthetic national year of activity, for benchmarks (never for production).

Default volumes are DESIGN's "volumes to design for": 10,000 contracts, 100,000 two-day sessions
(four half-days), 1,000,000 registrations and about 4,000,000 half-day attendance marks, plus a few
hundred events and speakers. The spread follows the territory: a delegation's share of contracts,
sessions and agents follows its number of communes, employers are drawn by population, categories
are mostly C (as in the territorial civil service), and most agents attend.

Rows are written in bulk, bypassing the services (which render a PDF per contract, lock a session
per registration…): on PostgreSQL with ``COPY``, elsewhere with ``executemany``; the database
constraints still hold. This is the bulk path of ``stats.rebuild.bulk_load``: the rollups' triggers are
off during the load, then everything they derive is recomputed once (``statistics_rebuild``: ANALYZE
first, the rollups, the sessions' attendance dates), in the same transaction.

The command orchestrates; each app writes its own rows from its ``<app>/dataset.py``, a step of the
registry ``partnership.dataset_registry`` (the order of the steps, what one hands to the next).
"""

import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from partnership.dataset_registry import generate
from partnership.models import Delegation
from stats.rebuild import bulk_load


class Command(BaseCommand):
    help = "Génère une année d'activité nationale synthétique pour les mesures de charge (refusé en production)."

    def add_arguments(self, parser):
        parser.add_argument("--contracts", type=int, default=10_000)
        parser.add_argument("--sessions", type=int, default=100_000)
        parser.add_argument("--registrations", type=int, default=1_000_000)
        parser.add_argument("--events", type=int, default=300)
        parser.add_argument("--speakers", type=int, default=500)
        parser.add_argument("--year", type=int, default=2026, help="année de programme des sessions")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--allow-production", action="store_true")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError("Refusé : ce jeu de données est synthétique.")
        if not Delegation.objects.exists():
            raise CommandError("Importez d'abord le référentiel territorial : manage.py import_territories.")
        started = time.monotonic()
        # The rollups are recomputed once at the end rather than row by row: see stats.rebuild.
        with bulk_load(progress=self.stdout.write):
            counts = generate(random.Random(options["seed"]), options, self.stdout)
            self.stdout.write(f"Lignes écrites en {time.monotonic() - started:.0f} s ; recalcul des cumuls…")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        summary = ", ".join(f"{n:,} {label}".replace(",", "\u202f") for label, n in counts.items())
        self.stdout.write(f"Généré en {time.monotonic() - started:.0f} s : {summary}.")
