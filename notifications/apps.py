from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = "rappels par e-mail"

    def ready(self):
        # Each app declares its reminder kinds in ``<app>/reminders.py``, as it declares its admin.

        autodiscover_modules("reminders")
