from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from partnership.demo import DEMO_PASSWORD, FICTIONAL_PEOPLE, demo_accounts, seed


class Command(BaseCommand):
    help = "Crée les comptes et les données de démonstration (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production", action="store_true", help="Autoriser l'exécution avec DEBUG désactivé."
        )

    def handle(self, *args, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError("Refusé : les comptes de démonstration ne doivent pas exister en production.")
        try:
            seed()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write(FICTIONAL_PEOPLE)
        if settings.SHOW_DEMO_ACCOUNTS:
            self.stdout.write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
            for account in demo_accounts():
                self.stdout.write(f"  {account['role']:<45} {account['email']:<38} {account['scope']}")
