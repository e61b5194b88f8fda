"""The rollup triggers (``stats.triggers``): compare with the database, show, reinstall, or freeze a new version."""

import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader

from stats.checks import installed_differences
from stats.triggers import create_sql

MIGRATION = '''"""Rollup triggers: {description}

Written by ``manage.py rollup_triggers --migration``: the SQL ``stats.triggers`` rendered then, frozen here,
so that each version of the definitions is a migration of its own (``tests/stats/test_trigger_definitions.py``
fails when the code's SQL differs from the latest one).
"""

from django.db import migrations

ROLLUP_TRIGGERS = {triggers}


def install(apps, schema_editor):
    for statement in ROLLUP_TRIGGERS[schema_editor.connection.vendor]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [("stats", "{previous}")]

    # Going back leaves this version in place; a version that changes what the sums mean also says how to
    # recompute them (``manage.py rebuild_statistics``) in its description.
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
'''


def _literal(statements: list[str]) -> str:
    return "[\n" + "".join(f"        {statement!r},\n" for statement in statements) + "    ]"


class Command(BaseCommand):
    help = (
        "Compare the rollup triggers the database runs with the code (exit status 1 when they differ); "
        "--sql prints them, --install puts the code's back, --migration writes the migration of a new version."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sql", choices=["postgresql", "sqlite"], help="print the SQL for this database")
        parser.add_argument("--install", action="store_true", help="install the code's triggers in the database")
        parser.add_argument("--migration", metavar="NAME", help="write stats/migrations/NNNN_NAME.py")
        parser.add_argument("--description", default="", help="what the new version changes (with --migration)")

    def handle(self, *args, **options):
        if options["sql"]:
            self.stdout.write(";\n\n".join(create_sql(options["sql"])) + ";")
        elif options["migration"]:
            self.write_migration(options["migration"], options["description"])
        elif options["install"]:
            with transaction.atomic():
                for statement in create_sql(connection.vendor):
                    with connection.cursor() as cursor:
                        cursor.execute(statement)
            self.stdout.write(
                "Déclencheurs des cumuls réinstallés ; recalculez les cumuls : manage.py rebuild_statistics."
            )
        else:
            problems = installed_differences()
            for problem in problems:
                self.stdout.write(f"- {problem}")
            if problems:
                raise CommandError(f"{len(problems)} différence(s) entre les déclencheurs installés et le code.")
            self.stdout.write("Les déclencheurs des cumuls sont ceux du code.")

    def write_migration(self, name: str, description: str) -> None:
        if not re.fullmatch(r"[a-z0-9_]+", name):
            raise CommandError("NAME : lettres minuscules, chiffres et « _ ».")
        loader = MigrationLoader(None, ignore_no_migrations=True)
        (previous,) = [leaf for app, leaf in loader.graph.leaf_nodes() if app == "stats"]
        number = int(previous.split("_")[0]) + 1
        triggers = {vendor: create_sql(vendor) for vendor in ("postgresql", "sqlite")}
        text = "{\n" + "".join(f'    "{vendor}": {_literal(sql)},\n' for vendor, sql in triggers.items()) + "}"
        path = Path(__file__).resolve().parents[2] / "migrations" / f"{number:04d}_{name}.py"
        path.write_text(
            MIGRATION.format(description=description or name.replace("_", " "), triggers=text, previous=previous)
        )
        self.stdout.write(f"Écrit : {path}")
