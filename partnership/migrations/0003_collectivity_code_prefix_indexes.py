"""Index the collectivité search on PostgreSQL.

Prefix searches on INSEE code and SIREN (``LIKE '42218%'``) need pattern-ops indexes; and the
planner only picks the trigram index for ``LIKE '%saint etienne%'`` when it can estimate how few
rows match, which takes a larger statistics sample of ``search_name`` than the default.
"""

from django.db import migrations


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS collectivity_code_prefix ON partnership_collectivity (code varchar_pattern_ops)"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS collectivity_siren_prefix ON partnership_collectivity (siren varchar_pattern_ops)"
    )
    schema_editor.execute("ALTER TABLE partnership_collectivity ALTER COLUMN search_name SET STATISTICS 2000")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS collectivity_code_prefix")
    schema_editor.execute("DROP INDEX IF EXISTS collectivity_siren_prefix")
    schema_editor.execute("ALTER TABLE partnership_collectivity ALTER COLUMN search_name SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [("partnership", "0002_collectivity_trigram_index")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
