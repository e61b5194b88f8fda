"""The reminder log and the opt-outs keep a keyed hash of each address (``notifications.keys``).

Self-contained: the hash is spelled out here as ``notifications.keys.address_key`` computes it, so
that this migration does the same in ten years whatever becomes of the code.
"""

import hashlib
import hmac

from django.conf import settings
from django.db import migrations, models


def _key(email: str) -> str:
    return hmac.new(
        settings.PERSONAL_DATA_HASH_KEY.encode(), email.strip().lower().encode(), hashlib.sha256
    ).hexdigest()


def fill_keys(apps, schema_editor):
    ReminderLog = apps.get_model("notifications", "ReminderLog")
    ReminderOptOut = apps.get_model("notifications", "ReminderOptOut")
    for row in ReminderLog.objects.only("pk", "recipient").iterator():
        ReminderLog.objects.filter(pk=row.pk).update(recipient_key=_key(row.recipient))
    for row in ReminderOptOut.objects.only("pk", "email").iterator():
        ReminderOptOut.objects.filter(pk=row.pk).update(email_key=_key(row.email))


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_reminder_log_and_optouts")]

    operations = [
        migrations.AddField(
            model_name="reminderlog",
            name="recipient_key",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="empreinte du destinataire"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="reminderlog",
            name="recipient",
            field=models.EmailField(blank=True, max_length=254, verbose_name="destinataire"),
        ),
        migrations.AddField(
            model_name="reminderoptout",
            name="email_key",
            field=models.CharField(default="", max_length=64, verbose_name="empreinte de l'adresse e-mail"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="reminderlog", name="reminder_log_unique_key"),
        migrations.AddConstraint(
            model_name="reminderlog",
            constraint=models.UniqueConstraint(
                fields=("kind", "object_id", "due_on", "recipient_key"), name="reminder_log_unique_key"
            ),
        ),
        migrations.RemoveConstraint(model_name="reminderoptout", name="reminder_optout_unique"),
        migrations.RemoveField(model_name="reminderoptout", name="email"),
        migrations.AddConstraint(
            model_name="reminderoptout",
            constraint=models.UniqueConstraint(fields=("email_key", "kind"), name="reminder_optout_unique"),
        ),
        migrations.AlterModelOptions(
            name="reminderoptout",
            options={
                "ordering": ["-created_at", "kind"],
                "verbose_name": "rappel désactivé",
                "verbose_name_plural": "rappels désactivés",
            },
        ),
    ]
