from django.db import models


class InternshipStatus(models.TextChoices):
    PLANNED = "planned", "Prévu"
    IN_PROGRESS = "in_progress", "En cours"
    COMPLETED = "completed", "Terminé"
    CANCELLED = "cancelled", "Annulé"


class StudyStatus(models.TextChoices):
    REQUESTED = "requested", "Demandée"
    IN_PROGRESS = "in_progress", "En cours"
    DELIVERED = "delivered", "Livrée"
    CANCELLED = "cancelled", "Abandonnée"
