"""What the events keep about people (``partnership.personal_data``): registrants and the speakers' network."""

from django.conf import settings

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

from .models import Event, EventFeedback, EventRegistration

register_category(
    Category(
        "event_registrations",
        "Inscriptions aux événements",
        "Participants\u00a0: nom, prénom, e-mail, qualité, fonction, collectivité, présence, avis",
        "Mission d'intérêt public (art. 6-1-e)",
        lambda: (
            f"{duration_label(settings.PERSONAL_DATA_RETENTION_DAYS)} après l'événement, puis anonymisation "
            "automatique (la note de l'avis reste comptée, son commentaire est effacé)"
        ),
        order=40,
    )
)
register_category(
    Category(
        "speakers",
        "Réseau d'intervenants",
        "Intervenants\u00a0: identité, coordonnées, organisme, thèmes, régions, disponibilités, présentation, interventions",
        "Consentement (art. 6-1-a), retirable à tout moment",
        lambda: (
            "Jusqu'au retrait du consentement ou à la demande d'effacement (les interventions restent comptées, "
            "sans nom)"
        ),
        order=50,
    )
)
declare(
    "events.EventRegistration",
    ["first_name", "last_name", "email", "job_title"],
    fate=ANONYMISED,
    category="event_registrations",
    anonymised_at="anonymised_at",
    reason="Remplacés en place PERSONAL_DATA_RETENTION_DAYS après la fin de l'événement.",
)
declare(
    "events.EventFeedback",
    ["comment"],
    fate=ANONYMISED,
    category="event_registrations",
    reason="Texte libre du participant : effacé avec son inscription (la note reste).",
)
declare(
    "events.Speaker",
    ["first_name", "last_name", "email", "phone", "organisation", "job_title", "availability", "bio"],
    fate=ANONYMISED,
    category="speakers",
    anonymised_at="anonymised_at",
    reason="Effacés à la demande de l'intervenant ou au retrait de son consentement (speakers.speaker_erase).",
)
declare(
    "events.Speaker",
    ["consent_text_version"],
    fate=NOT_PERSONAL,
    reason="Numéro de version du texte de consentement accepté.",
)
declare("events.Event", ["description", "venue_address"], fate=NOT_PERSONAL, reason="Présentation et lieu public.")
declare("events.TimeSlot", ["description"], fate=NOT_PERSONAL, reason="Présentation d'un créneau du programme.")


def anonymise_event_registrants(now) -> int:
    """Registrants of events over for longer than the retention period, with their comments; the events' history too."""
    cutoff = retention_cutoff(now)
    return anonymise_registrants(
        EventRegistration.objects.filter(event__ends_at__lt=cutoff),
        now=now,
        email_prefix="participant",
        cleared={"job_title": ""},
        events=Event.objects.filter(ends_at__lt=cutoff),
        after_batch=lambda batch: EventFeedback.objects.filter(registration_id__in=batch).update(comment=""),
    )


register_step(
    RetentionStep("event_registrants", "Participants aux événements anonymisés", anonymise_event_registrants, order=20)
)
