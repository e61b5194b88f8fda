"""``manage.py send_reminders [--today AAAA-MM-JJ]``: decide and send the reminders due, as Celery beat does every hour."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from notifications import registry
from notifications.services import reminders_run


class Command(BaseCommand):
    help = "Décide les rappels dus et les envoie : le travail que Celery beat lance chaque heure."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Date à simuler, au format AAAA-MM-JJ (par défaut : aujourd'hui).")
        parser.add_argument(
            "--kind",
            action="append",
            choices=[kind.key for kind in registry.kinds()],
            help="Ne décider que ce type de rappel (option répétable).",
        )

    def handle(self, *args, today=None, kind=None, **options):
        day = None
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"Date invalide « {today} » : attendu AAAA-MM-JJ, par exemple 2026-03-02.") from None
        counts = reminders_run(today=day, only=kind)
        for spec in registry.kinds():
            if spec.key not in counts:
                continue
            count = counts[spec.key]
            label = "aucun rappel" if count == 0 else f"{count} rappel{'s' if count > 1 else ''}"
            self.stdout.write(f"{spec.label} : {label}")
        total = sum(counts.values())
        self.stdout.write(f"Total : {total} rappel{'s' if total > 1 else ''} à envoyer.")
