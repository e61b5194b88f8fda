"""The triggers that keep ``TrainingTally`` exact, and its full recomputation.

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
TRIGGERS = [
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


def create_sql(vendor: str) -> list[str]:
    statements = []
    for name, table, event, condition, body in TRIGGERS:
        if vendor == "postgresql":
            statements.append(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$"
                f" BEGIN {' '.join(body)} RETURN NULL; END $$;"
            )
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


def drop_sql(vendor: str) -> list[str]:
    statements = []
    for name, table, *_ in TRIGGERS:
        if vendor == "postgresql":
            statements += [f"DROP TRIGGER IF EXISTS {name} ON {table};", f"DROP FUNCTION IF EXISTS {name}();"]
        else:
            statements.append(f"DROP TRIGGER IF EXISTS {name};")
    return statements


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


@transaction.atomic
def tally_rebuild() -> None:
    """Recompute every row of the rollup from the raw rows (after a bulk load with the triggers off).

    Side effects: replaces the content of ``stats_trainingtally``; locks it meanwhile on PostgreSQL.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {TABLE} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(REBUILD_SQL)


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
