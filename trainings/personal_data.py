"""What the trainings keep about people (``partnership.personal_data``): the agents registered to sessions."""

from django.conf import settings
from django.utils import timezone

from partnership.personal_data import (
    ANONYMISED,
    NOT_PERSONAL,
    Category,
    RetentionStep,
    anonymise_registrants,
    declare,
    register_category,
    register_step,
    retention_cutoff,
)
from partnership.text import duration_label

from .models import Registration, Session

register_category(
    Category(
        "training_registrations",
        "Inscriptions aux formations et émargement",
        "Agents inscrits\u00a0: nom, prénom, e-mail, catégorie, emploi, collectivité employeur, présences",
        "Mission de service public de formation du CNFPT (art. 6-1-e)",
        lambda: (
            f"{duration_label(settings.PERSONAL_DATA_RETENTION_DAYS)} après la fin de la session, puis "
            "anonymisation automatique (catégorie, collectivité et présences restent comptées dans les statistiques)"
        ),
        order=30,
    )
)
declare(
    "trainings.Registration",
    ["first_name", "last_name", "email", "job"],
    fate=ANONYMISED,
    category="training_registrations",
    anonymised_at="anonymised_at",
    reason="Remplacés en place PERSONAL_DATA_RETENTION_DAYS après la fin de la session ; la convocation cesse.",
)
declare("trainings.TrainingScheme", ["description"], fate=NOT_PERSONAL, reason="Texte d'un dispositif de formation.")
declare("trainings.TrainingAction", ["objectives"], fate=NOT_PERSONAL, reason="Objectifs d'une action de formation.")
declare("trainings.Session", ["address"], fate=NOT_PERSONAL, reason="Adresse du lieu de formation.")


def anonymise_trained_agents(now) -> int:
    """Agents of sessions over for longer than the retention period; the sessions' history stops naming them."""
    ended = timezone.localdate(retention_cutoff(now))
    return anonymise_registrants(
        Registration.objects.filter(session__end_date__lt=ended),
        now=now,
        email_prefix="agent",
        cleared={"job": ""},
        events=Session.objects.filter(end_date__lt=ended),
    )


register_step(RetentionStep("trained_agents", "Agents formés anonymisés", anonymise_trained_agents, order=10))
