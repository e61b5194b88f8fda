"""The trainings' choices: action modes, sessions', registrations' and attendance statuses, agent categories, half-days."""

from django.db import models


class AgentCategory(models.TextChoices):
    """The three hierarchical categories of territorial civil servants."""

    A = "A", "Catégorie A"
    B = "B", "Catégorie B"
    C = "C", "Catégorie C"


class ActionMode(models.TextChoices):
    INTRA = "intra", "Intra (une collectivité)"
    UNION = "union", "Union de collectivités"
    INTER = "inter", "Inter (catalogue ouvert)"


class SessionStatus(models.TextChoices):
    PLANNED = "planned", "Programmée"
    CANCELLED = "cancelled", "Annulée"


class Period(models.TextChoices):
    # "am" < "pm": ordering by (date, period) gives the chronological order.
    MORNING = "am", "Matin"
    AFTERNOON = "pm", "Après-midi"


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmée"
    WAITLISTED = "waitlisted", "En liste d'attente"
    CANCELLED = "cancelled", "Annulée"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Présent(e)"
    ABSENT = "absent", "Absent(e)"
    EXCUSED = "excused", "Absent(e) excusé(e)"


class RegistrationEmail(models.TextChoices):
    """The e-mails a registration sends, one per state it reaches."""

    CONFIRMED = "confirmed", "Inscription confirmée"
    WAITLISTED = "waitlisted", "Inscription en liste d'attente"
    PROMOTED = "promoted", "Place libérée : inscription confirmée"
    CANCELLED = "cancelled", "Inscription annulée"
