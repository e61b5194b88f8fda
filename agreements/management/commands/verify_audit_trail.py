from django.core.management.base import BaseCommand, CommandError

from agreements.signing.audit import verify_chain
from partnership.text import count_label


class Command(BaseCommand):
    help = "Vérifie l'intégrité de la piste d'audit chaînée des signatures."

    def handle(self, *args, **options):
        checked, problems = verify_chain()
        if problems:
            for problem in problems:
                where = f"événement n° {problem.sequence}" if problem.sequence is not None else "chaîne"
                self.stderr.write(f"{where} : {problem.message}")
            raise CommandError(
                f"Piste d'audit ALTÉRÉE : {count_label(len(problems), 'anomalie')} sur {count_label(checked, 'événement')}."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Piste d'audit intègre : {count_label(checked, 'événement vérifié', 'événements vérifiés')}."
            )
        )
