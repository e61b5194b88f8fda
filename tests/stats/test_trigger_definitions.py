"""The rollup triggers are versioned (one migration per version, each with its SQL frozen) and checked: what
the database runs is what the code says, and a definition changed by hand is named (PostgreSQL and SQLite)."""

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from partnership.wsgi import startup_checks
from stats.checks import installed_differences
from stats.triggers import TRIGGERS, create_sql, function_body, sqlite_sql, training_tally
from stats.triggers.base import Trigger


def _trigger_migrations() -> list:
    """The stats migrations that install a version of the triggers, oldest first."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    (leaf,) = [node for node in loader.graph.leaf_nodes() if node[0] == "stats"]
    plan = [node for node in loader.graph.forwards_plan(leaf) if node[0] == "stats"]
    modules = [__import__(loader.graph.nodes[node].__module__, fromlist=["*"]) for node in plan]
    return [module for module in modules if hasattr(module, "ROLLUP_TRIGGERS") or hasattr(module, "CREATE")]


@pytest.mark.parametrize("vendor", ["postgresql", "sqlite"], ids=["pg", "sqlite"])
def test_code_sql_is_what_the_latest_migration_installs(vendor):
    """The snapshot of each database's SQL: change a trigger, and this fails until its migration exists
    (``manage.py rollup_triggers --migration NAME`` writes it)."""
    latest = _trigger_migrations()[-1]

    assert latest.ROLLUP_TRIGGERS[vendor] == create_sql(vendor)


def test_trigger_sql_is_one_readable_constant_per_trigger_with_the_enums_literals():
    assert len({trigger.name for trigger in TRIGGERS}) == len(TRIGGERS) == 21
    confirmed = training_tally.REGISTRATION_INSERT.body
    assert "NEW.status = 'confirmed'" in confirmed
    assert "s.status = 'planned'" in confirmed
    assert "a.status = 'present'" in confirmed
    # Written on several lines, as a person reads it.
    assert all(trigger.statements.count("\n") >= 4 for trigger in TRIGGERS)


@pytest.mark.django_db
def test_migrated_database_runs_the_codes_triggers():
    assert installed_differences() == []
    assert [
        message.id for message in run_checks(include_deployment_checks=True) if message.id.startswith("stats.")
    ] == []


def _replace_by_hand(trigger: Trigger, body: str) -> None:
    """What an operator (or a deployment without its migration) leaves behind: another definition."""
    changed = Trigger(trigger.name, trigger.table, trigger.event, body, trigger.when)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION {trigger.name}() RETURNS trigger LANGUAGE plpgsql"
                f" AS $${function_body(changed)}$$"
            )
        else:
            cursor.execute(f"DROP TRIGGER {trigger.name}")
            cursor.execute(sqlite_sql(changed))


@pytest.mark.django_db
def test_a_definition_changed_by_hand_is_named_by_the_check_and_refused_at_start_up():
    trigger = training_tally.ATTENDANCE_INSERT
    _replace_by_hand(trigger, trigger.body.replace("NEW.status = 'present'", "NEW.status = 'absent'"))

    code_line = "WHERE r.id = NEW.registration_id AND r.status = 'confirmed' AND NEW.status = 'present'"
    installed_line = code_line.replace("'present'", "'absent'")
    # The sixth line of each: BEGIN (PostgreSQL's function) or CREATE TRIGGER … BEGIN (SQLite), the advisory
    # lock (PostgreSQL) or BEGIN (SQLite), then the statement's INSERT, SELECT, FROM, WHERE.
    if connection.vendor == "postgresql":
        where = f"function {trigger.name}() differs from the code, line 6"
    else:
        where = f"trigger {trigger.name} differs from the code, line 6"
    difference = f"{where}: installed « {installed_line} », code « {code_line} »"
    assert installed_differences() == [difference]
    with pytest.raises(SystemCheckError, match=r"stats\.E101") as error:
        call_command("check", deploy=True)
    assert difference in str(error.value)
    with pytest.raises(ImproperlyConfigured, match="tally_attendance_insert"):
        startup_checks()
    with pytest.raises(CommandError, match="1 différence"):
        call_command("rollup_triggers")

    call_command("rollup_triggers", install=True)
    assert installed_differences() == []


@pytest.mark.django_db
def test_a_trigger_dropped_or_left_disabled_is_named():
    summary = TRIGGERS[9]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {summary.table} DISABLE TRIGGER {summary.name}")
            cursor.execute("DROP TRIGGER tally_half_day_delete ON trainings_sessionhalfday")
            expected = [
                "trigger tally_half_day_delete on trainings_sessionhalfday is missing",
                f"trigger {summary.name} is disabled (a bulk load that did not finish?)",
            ]
        else:
            cursor.execute("DROP TRIGGER tally_half_day_delete")
            expected = ["trigger tally_half_day_delete on trainings_sessionhalfday is missing"]
        cursor.execute(
            "CREATE TRIGGER tally_leftover AFTER INSERT ON trainings_registration FOR EACH ROW"
            + (
                " EXECUTE FUNCTION tally_registration_insert()"
                if connection.vendor == "postgresql"
                else " BEGIN SELECT 1; END"
            )
        )

    assert installed_differences() == [
        *expected,
        "trigger tally_leftover on trainings_registration is installed but not in the code",
    ]


@pytest.mark.django_db
def test_an_old_database_is_brought_to_the_codes_triggers_by_the_latest_migration():
    """A database migrated before this version (the definitions of the first two migrations) differs, and
    the latest migration's SQL alone brings it to the code's."""
    first, second, *_rest, latest = _trigger_migrations()
    with connection.cursor() as cursor:
        for module in (first, second):
            for statement in module.DROP[connection.vendor] + module.CREATE[connection.vendor]:
                if not statement.startswith("INSERT"):  # the rows are there already
                    cursor.execute(statement)
    old = installed_differences()
    assert len(old) >= 9
    if connection.vendor == "postgresql":
        assert "trigger tally_registration_update has a WHEN condition the code does not have" in old

    with connection.cursor() as cursor:
        for statement in latest.ROLLUP_TRIGGERS[connection.vendor]:
            cursor.execute(statement)
    assert installed_differences() == []


@pytest.mark.django_db
def test_a_database_behind_the_statistics_migrations_is_refused_and_an_empty_one_left_alone(monkeypatch):
    from stats import checks  # noqa: PLC0415 — the module whose helper is replaced

    monkeypatch.setattr(checks, "_stats_migrations", lambda using: (["0001_initial"], ["0005_rollups_v3"]))
    [error] = checks.rollup_triggers_check()
    assert (error.id, error.msg) == (
        "stats.E102",
        "Database 'default' lacks migrations of the statistics (0005_rollups_v3): its rollup triggers are an "
        "earlier version's.",
    )
    with pytest.raises(ImproperlyConfigured, match=r"stats\.E102"):
        startup_checks()

    monkeypatch.setattr(checks, "_stats_migrations", lambda using: ([], ["0001_initial"]))
    # A database never migrated (``check --deploy`` before the first ``migrate``): nothing to compare yet.
    assert checks.rollup_triggers_check() == []
