from django.db import models


class ExportStatus(models.TextChoices):
    PENDING = "pending", "En attente"
    RUNNING = "running", "En cours"
    DONE = "done", "Prêt"
    FAILED = "failed", "Échec"
    EXPIRED = "expired", "Expiré"  # its file deleted after EXPORT_RETENTION_DAYS, the row kept as history


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV (séparateur point-virgule)"
    XLSX = "xlsx", "Excel (XLSX)"
