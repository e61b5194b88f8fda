from django.db import models


class ExportStatus(models.TextChoices):
    PENDING = "pending", "En attente"
    RUNNING = "running", "En cours"
    DONE = "done", "Prêt"
    FAILED = "failed", "Échec"


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV (séparateur point-virgule)"
    XLSX = "xlsx", "Excel (XLSX)"
