"""A trigram index so that the collectivité search ("contains", accent-folded) uses an index on PostgreSQL.

SQLite has no such index type; there the search scans ~36,000 short rows, which the embedded mode can afford.
"""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS collectivity_search_trgm ON partnership_collectivity "
        "USING gin (search_name gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS collectivity_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("partnership", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
