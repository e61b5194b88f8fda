from importlib import import_module

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules

from .celery import app


class PartnershipConfig(AppConfig):
    name = "partnership"
    verbose_name = "Annuaire et comptes"

    def ready(self):
        # Register every app's Celery tasks now, in each process (web or worker), rather than when
        # a module first happens to import them: a task dispatched by name must always be known.

        app.autodiscover_tasks(force=True)
        # Celery looks for ``<app>.tasks`` only: name the packages of an app that hold their own.
        app.autodiscover_tasks(["agreements.signing"], force=True)
        # Each app declares its CSV imports in ``<app>/imports.py`` (``partnership.imports``), and what it
        # keeps about people in ``<app>/personal_data.py`` (``partnership.personal_data``).
        autodiscover_modules("imports")
        autodiscover_modules("personal_data")
        # A subpackage of the core, which ``autodiscover_modules`` does not look into.
        import_module("partnership.proconnect.personal_data")
