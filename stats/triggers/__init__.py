"""The SQL triggers that keep the statistics' rollups exact, one constant per trigger.

Three rollups, a few thousand to a few tens of thousands of rows where the raw rows are millions, each
defined in its own module: ``training_tally`` (``stats_trainingtally``), ``training_summary``
(``stats_trainingsummary``) and ``intervention_tally`` (``stats_interventiontally``). Each trigger adds the
difference a row change makes to the sums, with an upsert (``INSERT … ON CONFLICT DO UPDATE SET n = n +
excluded.n``). Status literals come from the enums.

The same statements run in PostgreSQL, inside a PL/pgSQL function per trigger (whose condition is its first
line, and which first takes the advisory locks of the delegations it touches, see ``LOCK_CLASS``), and in
SQLite, inside the trigger's body. ``create_sql`` renders them for one database; the rendering is what a
migration installs and what ``stats.checks`` compares with the database:

- each version of these definitions is a migration of its own, which carries its SQL frozen
  (``ROLLUP_TRIGGERS``); ``tests/stats/test_trigger_definitions.py`` fails when the code's SQL differs from
  what the latest such migration installs, and ``manage.py rollup_triggers --migration NAME`` writes the
  next one;
- ``stats.checks.rollup_triggers_check`` (``manage.py check --deploy``, and at start-up in production)
  compares what the database runs with the code and names each difference.
"""

# The SQL here is assembled from this package's constants and the enums only; no value from outside reaches it.
# ruff: noqa: S608

from . import intervention_tally, training_summary, training_tally
from .base import Trigger

# Every trigger, in the order they are created.
TRIGGERS: list[Trigger] = training_tally.TRIGGERS + training_summary.TRIGGERS + intervention_tally.TRIGGERS

# --- No deadlock between concurrent writers (PostgreSQL) --------------------------------------------
#
# One transaction may add to several rollup rows (a session's attendance: one per category), and two
# transactions may meet on the same rows in the other order: a deadlock, and one of them refused.
# Before touching a rollup row, each trigger takes the transaction-scoped advisory lock of the
# delegation(s) its row belongs to, in ascending order: the rollup rows of a delegation are then
# written by one transaction at a time, each waiting for the previous one's commit. SQLite has one
# writer at a time and needs none of this. The tally's own triggers take none: a tally row is written
# only by the training triggers, which hold the lock already, or by ``tally_rebuild``, which locks the
# rollup tables whole.

LOCK_CLASS = 7346  # the rollups' class of advisory locks: (LOCK_CLASS, delegation id)
_BY_SESSION = (
    "SELECT a.delegation_id FROM trainings_session s JOIN trainings_trainingaction a ON a.id = s.action_id"
    " WHERE s.id = {row}.session_id"
)
DELEGATION_OF = {
    "trainings_registration": _BY_SESSION,
    "trainings_sessionhalfday": _BY_SESSION,
    "trainings_session_trainers": _BY_SESSION,
    "trainings_attendance": (
        "SELECT a.delegation_id FROM trainings_registration r JOIN trainings_session s ON s.id = r.session_id"
        " JOIN trainings_trainingaction a ON a.id = s.action_id WHERE r.id = {row}.registration_id"
    ),
    "trainings_session": "SELECT a.delegation_id FROM trainings_trainingaction a WHERE a.id = {row}.action_id",
    "trainings_trainingaction": "SELECT {row}.delegation_id",
    "agreements_programmeline": (
        "SELECT c.delegation_id FROM agreements_partnershipcontract c WHERE c.id = {row}.contract_id"
    ),
    "agreements_partnershipcontract": "SELECT {row}.delegation_id",
}
ROWS = {"INSERT": ("NEW",), "DELETE": ("OLD",), "UPDATE": ("OLD", "NEW")}


def lock_sql(trigger: Trigger) -> str:
    """PostgreSQL: take the advisory locks of the delegations a change of the trigger's table touches."""
    if trigger.table == training_tally.TABLE:
        return ""
    sources = " UNION ".join(DELEGATION_OF[trigger.table].format(row=row) for row in ROWS[trigger.event])
    return (
        f"PERFORM pg_advisory_xact_lock({LOCK_CLASS}, d.id::integer) FROM"
        f" (SELECT DISTINCT u.delegation_id AS id FROM ({sources}) AS u(delegation_id)"
        f" WHERE u.delegation_id IS NOT NULL ORDER BY 1) AS d;"
    )


def function_body(trigger: Trigger) -> str:
    """PostgreSQL: the body of the trigger's function, as ``pg_proc.prosrc`` keeps it.

    The condition is the function's first line rather than a ``WHEN`` clause of the trigger: the whole
    definition then lives in text the database keeps verbatim, which ``stats.checks`` compares.
    """
    lines = ["", "BEGIN"]
    if trigger.when:
        lines.append(f"IF ({trigger.when}) IS NOT TRUE THEN RETURN NULL; END IF;")
    lock = lock_sql(trigger)
    if lock:
        lines.append(lock)
    lines += [trigger.statements, "RETURN NULL;", "END", ""]
    return "\n".join(lines)


def sqlite_sql(trigger: Trigger) -> str:
    """SQLite: the ``CREATE TRIGGER`` statement, as ``sqlite_master.sql`` keeps it."""
    when = f" WHEN {trigger.when}" if trigger.when else ""
    return (
        f"CREATE TRIGGER {trigger.name} AFTER {trigger.event} ON {trigger.table} FOR EACH ROW{when}\n"
        f"BEGIN\n{trigger.statements}\nEND"
    )


def create_sql(vendor: str, triggers: list[Trigger] = TRIGGERS) -> list[str]:
    """The statements that install ``triggers`` in a database of ``vendor`` (replacing those of the same name)."""
    statements = drop_sql(vendor, triggers)
    for trigger in triggers:
        if vendor == "postgresql":
            statements += [
                f"CREATE OR REPLACE FUNCTION {trigger.name}() RETURNS trigger LANGUAGE plpgsql AS $${function_body(trigger)}$$",
                f"CREATE TRIGGER {trigger.name} AFTER {trigger.event} ON {trigger.table}"
                f" FOR EACH ROW EXECUTE FUNCTION {trigger.name}()",
            ]
        else:
            statements.append(sqlite_sql(trigger))
    return statements


def drop_sql(vendor: str, triggers: list[Trigger] = TRIGGERS) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {trigger.name} ON {trigger.table}" for trigger in triggers]
    return [f"DROP TRIGGER IF EXISTS {trigger.name}" for trigger in triggers]
