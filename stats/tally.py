"""The rollups of the training statistics, kept exact by SQL triggers (``stats.triggers``): their full
recomputation from the raw rows, and the switch that turns the triggers off for a bulk load.

- ``TrainingTally`` (``stats_trainingtally``): registrations and attendance per (training action, category);
- ``TrainingSummary`` (``stats_trainingsummary``): the same sums per (delegation, committed contract or not,
  programme line's theme, action's theme, scheme, category), what the indicators group by;
- ``InterventionTally`` (``stats_interventiontally``): the trainers' interventions per (delegation, venue).

The triggers add the difference each row change makes, in the transaction of the write, whatever the door
(services, admin, imports). A bulk load turns them off, writes, then recomputes the rollups once
(``stats.rebuild``, ``manage.py rebuild_statistics``).
"""

# The SQL here is assembled from the trigger modules' constants only; no value from outside reaches it.
# ruff: noqa: S608

from django.db import connection, transaction

from .triggers import TRIGGERS, create_sql, drop_sql, intervention_tally, training_summary, training_tally

TABLE = training_tally.TABLE
SUMMARY = training_summary.TABLE
INTERVENTIONS = intervention_tally.TABLE
ROLLUP_TABLES = (TABLE, SUMMARY, INTERVENTIONS)
SUMS = ("trainees", "scheduled_half_days", "present_half_days", "present_half_days_planned")


@transaction.atomic
def tally_rebuild() -> None:
    """Recompute every row of the rollups from the raw rows (after a bulk load with the triggers off).

    Side effects: replaces the content of the three rollup tables; locks them meanwhile on PostgreSQL.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {TABLE}, {SUMMARY}, {INTERVENTIONS} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(training_tally.REBUILD)
        # The summary follows the tally's rows by its triggers (when they are on): start it afresh.
        cursor.execute(f"DELETE FROM {SUMMARY}")
        cursor.execute(training_summary.REBUILD)
        cursor.execute(f"DELETE FROM {INTERVENTIONS}")
        cursor.execute(intervention_tally.REBUILD)


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
            for trigger in TRIGGERS:
                cursor.execute(f"ALTER TABLE {trigger.table} {action} TRIGGER {trigger.name}")
        else:
            for statement in create_sql(vendor) if enabled else drop_sql(vendor):
                cursor.execute(statement)
