"""Recompute what the statistics derive from the raw rows: ``manage.py rebuild_statistics``, and the bulk path.

Derived rows: the three rollups the triggers keep (``stats.tally``) and each session's « émargement dû »
date (``trainings.attendance_due``). ``statistics_rebuild`` recomputes them all in one transaction:

1. ``ANALYZE`` of the raw tables (PostgreSQL) first: after a bulk load the planner knows nothing of the new
   rows, and the rebuild's joins over millions of rows then run for hours instead of a minute;
2. the rollup tables locked (``EXCLUSIVE``: the statistics pages still read them, writes of training rows
   wait for the commit, then add their own difference to the rebuilt sums);
3. each rollup emptied and recomputed, its previous content kept aside to say what changed;
4. the sessions' dates recomputed.

``bulk_load`` is the path of a load that bypasses the services (``generate_dataset``): the triggers off for
the load, then the rebuild, then the triggers on again, in the load's own transaction.
"""

# The SQL here is assembled from the rollups' table and column names only; no value from outside reaches it.
# ruff: noqa: S608

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction

from trainings.attendance_due import attendance_due_rebuild

from . import tally
from .triggers import TRIGGERS, intervention_tally, training_summary, training_tally

# The raw tables the rollups are computed from.
SOURCES = (
    "trainings_registration",
    "trainings_attendance",
    "trainings_session",
    "trainings_sessionhalfday",
    "trainings_session_trainers",
    "trainings_trainingaction",
    "agreements_programmeline",
    "agreements_partnershipcontract",
)


@dataclass(frozen=True)
class Rollup:
    table: str
    label: str
    key: tuple[str, ...]
    sums: tuple[str, ...]
    rebuild: str


ROLLUPS = (
    Rollup(
        training_tally.TABLE,
        "cumul de formation (par action et catégorie)",
        ("action_id", "category"),
        tally.SUMS,
        training_tally.REBUILD,
    ),
    Rollup(
        training_summary.TABLE,
        "synthèse de formation (par délégation, contrat, thèmes, dispositif et catégorie)",
        ("delegation_id", "committed", "line_theme_id", "theme_id", "scheme_id", "category"),
        tally.SUMS,
        training_summary.REBUILD,
    ),
    Rollup(
        intervention_tally.TABLE,
        "interventions des formateurs (par délégation et lieu)",
        ("delegation_id", "venue_id"),
        ("interventions",),
        intervention_tally.REBUILD,
    ),
)


@dataclass(frozen=True)
class Change:
    """What the rebuild of one derived table changed."""

    label: str
    rows_before: int
    rows_after: int
    # Keys whose figures differ (a row that was missing, or is gone, counts as zeros).
    changed: int
    seconds: float


def _count(cursor, sql: str) -> int:
    cursor.execute(sql)
    return cursor.fetchone()[0]


def _differences(cursor, rollup: Rollup, old: str) -> int:
    """Keys whose sums differ between the rebuilt table and ``old``, a missing row counting as zeros."""
    on = " AND ".join(f"n.{column} = o.{column}" for column in rollup.key)
    differ = " OR ".join(f"COALESCE(n.{s}, 0) <> COALESCE(o.{s}, 0)" for s in rollup.sums)
    zero_old = " OR ".join(f"o.{s} <> 0" for s in rollup.sums)
    changed_or_new = _count(cursor, f"SELECT COUNT(*) FROM {rollup.table} n LEFT JOIN {old} o ON {on} WHERE {differ}")
    gone = _count(
        cursor,
        f"SELECT COUNT(*) FROM {old} o LEFT JOIN {rollup.table} n ON {on}"
        f" WHERE n.{rollup.key[0]} IS NULL AND ({zero_old})",
    )
    return changed_or_new + gone


@contextmanager
def _summary_follows_tally_off() -> Iterator[None]:
    """While the tally is emptied and refilled, its own triggers (which move the summary's sums) stay off:
    the summary is recomputed whole right after. The triggers come back as they were (off in a bulk load)."""
    own = [trigger for trigger in TRIGGERS if trigger.table == training_tally.TABLE]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND tgenabled <> 'D' AND NOT tgisinternal",
                [training_tally.TABLE],
            )
            enabled = {name for (name,) in cursor.fetchall()} & {trigger.name for trigger in own}
            if enabled:
                # ALTER TABLE refuses while rows written earlier in the transaction have deferred checks pending.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for name in sorted(enabled):
                cursor.execute(f"ALTER TABLE {training_tally.TABLE} DISABLE TRIGGER {name}")
            yield
            if enabled:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the rows just written, likewise
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for name in sorted(enabled):
                cursor.execute(f"ALTER TABLE {training_tally.TABLE} ENABLE TRIGGER {name}")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            present = {name for (name,) in cursor.fetchall()}
            paused = [trigger for trigger in own if trigger.name in present]
            for statement in tally.drop_sql("sqlite", paused):
                cursor.execute(statement)
            yield
            for statement in tally.create_sql("sqlite", paused):
                cursor.execute(statement)


@transaction.atomic
def statistics_rebuild(*, progress: Callable[[str], None] = lambda message: None) -> list[Change]:
    """Recompute the rollups and the sessions' attendance dates from the raw rows; return what changed.

    Side effects: ANALYZE of the raw tables (PostgreSQL); the rollup tables locked until the end of the
    transaction, emptied and filled again; the sessions' ``attendance_due_on`` updated where it was wrong.
    """
    changes = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            started = time.monotonic()
            progress("Statistiques du planificateur (ANALYZE des tables de formation et des contrats)…")
            for table in SOURCES:
                cursor.execute(f"ANALYZE {table}")
            progress(f"  fait en {time.monotonic() - started:.1f} s.")
            cursor.execute(f"LOCK TABLE {', '.join(tally.ROLLUP_TABLES)} IN EXCLUSIVE MODE")
        for rollup in ROLLUPS:
            started = time.monotonic()
            progress(f"{rollup.label[:1].upper()}{rollup.label[1:]} ({rollup.table})…")
            old = f"rebuild_old_{rollup.table}"
            columns = ", ".join(rollup.key + rollup.sums)
            cursor.execute(f"DROP TABLE IF EXISTS {old}")
            cursor.execute(f"CREATE TEMPORARY TABLE {old} AS SELECT {columns} FROM {rollup.table}")
            before = _count(cursor, f"SELECT COUNT(*) FROM {old}")
            if rollup.table == training_tally.TABLE:
                with _summary_follows_tally_off():
                    cursor.execute(f"DELETE FROM {rollup.table}")
                    cursor.execute(rollup.rebuild)
            else:
                cursor.execute(f"DELETE FROM {rollup.table}")
                cursor.execute(rollup.rebuild)
            after = _count(cursor, f"SELECT COUNT(*) FROM {rollup.table}")
            changed = _differences(cursor, rollup, old)
            cursor.execute(f"DROP TABLE {old}")
            changes.append(Change(rollup.label, before, after, changed, time.monotonic() - started))
            progress(
                f"  {before} → {after} lignes, {changed} clé(s) aux chiffres corrigés ({changes[-1].seconds:.1f} s)."
            )
    started = time.monotonic()
    progress("Sessions : date depuis laquelle l'émargement est dû…")
    fixed = attendance_due_rebuild()
    changes.append(Change("sessions : émargement dû depuis le", 0, 0, fixed, time.monotonic() - started))
    progress(f"  {fixed} session(s) corrigée(s) ({changes[-1].seconds:.1f} s).")
    return changes


@contextmanager
def bulk_load(*, progress: Callable[[str], None] = lambda message: None) -> Iterator[None]:
    """A load that writes training rows in bulk (``COPY``), bypassing the services: one transaction, the
    triggers off while it writes, then ``statistics_rebuild`` and the triggers on again. On an error nothing
    stays: the load, the triggers' state and the rebuild roll back together."""
    with transaction.atomic():
        tally.set_triggers_enabled(False)
        yield
        statistics_rebuild(progress=progress)
        tally.set_triggers_enabled(True)
