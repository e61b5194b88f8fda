"""Co-organised events (axis 2) and the shared speakers network (axis 4)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from partnership.text import french_date, french_time

from .enums import EventKind, EventStatus, ExpertiseTheme, ParticipantQuality, RegistrationStatus

# Version of the consent text a speaker accepts (templates/events/includes/speaker_consent.html).
SPEAKER_CONSENT_VERSION = "2026-01"
ANONYMISED_SPEAKER_NAME = "Intervenant anonymisé"
# A speaker's personal fields, listed once, with their key in the personal-data export: the profile form
# edits them, the erasure empties them (the name becomes ``ANONYMISED_SPEAKER_NAME``), the export gives them.
SPEAKER_PERSONAL_FIELDS = {
    "first_name": "prenom",
    "last_name": "nom",
    "email": "email",
    "phone": "telephone",
    "organisation": "organisme",
    "job_title": "fonction",
    "availability": "disponibilites",
    "bio": "presentation",
}


class Speaker(models.Model):
    """An intervenant of the network shared by events and trainings."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="speaker_profile",
        verbose_name="compte utilisateur",
    )
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    organisation = models.CharField("organisme", max_length=200, blank=True)
    job_title = models.CharField("fonction", max_length=200, blank=True)
    regions = models.ManyToManyField(
        "partnership.Region", related_name="speakers", blank=True, verbose_name="régions d'intervention"
    )
    availability = models.TextField("disponibilités", blank=True)
    bio = models.TextField("présentation", blank=True)
    consent_given_at = models.DateTimeField("consentement donné le", null=True, blank=True)
    consent_text_version = models.CharField("version du texte de consentement", max_length=20, blank=True)
    is_active = models.BooleanField("actif", default=True)
    anonymised_at = models.DateTimeField("anonymisé le", null=True, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "intervenant"
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["email"], condition=~Q(email=""), name="speaker_unique_email"),
            models.CheckConstraint(
                condition=Q(consent_given_at__isnull=True) | ~Q(consent_text_version=""),
                name="speaker_consent_has_version",
            ),
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("events:speaker_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None


class SpeakerExpertise(models.Model):
    """One expertise theme of a speaker (themes are a fixed list, see ``ExpertiseTheme``)."""

    speaker = models.ForeignKey(
        Speaker, on_delete=models.CASCADE, related_name="expertises", verbose_name="intervenant"
    )
    theme = models.CharField("thème", max_length=40, choices=ExpertiseTheme.choices)

    class Meta:
        verbose_name = "thème d'expertise"
        verbose_name_plural = "thèmes d'expertise"
        ordering = ["theme"]
        constraints = [models.UniqueConstraint(fields=["speaker", "theme"], name="speaker_expertise_unique")]

    def __str__(self):
        return self.get_theme_display()


class Event(models.Model):
    """An event co-organised by the CNFPT (national or a delegation), the AMF and/or associations of mayors."""

    title = models.CharField("intitulé", max_length=255)
    kind = models.CharField("type", max_length=20, choices=EventKind.choices)
    topic = models.CharField("sujet", max_length=300)
    theme = models.CharField("thème", max_length=40, choices=ExpertiseTheme.choices, blank=True)
    description = models.TextField("présentation", blank=True)
    status = models.CharField("statut", max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT)
    delegation = models.ForeignKey(
        "partnership.Delegation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name="délégation CNFPT co-organisatrice",
        help_text="Laisser vide pour un événement organisé par le CNFPT au niveau national.",
    )
    mayors_associations = models.ManyToManyField(
        "partnership.MayorsAssociation",
        related_name="events",
        blank=True,
        verbose_name="AMF et associations départementales de maires co-organisatrices",
    )
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    venue_commune = models.ForeignKey(
        "partnership.Collectivity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_events",
        verbose_name="commune du lieu",
    )
    venue_address = models.CharField("adresse", max_length=300, blank=True)
    online_url = models.URLField("lien de connexion", blank=True)
    capacity = models.PositiveIntegerField("nombre de places")
    registration_closes_at = models.DateTimeField("clôture des inscriptions")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créé par",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "événement"
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="event_dates_ordered"),
            models.CheckConstraint(
                condition=Q(registration_closes_at__lte=F("starts_at")), name="event_registration_closes_before_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_capacity_positive"),
            models.CheckConstraint(
                condition=Q(venue_commune__isnull=False) | ~Q(online_url=""), name="event_has_venue_or_link"
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"], name="event_status_start_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == EventStatus.PUBLISHED

    @property
    def period_display(self) -> str:
        """« le lundi 7 décembre 2026, de 9 h 30 à 17 h », or « du … au … » over several days (Paris time)."""
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        if start.date() == end.date():
            return f"le {french_date(start, 'l j F Y')}, de {french_time(start)} à {french_time(end)}"
        return f"du {french_date(start, 'l j F Y à H:i')} au {french_date(end, 'l j F Y à H:i')}"

    @property
    def organiser_label(self) -> str:
        return str(self.delegation) if self.delegation_id else "CNFPT (national)"


class TimeSlot(models.Model):
    """A slot of an event's programme; each speaker of a slot counts as one intervention."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="time_slots", verbose_name="événement")
    title = models.CharField("intitulé", max_length=255)
    description = models.TextField("description", blank=True)
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    speakers = models.ManyToManyField(Speaker, related_name="time_slots", blank=True, verbose_name="intervenants")

    class Meta:
        verbose_name = "créneau du programme"
        verbose_name_plural = "créneaux du programme"
        ordering = ["starts_at"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="timeslot_dates_ordered")]

    def __str__(self):
        return self.title


class EventRegistration(models.Model):
    """A participant's registration: confirmed within capacity, otherwise waitlisted."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations", verbose_name="événement")
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    email = models.EmailField("e-mail")
    quality = models.CharField("qualité", max_length=10, choices=ParticipantQuality.choices)
    collectivity = models.ForeignKey(
        "partnership.Collectivity",
        on_delete=models.PROTECT,
        related_name="event_registrations",
        verbose_name="collectivité",
    )
    job_title = models.CharField("fonction", max_length=200, blank=True)
    status = models.CharField("statut", max_length=20, choices=RegistrationStatus.choices)
    # SHA-256 of the personal link's token; the token itself is only ever sent by e-mail.
    token_hash = models.CharField(max_length=64, unique=True, editable=False, verbose_name="empreinte du jeton")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="inscrit par",
    )
    created_at = models.DateTimeField("inscrit le", auto_now_add=True)
    promoted_at = models.DateTimeField("sorti de la liste d'attente le", null=True, blank=True)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)
    checked_in_at = models.DateTimeField("présence pointée le", null=True, blank=True)
    # Set by the retention job (``partnership.personal_data``, step declared in ``personal_data.py``).
    anonymised_at = models.DateTimeField("anonymisée le", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "inscription à un événement"
        verbose_name_plural = "inscriptions aux événements"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status=RegistrationStatus.CANCELLED),
                name="event_registration_unique_active_email",
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status=RegistrationStatus.CONFIRMED),
                name="event_registration_checked_in_is_confirmed",
            ),
        ]
        indexes = [models.Index(fields=["event", "status"], name="event_registration_status_idx")]

    def __str__(self):
        return f"{self.first_name} {self.last_name} – {self.event}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class EventFeedback(models.Model):
    """The satisfaction form a participant fills in once, after the event."""

    registration = models.OneToOneField(
        EventRegistration, on_delete=models.CASCADE, related_name="feedback", verbose_name="inscription"
    )
    rating = models.PositiveSmallIntegerField("note")
    comment = models.TextField("commentaire", blank=True)
    created_at = models.DateTimeField("répondu le", auto_now_add=True)

    class Meta:
        verbose_name = "avis de satisfaction"
        verbose_name_plural = "avis de satisfaction"
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5), name="event_feedback_rating_1_5")
        ]

    def __str__(self):
        return f"{self.rating}/5 – {self.registration}"
