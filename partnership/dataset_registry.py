"""The synthetic national year's registry: each app writes its own rows from its ``<app>/dataset.py``.

``manage.py generate_dataset`` (in ``stats``, for benchmarks, never for production) orchestrates: it
opens the bulk path (``stats.rebuild.bulk_load``), builds one ``Dataset`` (the random generator, the
command's options, the territory by delegation, the bulk ``Loader``) and runs every registered ``Step``
in ``position`` order. Each app's ``dataset.py`` is discovered among the installed apps, as ``todo.py``
and ``demo.py`` are, and calls ``register(Step(key, position, run))``; the core imports no feature app.

One random generator serves every step, in order: a step draws exactly what it used to, so that a given
seed always gives the same rows. Positions: the contracts (10, ``agreements``), the speakers (20,
``events``), the training year (30, ``trainings``: its actions run under the contracts' programme lines,
its sessions are trained by the speakers), the events (40, ``events``). What one step hands to a later
one goes through ``Dataset.provide`` and ``Dataset.needs``, under a documented key:

- ``programme_lines_by_delegation``: delegation id → [(programme line id, theme id)] of the programme
  year's committed contracts (``agreements`` → ``trainings``);
- ``speaker_ids``: the speakers' ids, in creation order (``events`` → ``trainings``, ``events``).
"""

import csv
import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .enums import CollectivityKind
from .models import Collectivity, Delegation

CHUNK = 100_000


def picker(rng: random.Random, weighted):
    """A function drawing ``k`` values from ``weighted``, a list of (value, weight)."""
    values = [value for value, _weight in weighted]
    cumulative, total = [], 0
    for _value, weight in weighted:
        total += weight
        cumulative.append(total)
    return lambda k=1: rng.choices(values, cum_weights=cumulative, k=k)


class Loader:
    """Inserts rows with explicit ids: ``COPY`` on PostgreSQL, ``executemany`` elsewhere."""

    def __init__(self):
        self.postgresql = connection.vendor == "postgresql"

    def next_id(self, model) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")  # noqa: S608
            return cursor.fetchone()[0]

    def insert(self, model, columns: list[str], rows) -> int:
        table = model._meta.db_table
        count = 0
        chunk = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= CHUNK:
                self._write(table, columns, chunk)
                count += len(chunk)
                chunk = []
        if chunk:
            self._write(table, columns, chunk)
            count += len(chunk)
        if self.postgresql and "id" in columns:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"  # noqa: S608
                )
        return count

    def _write(self, table, columns, chunk):
        with connection.cursor() as cursor:
            if self.postgresql:
                buffer = io.StringIO()
                csv.writer(buffer).writerows([["\\N" if v is None else v for v in row] for row in chunk])
                buffer.seek(0)
                cursor.cursor.copy_expert(
                    f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer
                )
            else:
                placeholders = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})",  # noqa: S608
                    chunk,
                )


class Dataset:
    """What every step shares: the generator, the options, the territory, the loader and the counts."""

    def __init__(self, rng: random.Random, options: dict, stdout):
        self.rng = rng
        self.options = options
        self.stdout = stdout
        self.loader = Loader()
        self.now = timezone.now()
        self.counts: dict[str, int] = {}
        self._provided: dict[str, Any] = {}
        self._territory()

    def log(self, message: str) -> None:
        self.stdout.write(message)

    def provide(self, key: str, value: Any) -> None:
        self._provided[key] = value

    def needs(self, key: str) -> Any:
        if key not in self._provided:
            raise LookupError(f"No earlier dataset step provides {key!r}: check the steps' positions.")
        return self._provided[key]

    def _territory(self):
        """The delegations, each weighted by its communes, and its covered collectivités by population."""
        self.delegations = list(Delegation.objects.order_by("pk").prefetch_related("departments"))
        self.collectivities = {}  # delegation id -> (rows (pk, kind, population), cumulative population weights)
        weights = []
        for delegation in self.delegations:
            rows = list(
                Collectivity.objects.covered_by_cnfpt()
                .filter(department__in=delegation.departments.all())
                .order_by("pk")
                .values_list("pk", "kind", "population")
            )
            cumulative, total = [], 0
            for _pk, _kind, population in rows:
                total += (population or 0) + 200
                cumulative.append(total)
            self.collectivities[delegation.pk] = (rows, cumulative)
            communes = sum(1 for _pk, kind, _p in rows if kind == CollectivityKind.COMMUNE)
            weights.append(max(communes, 50))
        self.pick_delegation = picker(self.rng, list(zip(self.delegations, weights, strict=True)))

    def employers(self, delegation_id: int, k: int) -> list[int]:
        """``k`` collectivités of the delegation, drawn by population (an agent's employer, a venue)."""
        rows, cumulative = self.collectivities[delegation_id]
        if not rows:
            return []
        return [row[0] for row in self.rng.choices(rows, cum_weights=cumulative, k=k)]


@dataclass(frozen=True)
class Step:
    """One app's rows of the national year: ``run(dataset)``, in ``position`` order (smaller first)."""

    key: str
    position: int
    run: Callable[[Dataset], None]


_STEPS: dict[str, Step] = {}


def register(step: Step) -> Step:
    if step.key in _STEPS and _STEPS[step.key] is not step:
        raise ValueError(f"Dataset step {step.key!r} is declared twice.")
    _STEPS[step.key] = step
    return step


def steps() -> list[Step]:
    """Every app's step, in order (each installed app's ``dataset`` module is imported first)."""
    autodiscover_modules("dataset")
    return sorted(_STEPS.values(), key=lambda step: (step.position, step.key))


def generate(rng: random.Random, options: dict, stdout) -> dict[str, int]:
    """Write the whole year, step after step; returns the rows written, by label, in the order written."""
    dataset = Dataset(rng, options, stdout)
    for step in steps():
        step.run(dataset)
    return dataset.counts
