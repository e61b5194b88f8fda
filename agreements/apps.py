from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = "Accord-cadre et contrats"

    def ready(self):
        from .signing import checks  # noqa: F401 (registers the deployment checks of the seal)
