from django.core.management.base import BaseCommand

from partnership.dispatch import flush_outbox
from partnership.models import OutboxTask
from partnership.text import count_label


class Command(BaseCommand):
    help = "Envoie au courtier Celery les tâches conservées pendant son indisponibilité."

    def handle(self, *args, **options):
        sent = flush_outbox()
        self.stdout.write(
            f"{count_label(sent, 'tâche envoyée', 'tâches envoyées')}, {OutboxTask.objects.count()} en attente."
        )
