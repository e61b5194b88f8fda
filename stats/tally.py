"""The triggers that keep the statistics' rollups exact, and their full recomputation.

Three rollups, each a few thousand to a few tens of thousands of rows where the raw rows are millions:

- ``TrainingTally`` (``stats_trainingtally``): registrations and attendance per (training action,
  category), from the registrations, attendance marks, sessions and half-days;
- ``TrainingSummary`` (``stats_trainingsummary``): the same sums per (delegation, committed contract
  or not, programme line's theme, action's theme, scheme, category), what the indicators group by.
  It follows ``stats_trainingtally`` and the dimensions an action takes from its programme line and
  contract: an action, a line or a contract that changes moves its sums from one key to the other;
- ``InterventionTally`` (``stats_interventiontally``): the trainers' interventions (one per trainer
  of a session that is not cancelled) per (delegation, venue), from the sessions' trainers.

Each trigger adds the difference a row change makes to the sums, with an upsert
(``INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n``): additions commute, so concurrent
transactions touching the same action never lose one another's change (the row lock of the
upsert orders them), and a rolled-back write takes its delta with it. The same SQL statements
run in PostgreSQL (inside PL/pgSQL functions) and in SQLite (inside trigger bodies): both know
``NEW``/``OLD`` and the upsert.

A registration contributes, when confirmed: 1 trainee, its session's half-days and its present
half-days (the last two in "planned" only when the session is not cancelled). An attendance mark
contributes one present half-day when it is "present" and its registration confirmed. A session's
status decides whether its registrations count as trainees; a half-day adds one scheduled
half-day per confirmed registration.
"""

# The SQL here is assembled from this module's constants only; no value from outside reaches it.
# ruff: noqa: S608

from django.db import connection, transaction

from agreements.enums import COMMITTED_STATUSES

TABLE = "stats_trainingtally"
COLUMNS = "action_id, category, trainees, scheduled_half_days, present_half_days, present_half_days_planned"
UPSERT = (
    f" ON CONFLICT (action_id, category) DO UPDATE SET"
    f" trainees = {TABLE}.trainees + excluded.trainees,"
    f" scheduled_half_days = {TABLE}.scheduled_half_days + excluded.scheduled_half_days,"
    f" present_half_days = {TABLE}.present_half_days + excluded.present_half_days,"
    f" present_half_days_planned = {TABLE}.present_half_days_planned + excluded.present_half_days_planned"
)
PLANNED = "'planned'"
CONFIRMED = "'confirmed'"
PRESENT = "'present'"


def _registration(row: str, sign: int) -> str:
    """What registration ``row`` (NEW or OLD) contributes, times ``sign``."""
    return (
        f"INSERT INTO {TABLE} ({COLUMNS}) SELECT c.action_id, c.category,"
        f" {sign} * c.planned, {sign} * c.planned * c.half_days, {sign} * c.present, {sign} * c.planned * c.present"
        f" FROM (SELECT s.action_id AS action_id, {row}.category AS category,"
        f" CASE WHEN s.status = {PLANNED} THEN 1 ELSE 0 END AS planned,"
        f" (SELECT COUNT(*) FROM trainings_sessionhalfday h WHERE h.session_id = s.id) AS half_days,"
        f" (SELECT COUNT(*) FROM trainings_attendance a WHERE a.registration_id = {row}.id"
        f" AND a.status = {PRESENT}) AS present"
        f" FROM trainings_session s WHERE s.id = {row}.session_id AND {row}.status = {CONFIRMED}) c"
        f" WHERE true{UPSERT};"
    )


def _attendance(row: str, sign: int) -> str:
    """What attendance mark ``row`` contributes, times ``sign``."""
    return (
        f"INSERT INTO {TABLE} ({COLUMNS}) SELECT s.action_id, r.category, 0, 0, {sign},"
        f" {sign} * CASE WHEN s.status = {PLANNED} THEN 1 ELSE 0 END"
        f" FROM trainings_registration r JOIN trainings_session s ON s.id = r.session_id"
        f" WHERE r.id = {row}.registration_id AND r.status = {CONFIRMED} AND {row}.status = {PRESENT}{UPSERT};"
    )


def _session(row: str, sign: int) -> str:
    """What session ``row`` contributes through its confirmed registrations, times ``sign``."""
    planned = f"CASE WHEN {row}.status = {PLANNED} THEN 1 ELSE 0 END"
    return (
        f"INSERT INTO {TABLE} ({COLUMNS}) SELECT g.action_id, g.category,"
        f" {sign} * {planned} * g.registrations,"
        f" {sign} * {planned} * g.registrations"
        f" * (SELECT COUNT(*) FROM trainings_sessionhalfday h WHERE h.session_id = {row}.id),"
        f" {sign} * g.present, {sign} * {planned} * g.present"
        f" FROM (SELECT {row}.action_id AS action_id, r.category AS category,"
        f" COUNT(DISTINCT r.id) AS registrations, COUNT(a.id) AS present"
        f" FROM trainings_registration r LEFT JOIN trainings_attendance a"
        f" ON a.registration_id = r.id AND a.status = {PRESENT}"
        f" WHERE r.session_id = {row}.id AND r.status = {CONFIRMED} GROUP BY r.category) g"
        f" WHERE true{UPSERT};"
    )


def _half_day(row: str, sign: int) -> str:
    """What half-day ``row`` adds to the scheduled half-days of its session's confirmed registrations."""
    return (
        f"INSERT INTO {TABLE} ({COLUMNS}) SELECT g.action_id, g.category, 0, {sign} * g.registrations, 0, 0"
        f" FROM (SELECT s.action_id AS action_id, r.category AS category, COUNT(*) AS registrations"
        f" FROM trainings_registration r JOIN trainings_session s ON s.id = r.session_id"
        f" WHERE r.session_id = {row}.session_id AND r.status = {CONFIRMED} AND s.status = {PLANNED}"
        f" GROUP BY s.action_id, r.category) g WHERE true{UPSERT};"
    )


# (name, table, event, condition, statements)
TRAINING_TRIGGERS = [
    ("tally_registration_insert", "trainings_registration", "INSERT", "", [_registration("NEW", 1)]),
    (
        "tally_registration_update",
        "trainings_registration",
        "UPDATE",
        "OLD.status <> NEW.status OR OLD.category <> NEW.category OR OLD.session_id <> NEW.session_id",
        [_registration("OLD", -1), _registration("NEW", 1)],
    ),
    ("tally_registration_delete", "trainings_registration", "DELETE", "", [_registration("OLD", -1)]),
    ("tally_attendance_insert", "trainings_attendance", "INSERT", "", [_attendance("NEW", 1)]),
    (
        "tally_attendance_update",
        "trainings_attendance",
        "UPDATE",
        "OLD.status <> NEW.status OR OLD.registration_id <> NEW.registration_id",
        [_attendance("OLD", -1), _attendance("NEW", 1)],
    ),
    ("tally_attendance_delete", "trainings_attendance", "DELETE", "", [_attendance("OLD", -1)]),
    (
        "tally_session_update",
        "trainings_session",
        "UPDATE",
        "OLD.status <> NEW.status OR OLD.action_id <> NEW.action_id",
        [_session("OLD", -1), _session("NEW", 1)],
    ),
    ("tally_half_day_insert", "trainings_sessionhalfday", "INSERT", "", [_half_day("NEW", 1)]),
    ("tally_half_day_delete", "trainings_sessionhalfday", "DELETE", "", [_half_day("OLD", -1)]),
]

REBUILD_SQL = (
    f"INSERT INTO {TABLE} ({COLUMNS})"
    f" SELECT s.action_id, r.category,"
    f" SUM(CASE WHEN s.status = {PLANNED} THEN 1 ELSE 0 END),"
    f" SUM(CASE WHEN s.status = {PLANNED} THEN COALESCE(h.n, 0) ELSE 0 END),"
    f" SUM(COALESCE(p.n, 0)),"
    f" SUM(CASE WHEN s.status = {PLANNED} THEN COALESCE(p.n, 0) ELSE 0 END)"
    f" FROM trainings_registration r JOIN trainings_session s ON s.id = r.session_id"
    f" LEFT JOIN (SELECT session_id, COUNT(*) AS n FROM trainings_sessionhalfday GROUP BY session_id) h"
    f" ON h.session_id = s.id"
    f" LEFT JOIN (SELECT registration_id, COUNT(*) AS n FROM trainings_attendance WHERE status = {PRESENT}"
    f" GROUP BY registration_id) p ON p.registration_id = r.id"
    f" WHERE r.status = {CONFIRMED} GROUP BY s.action_id, r.category"
)


# --- TrainingSummary: the tally by the dimensions the indicators group by ------------------------

SUMMARY = "stats_trainingsummary"
SUMMARY_KEY = "delegation_id, committed, line_theme_id, theme_id, scheme_id, category"
SUMS = ("trainees", "scheduled_half_days", "present_half_days", "present_half_days_planned")
SUMMARY_UPSERT = f" ON CONFLICT ({SUMMARY_KEY}) DO UPDATE SET " + ", ".join(
    f"{column} = {SUMMARY}.{column} + excluded.{column}" for column in SUMS
)
# A programme commits its delegation once its contract is signed (``agreements.enums.COMMITTED_STATUSES``).
COMMITTED = "(" + ", ".join(f"'{status}'" for status in COMMITTED_STATUSES) + ")"
SUMMARY_INSERT = f"INSERT INTO {SUMMARY} ({SUMMARY_KEY}, {', '.join(SUMS)})"


def _sums(expression: str) -> str:
    """The four sums, each written by ``expression`` from the column's name."""
    return ", ".join(expression.format(column=column) for column in SUMS)


def _summary_from_tally(sums: str, row: str) -> str:
    """Add ``sums`` of tally row ``row`` at its action's current dimensions."""
    return (
        f"{SUMMARY_INSERT} SELECT a.delegation_id, COALESCE(c.status IN {COMMITTED}, false),"
        f" COALESCE(pl.theme_id, 0), a.theme_id, a.scheme_id, {row}.category, {sums}"
        f" FROM trainings_trainingaction a"
        f" LEFT JOIN agreements_programmeline pl ON pl.id = a.programme_line_id"
        f" LEFT JOIN agreements_partnershipcontract c ON c.id = pl.contract_id"
        f" WHERE a.id = {row}.action_id{SUMMARY_UPSERT};"
    )


def _summary_action(row: str, sign: int) -> str:
    """Action ``row`` (OLD or NEW) contributes its tally at the dimensions it has (or had), times ``sign``."""
    return (
        f"{SUMMARY_INSERT} SELECT {row}.delegation_id, COALESCE(c.status IN {COMMITTED}, false),"
        f" COALESCE(pl.theme_id, 0), {row}.theme_id, {row}.scheme_id, t.category, {_sums(f'{sign} * SUM(t.{{column}})')}"
        f" FROM stats_trainingtally t"
        f" LEFT JOIN agreements_programmeline pl ON pl.id = {row}.programme_line_id"
        f" LEFT JOIN agreements_partnershipcontract c ON c.id = pl.contract_id"
        f" WHERE t.action_id = {row}.id GROUP BY t.category, pl.theme_id, c.status{SUMMARY_UPSERT};"
    )


def _summary_line(row: str, sign: int) -> str:
    """Programme line ``row`` contributes the tally of its actions under its theme and contract, times ``sign``."""
    return (
        f"{SUMMARY_INSERT} SELECT a.delegation_id, COALESCE(c.status IN {COMMITTED}, false),"
        f" {row}.theme_id, a.theme_id, a.scheme_id, t.category, {_sums(f'{sign} * SUM(t.{{column}})')}"
        f" FROM trainings_trainingaction a JOIN stats_trainingtally t ON t.action_id = a.id"
        f" LEFT JOIN agreements_partnershipcontract c ON c.id = {row}.contract_id"
        f" WHERE a.programme_line_id = {row}.id"
        f" GROUP BY a.delegation_id, c.status, a.theme_id, a.scheme_id, t.category{SUMMARY_UPSERT};"
    )


def _summary_contract(row: str, sign: int) -> str:
    """Contract ``row`` contributes the tally of the actions under its programme lines, times ``sign``."""
    return (
        f"{SUMMARY_INSERT} SELECT a.delegation_id, {row}.status IN {COMMITTED},"
        f" pl.theme_id, a.theme_id, a.scheme_id, t.category, {_sums(f'{sign} * SUM(t.{{column}})')}"
        f" FROM agreements_programmeline pl JOIN trainings_trainingaction a ON a.programme_line_id = pl.id"
        f" JOIN stats_trainingtally t ON t.action_id = a.id"
        f" WHERE pl.contract_id = {row}.id"
        f" GROUP BY a.delegation_id, pl.theme_id, a.theme_id, a.scheme_id, t.category{SUMMARY_UPSERT};"
    )


SUMMARY_TRIGGERS = [
    ("summary_tally_insert", "stats_trainingtally", "INSERT", "", [_summary_from_tally(_sums("NEW.{column}"), "NEW")]),
    (
        "summary_tally_update",
        "stats_trainingtally",
        "UPDATE",
        "",
        [_summary_from_tally(_sums("NEW.{column} - OLD.{column}"), "NEW")],
    ),
    ("summary_tally_delete", "stats_trainingtally", "DELETE", "", [_summary_from_tally(_sums("-OLD.{column}"), "OLD")]),
    (
        "summary_action_update",
        "trainings_trainingaction",
        "UPDATE",
        "OLD.delegation_id <> NEW.delegation_id OR OLD.theme_id <> NEW.theme_id OR OLD.scheme_id <> NEW.scheme_id"
        " OR COALESCE(OLD.programme_line_id, 0) <> COALESCE(NEW.programme_line_id, 0)",
        [_summary_action("OLD", -1), _summary_action("NEW", 1)],
    ),
    (
        "summary_line_update",
        "agreements_programmeline",
        "UPDATE",
        "OLD.theme_id <> NEW.theme_id OR OLD.contract_id <> NEW.contract_id",
        [_summary_line("OLD", -1), _summary_line("NEW", 1)],
    ),
    (
        "summary_contract_update",
        "agreements_partnershipcontract",
        "UPDATE",
        f"(OLD.status IN {COMMITTED}) <> (NEW.status IN {COMMITTED})",
        [_summary_contract("OLD", -1), _summary_contract("NEW", 1)],
    ),
]

SUMMARY_REBUILD_SQL = (
    f"{SUMMARY_INSERT} SELECT a.delegation_id, COALESCE(c.status IN {COMMITTED}, false),"
    f" COALESCE(pl.theme_id, 0), a.theme_id, a.scheme_id, t.category, {_sums('SUM(t.{column})')}"
    f" FROM stats_trainingtally t JOIN trainings_trainingaction a ON a.id = t.action_id"
    f" LEFT JOIN agreements_programmeline pl ON pl.id = a.programme_line_id"
    f" LEFT JOIN agreements_partnershipcontract c ON c.id = pl.contract_id"
    f" GROUP BY 1, 2, 3, 4, 5, 6"
)


# --- InterventionTally: trainers' interventions per delegation and venue ---------------------------

INTERVENTIONS = "stats_interventiontally"
INTERVENTIONS_INSERT = f"INSERT INTO {INTERVENTIONS} (delegation_id, venue_id, interventions)"
INTERVENTIONS_UPSERT = (
    f" ON CONFLICT (delegation_id, venue_id) DO UPDATE SET"
    f" interventions = {INTERVENTIONS}.interventions + excluded.interventions"
)


def _intervention_trainer(row: str, sign: int) -> str:
    """Trainer row ``row`` of a session counts one intervention when the session is not cancelled."""
    return (
        f"{INTERVENTIONS_INSERT} SELECT a.delegation_id, s.venue_id, {sign}"
        f" FROM trainings_session s JOIN trainings_trainingaction a ON a.id = s.action_id"
        f" WHERE s.id = {row}.session_id AND s.status = {PLANNED}{INTERVENTIONS_UPSERT};"
    )


def _intervention_session(row: str, sign: int) -> str:
    """Session ``row`` contributes one intervention per trainer when it is not cancelled, times ``sign``."""
    return (
        f"{INTERVENTIONS_INSERT} SELECT a.delegation_id, {row}.venue_id, {sign} * COUNT(*)"
        f" FROM trainings_session_trainers st JOIN trainings_trainingaction a ON a.id = {row}.action_id"
        f" WHERE st.session_id = {row}.id AND {row}.status = {PLANNED}"
        f" GROUP BY a.delegation_id{INTERVENTIONS_UPSERT};"
    )


def _intervention_action(row: str, sign: int) -> str:
    """Action ``row`` contributes the interventions of its sessions to its delegation, times ``sign``."""
    return (
        f"{INTERVENTIONS_INSERT} SELECT {row}.delegation_id, s.venue_id, {sign} * COUNT(*)"
        f" FROM trainings_session s JOIN trainings_session_trainers st ON st.session_id = s.id"
        f" WHERE s.action_id = {row}.id AND s.status = {PLANNED} GROUP BY s.venue_id{INTERVENTIONS_UPSERT};"
    )


INTERVENTION_TRIGGERS = [
    ("interventions_trainer_insert", "trainings_session_trainers", "INSERT", "", [_intervention_trainer("NEW", 1)]),
    (
        "interventions_trainer_update",
        "trainings_session_trainers",
        "UPDATE",
        "OLD.session_id <> NEW.session_id",
        [_intervention_trainer("OLD", -1), _intervention_trainer("NEW", 1)],
    ),
    ("interventions_trainer_delete", "trainings_session_trainers", "DELETE", "", [_intervention_trainer("OLD", -1)]),
    (
        "interventions_session_update",
        "trainings_session",
        "UPDATE",
        "OLD.status <> NEW.status OR OLD.venue_id <> NEW.venue_id OR OLD.action_id <> NEW.action_id",
        [_intervention_session("OLD", -1), _intervention_session("NEW", 1)],
    ),
    ("interventions_session_delete", "trainings_session", "DELETE", "", [_intervention_session("OLD", -1)]),
    (
        "interventions_action_update",
        "trainings_trainingaction",
        "UPDATE",
        "OLD.delegation_id <> NEW.delegation_id",
        [_intervention_action("OLD", -1), _intervention_action("NEW", 1)],
    ),
]

INTERVENTIONS_REBUILD_SQL = (
    f"{INTERVENTIONS_INSERT} SELECT a.delegation_id, s.venue_id, COUNT(*)"
    f" FROM trainings_session_trainers st JOIN trainings_session s ON s.id = st.session_id"
    f" JOIN trainings_trainingaction a ON a.id = s.action_id WHERE s.status = {PLANNED}"
    f" GROUP BY a.delegation_id, s.venue_id"
)

# Every trigger, in the order they were created (``set_triggers_enabled`` turns them all off and on).
TRIGGERS = TRAINING_TRIGGERS + SUMMARY_TRIGGERS + INTERVENTION_TRIGGERS


# --- No deadlock between concurrent writers (PostgreSQL) --------------------------------------------
#
# One transaction may add to several rollup rows (a session's attendance: one per category), and two
# transactions may meet on the same rows in the other order: a deadlock, and one of them refused.
# Before touching a rollup row, each trigger takes the transaction-scoped advisory lock of the
# delegation(s) its row belongs to, in ascending order: the rollup rows of a delegation are then
# written by one transaction at a time, each waiting for the previous one's commit. SQLite has one
# writer at a time and needs none of this.

LOCK_CLASS = 7346  # the rollups' class of advisory locks: (LOCK_CLASS, delegation id)
_BY_SESSION = (
    "SELECT a.delegation_id FROM trainings_session s JOIN trainings_trainingaction a ON a.id = s.action_id"
    " WHERE s.id = {row}.session_id"
)
_BY_ACTION = "SELECT a.delegation_id FROM trainings_trainingaction a WHERE a.id = {row}.action_id"
DELEGATION_OF = {
    "trainings_registration": _BY_SESSION,
    "trainings_sessionhalfday": _BY_SESSION,
    "trainings_session_trainers": _BY_SESSION,
    "trainings_attendance": (
        "SELECT a.delegation_id FROM trainings_registration r JOIN trainings_session s ON s.id = r.session_id"
        " JOIN trainings_trainingaction a ON a.id = s.action_id WHERE r.id = {row}.registration_id"
    ),
    "trainings_session": _BY_ACTION,
    "trainings_trainingaction": "SELECT {row}.delegation_id",
    "agreements_programmeline": (
        "SELECT c.delegation_id FROM agreements_partnershipcontract c WHERE c.id = {row}.contract_id"
    ),
    "agreements_partnershipcontract": "SELECT {row}.delegation_id",
}
ROWS = {"INSERT": ("NEW",), "DELETE": ("OLD",), "UPDATE": ("OLD", "NEW")}


def _lock(table: str, event: str) -> str:
    """Take the advisory locks of the delegations a change of ``table`` touches, smallest id first.

    None for the tally's own triggers: a tally row is written only by the training triggers, which
    hold the lock already, or by ``tally_rebuild``, which locks the rollup tables whole.
    """
    if table == TABLE:
        return ""
    sources = " UNION ".join(DELEGATION_OF[table].format(row=row) for row in ROWS[event])
    return (
        f"PERFORM pg_advisory_xact_lock({LOCK_CLASS}, d.id::integer) FROM"
        f" (SELECT DISTINCT u.delegation_id AS id FROM ({sources}) AS u(delegation_id)"
        f" WHERE u.delegation_id IS NOT NULL ORDER BY 1) AS d;"
    )


def _function_sql(name: str, table: str, event: str, body: list[str]) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$"
        f" BEGIN {_lock(table, event)} {' '.join(body)} RETURN NULL; END $$;"
    )


def functions_sql(triggers) -> list[str]:
    """PostgreSQL: (re)write the trigger functions of ``triggers``, the triggers themselves unchanged."""
    return [_function_sql(name, table, event, body) for name, table, event, _condition, body in triggers]


def create_sql(vendor: str, triggers=TRIGGERS) -> list[str]:
    statements = []
    for name, table, event, condition, body in triggers:
        if vendor == "postgresql":
            statements.append(_function_sql(name, table, event, body))
            when = f" WHEN ({condition})" if condition else ""
            statements.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{when} EXECUTE FUNCTION {name}();"
            )
        else:
            when = f" WHEN {condition}" if condition else ""
            statements.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{when} BEGIN {' '.join(body)} END;"
            )
    return statements


def drop_sql(vendor: str, triggers=TRIGGERS) -> list[str]:
    statements = []
    for name, table, *_ in triggers:
        if vendor == "postgresql":
            statements += [f"DROP TRIGGER IF EXISTS {name} ON {table};", f"DROP FUNCTION IF EXISTS {name}();"]
        else:
            statements.append(f"DROP TRIGGER IF EXISTS {name};")
    return statements


@transaction.atomic
def tally_rebuild() -> None:
    """Recompute every row of the rollups from the raw rows (after a bulk load with the triggers off).

    Side effects: replaces the content of the three rollup tables; locks them meanwhile on PostgreSQL.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {TABLE}, {SUMMARY}, {INTERVENTIONS} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(REBUILD_SQL)
        # The summary follows the tally's rows by its triggers (when they are on): start it afresh.
        cursor.execute(f"DELETE FROM {SUMMARY}")
        cursor.execute(SUMMARY_REBUILD_SQL)
        cursor.execute(f"DELETE FROM {INTERVENTIONS}")
        cursor.execute(INTERVENTIONS_REBUILD_SQL)


def set_triggers_enabled(enabled: bool) -> None:
    """Turn the rollup's triggers off for a bulk load (call ``tally_rebuild`` after), then on again.

    Must run inside the transaction of the load: on PostgreSQL, ``ALTER TABLE`` takes the tables'
    exclusive lock until commit, so no other write can slip between the load and the rebuild; on
    SQLite, the triggers are dropped and created again in the same transaction.
    """
    vendor = connection.vendor
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            # ALTER TABLE refuses while deferred foreign-key checks of the load are pending: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            action = "ENABLE" if enabled else "DISABLE"
            for name, table, *_ in TRIGGERS:
                cursor.execute(f"ALTER TABLE {table} {action} TRIGGER {name}")
        else:
            for statement in create_sql(vendor) if enabled else drop_sql(vendor):
                cursor.execute(statement)
