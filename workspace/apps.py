from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class WorkspaceConfig(AppConfig):
    name = "workspace"
    verbose_name = "À faire"

    def ready(self):
        # Each app declares its « À faire » blocks in ``<app>/todo.py`` (``partnership.todo_registry``).
        autodiscover_modules("todo")
