"""``manage.py rebuild_statistics``: recompute the statistics' rollups from the raw rows (``stats.rebuild``)."""

import time

from django.core.management.base import BaseCommand

from stats.rebuild import statistics_rebuild


class Command(BaseCommand):
    help = (
        "Recalcule depuis les lignes brutes les cumuls des statistiques de formation et la date d'émargement dû "
        "de chaque session (ANALYZE d'abord ; les cumuls restent lisibles, les écritures de formation attendent "
        "la fin), puis dit ce qui a changé."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        changes = statistics_rebuild(progress=self.stdout.write)
        corrected = sum(change.changed for change in changes)
        self.stdout.write(f"Terminé en {time.monotonic() - started:.1f} s.")
        for change in changes:
            rows = (
                f"{change.rows_before} → {change.rows_after} lignes, "
                if change.rows_before or change.rows_after
                else ""
            )
            self.stdout.write(f"- {change.label} : {rows}{change.changed} corrigé(s)")
        if corrected:
            self.stdout.write(
                self.style.WARNING(
                    f"{corrected} chiffre(s) corrigé(s) : les cumuls s'étaient écartés des lignes brutes "
                    "(vérifiez `manage.py rollup_triggers`)."
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS("Aucun écart : les cumuls étaient exacts."))
