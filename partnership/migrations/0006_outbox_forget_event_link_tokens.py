"""Event registration e-mails queued in the outbox used to carry the personal link's token: drop it.

The task now issues the link itself in the worker and ignores a second argument; the token must not
stay readable in the database.
"""

from django.db import migrations

TASK = "events.tasks.send_registration_email"


def forget_tokens(apps, schema_editor):
    OutboxTask = apps.get_model("partnership", "OutboxTask")
    for row in OutboxTask.objects.filter(task_name=TASK):
        if len(row.args) > 1:
            row.args = row.args[:1]
            row.save(update_fields=["args"])


class Migration(migrations.Migration):
    dependencies = [("partnership", "0005_collectivity_search_name_abbreviations_elisions")]

    operations = [migrations.RunPython(forget_tokens, migrations.RunPython.noop)]
