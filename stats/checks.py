"""The rollup triggers the database runs are the code's (``stats.triggers``).

A deployment whose code changed the triggers without the migration that installs them, a bulk load that
died with the triggers off, a function edited by hand: the rollups then drift from the raw rows and no
figure says so. ``rollup_triggers_check`` compares what the database runs with the code, trigger by
trigger, and names each difference. It runs with ``manage.py check --deploy`` and when a production
process starts (``partnership.wsgi`` runs the checks tagged ``startup``), and on demand with
``manage.py rollup_triggers``.
"""

import difflib

from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError, connections
from django.db.migrations.loader import MigrationLoader

from .triggers import TRIGGERS, function_body, sqlite_sql

# Triggers of these names belong to the rollups: one installed that the code does not know is a leftover.
PREFIXES = ("tally_", "summary_", "interventions_")
# pg_trigger.tgtype of an AFTER … FOR EACH ROW trigger: ROW (1) and the event's bit.
TGTYPE = {"INSERT": 1 | 4, "DELETE": 1 | 8, "UPDATE": 1 | 16}


def _shown(line: str, width: int = 160) -> str:
    line = line.strip()
    return line if len(line) <= width else line[: width - 1] + "…"


def _first_difference(installed: str, code: str) -> str:
    installed_lines, code_lines = installed.strip().splitlines(), code.strip().splitlines()
    for number, (old, new) in enumerate(zip(installed_lines, code_lines, strict=False), start=1):
        if old != new:
            return f"line {number}: installed « {_shown(old)} », code « {_shown(new)} »"
    if len(installed_lines) != len(code_lines):
        extra = installed_lines[len(code_lines) :] or code_lines[len(installed_lines) :]
        side = "installed" if len(installed_lines) > len(code_lines) else "code"
        return f"line {min(len(installed_lines), len(code_lines)) + 1}: only the {side} has « {_shown(extra[0])} »"
    # Same lines, other whitespace or line ends.
    diff = difflib.ndiff([installed], [code])
    return "whitespace: " + next(line for line in diff if line.startswith("?")).strip()


def _postgresql(connection) -> list[str]:
    tables = sorted({trigger.table for trigger in TRIGGERS})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.tgname, c.relname, t.tgtype, t.tgenabled, p.proname, p.prosrc, pg_get_triggerdef(t.oid)"
            " FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid"
            " WHERE NOT t.tgisinternal AND c.relname = ANY(%s)",
            [tables],
        )
        installed = {row[0]: row[1:] for row in cursor.fetchall()}
        cursor.execute("SELECT proname, prosrc FROM pg_proc WHERE proname = ANY(%s)", [[t.name for t in TRIGGERS]])
        functions = dict(cursor.fetchall())
    problems = []
    for trigger in TRIGGERS:
        if trigger.name not in installed:
            problems.append(f"trigger {trigger.name} on {trigger.table} is missing")
        else:
            table, tgtype, enabled, function, _source, definition = installed[trigger.name]
            if table != trigger.table or tgtype != TGTYPE[trigger.event]:
                problems.append(f"trigger {trigger.name} is not AFTER {trigger.event} FOR EACH ROW on {trigger.table}")
            if enabled == "D":
                problems.append(f"trigger {trigger.name} is disabled (a bulk load that did not finish?)")
            if function != trigger.name:
                problems.append(f"trigger {trigger.name} runs function {function}(), not {trigger.name}()")
            if " WHEN " in definition:
                problems.append(f"trigger {trigger.name} has a WHEN condition the code does not have")
        if trigger.name not in functions:
            problems.append(f"function {trigger.name}() is missing")
        elif functions[trigger.name] != function_body(trigger):
            difference = _first_difference(functions[trigger.name], function_body(trigger))
            problems.append(f"function {trigger.name}() differs from the code, {difference}")
    known = {trigger.name for trigger in TRIGGERS}
    problems += [
        f"trigger {name} on {row[0]} is installed but not in the code"
        for name, row in sorted(installed.items())
        if name.startswith(PREFIXES) and name not in known
    ]
    return problems


def _sqlite(connection) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
        installed = {name: (table, sql) for name, table, sql in cursor.fetchall()}
    problems = []
    for trigger in TRIGGERS:
        if trigger.name not in installed:
            problems.append(f"trigger {trigger.name} on {trigger.table} is missing")
        elif installed[trigger.name][1] != sqlite_sql(trigger):
            difference = _first_difference(installed[trigger.name][1], sqlite_sql(trigger))
            problems.append(f"trigger {trigger.name} differs from the code, {difference}")
    known = {trigger.name for trigger in TRIGGERS}
    problems += [
        f"trigger {name} on {table} is installed but not in the code"
        for name, (table, _sql) in sorted(installed.items())
        if name.startswith(PREFIXES) and name not in known
    ]
    return problems


def installed_differences(using: str = "default") -> list[str]:
    """What differs between the rollup triggers the database ``using`` runs and the code; empty when none."""
    connection = connections[using]
    return _postgresql(connection) if connection.vendor == "postgresql" else _sqlite(connection)


def _stats_migrations(using: str) -> tuple[list[str], list[str]]:
    """(applied, not applied) migrations of this app in database ``using``."""
    loader = MigrationLoader(connections[using])
    names = sorted(name for app, name in loader.graph.nodes if app == "stats")
    applied = [name for name in names if ("stats", name) in loader.applied_migrations]
    return applied, [name for name in names if name not in applied]


@register(Tags.database, "startup", deploy=True)
def rollup_triggers_check(app_configs=None, databases=None, **kwargs) -> list[Error | Warning]:
    for using in databases or ["default"]:
        try:
            applied, pending = _stats_migrations(using)
            if not applied:
                # An empty database (``check --deploy`` before the first ``migrate``): nothing to compare yet.
                continue
            if pending:
                return [
                    Error(
                        f"Database {using!r} lacks migrations of the statistics ({', '.join(pending)}): its rollup "
                        "triggers are an earlier version's.",
                        hint="Run `manage.py migrate` before starting the application.",
                        id="stats.E102",
                    )
                ]
            problems = installed_differences(using)
        except DatabaseError as exc:
            return [Warning(f"Could not read the rollup triggers of database {using!r}: {exc}", id="stats.W101")]
        if problems:
            hint = (
                "Run `manage.py migrate`; if the database is migrated, a definition was changed outside the "
                "migrations: `manage.py rollup_triggers --install` puts the code's back, then "
                "`manage.py rebuild_statistics` recomputes the rollups."
            )
            return [
                Error(
                    f"The rollup triggers of database {using!r} are not the code's: " + "; ".join(problems) + ".",
                    hint=hint,
                    id="stats.E101",
                )
            ]
    return []
