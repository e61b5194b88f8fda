from django.apps import AppConfig


class StatsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "stats"
    verbose_name = "statistiques (axe 3)"

    def ready(self):
        # Registers the check of the rollup triggers, and the datasets (``stats.datasets``, which the export
        # requests' choices read), once the models are loaded.
        from . import checks, registry  # noqa: F401, PLC0415 — app-loading order
