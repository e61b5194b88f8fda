from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = "Accord-cadre et contrats"

    def ready(self):
        # Registers the deployment checks of the seal, once the models are loaded.
        from .signing import checks  # noqa: F401, PLC0415 — app-loading order
