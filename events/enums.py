"""The events' choices: kinds, statuses, registrants' qualities and statuses, speakers' expertise themes."""

from django.db import models


class EventKind(models.TextChoices):
    SEMINAR = "seminar", "Séminaire"
    CONFERENCE = "conference", "Colloque"
    WEBINAR = "webinar", "Webinaire"
    INFO_MEETING = "info_meeting", "Réunion d'information"


class EventStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    PUBLISHED = "published", "Publié"
    CANCELLED = "cancelled", "Annulé"


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmée"
    WAITLISTED = "waitlisted", "En liste d'attente"
    CANCELLED = "cancelled", "Annulée"


class ParticipantQuality(models.TextChoices):
    AGENT = "agent", "Agent territorial"
    ELECTED = "elected", "Élu(e)"


class ExpertiseTheme(models.TextChoices):
    """The two families of actions of the partnership contracts (seed document)."""

    # Accompagnement RH
    TRAINING_PLAN = "training_plan", "Élaboration du plan de formation"
    ILLITERACY = "illiteracy", "Lutte contre l'illettrisme"
    SMALL_COLLECTIVITIES = "small_collectivities", "Formations spécifiques aux petites collectivités"
    # Projets nationaux et régionaux du CNFPT
    EQUAL_OPPORTUNITY = "equal_opportunity", "Lutte contre les discriminations et égalité des chances"
    DISABILITY = "disability", "Travailleurs handicapés"
    OCCUPATIONAL_HEALTH = "occupational_health", "Santé au travail et prévention des risques psychosociaux"
    SUSTAINABLE_DEVELOPMENT = "sustainable_development", "Développement durable"
