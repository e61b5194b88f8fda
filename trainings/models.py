"""Training actions under the partnership contracts: sessions, registrations, attendance.

Every write goes through the services (``trainings.services``, ``.registrations``, ``.attendance``);
reads that depend on who asks go through ``trainings.selectors``.
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse

from .enums import ActionMode, AgentCategory, AttendanceStatus, Period, RegistrationStatus, SessionStatus

# Trainee-days, the figure CNFPT reports: each half-day attended counts for half a day.
HALF_DAY = Decimal("0.5")


class TrainingScheme(models.Model):
    """A training scheme of the law of 19 February 2007 (now the Code général de la fonction publique)."""

    code = models.SlugField("code", max_length=60, unique=True)
    label = models.CharField("libellé", max_length=200)
    duration_note = models.CharField(
        "durée réglementaire", max_length=200, blank=True, help_text="Par exemple : 5 jours (catégorie C)."
    )
    description = models.TextField("description", blank=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)
    is_active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "dispositif de formation"
        verbose_name_plural = "dispositifs de formation"
        ordering = ["position", "label"]

    def __str__(self):
        return self.label


class TrainingAction(models.Model):
    """An action de formation: under a contract's programme line, or in the open catalogue (inter)."""

    delegation = models.ForeignKey(
        "partnership.Delegation", on_delete=models.PROTECT, related_name="training_actions", verbose_name="délégation"
    )
    programme_line = models.ForeignKey(
        "agreements.ProgrammeLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_actions",
        verbose_name="ligne de programme du contrat",
    )
    title = models.CharField("intitulé", max_length=255)
    scheme = models.ForeignKey(
        TrainingScheme, on_delete=models.PROTECT, related_name="actions", verbose_name="dispositif"
    )
    theme = models.ForeignKey(
        "agreements.Theme", on_delete=models.PROTECT, related_name="training_actions", verbose_name="thème"
    )
    mode = models.CharField("modalité", max_length=10, choices=ActionMode.choices)
    for_category_a = models.BooleanField("public : catégorie A", default=False)
    for_category_b = models.BooleanField("public : catégorie B", default=False)
    for_category_c = models.BooleanField("public : catégorie C", default=False)
    objectives = models.TextField("objectifs", blank=True)
    duration_days = models.DecimalField("durée (jours)", max_digits=4, decimal_places=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name="créée par",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "action de formation"
        verbose_name_plural = "actions de formation"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(duration_days__gt=0), name="training_action_duration_positive"),
            models.CheckConstraint(
                condition=Q(for_category_a=True) | Q(for_category_b=True) | Q(for_category_c=True),
                name="training_action_has_audience",
            ),
            # Intra and union actions exist only under a contract; the catalogue is inter.
            models.CheckConstraint(
                condition=Q(mode=ActionMode.INTER) | Q(programme_line__isnull=False),
                name="training_action_contract_unless_inter",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("trainings:action_detail", args=[self.pk])

    @property
    def audience(self) -> list[str]:
        chosen = (self.for_category_a, self.for_category_b, self.for_category_c)
        return [category for category, wanted in zip(AgentCategory.values, chosen, strict=True) if wanted]

    @property
    def audience_label(self) -> str:
        return ", ".join(self.audience)


class Session(models.Model):
    """A session of an action: half-days, a venue, a capacity, trainers.

    ``start_date`` and ``end_date`` mirror the first and last half-days (kept by the services) so
    that lists and the calendar filter and sort without a join.
    """

    action = models.ForeignKey(TrainingAction, on_delete=models.PROTECT, related_name="sessions", verbose_name="action")
    status = models.CharField(
        "statut", max_length=20, choices=SessionStatus.choices, default=SessionStatus.PLANNED, db_index=True
    )
    venue = models.ForeignKey(
        "partnership.Collectivity",
        on_delete=models.PROTECT,
        related_name="training_sessions",
        verbose_name="commune du lieu de formation",
    )
    address = models.CharField("adresse", max_length=255, blank=True)
    capacity = models.PositiveIntegerField("nombre de places")
    trainers = models.ManyToManyField(
        "events.Speaker", related_name="training_sessions", blank=True, verbose_name="formateurs"
    )
    start_date = models.DateField("premier jour", editable=False)
    end_date = models.DateField("dernier jour", editable=False)
    # The first day a confirmed agent has no mark on a half-day (« émargement à saisir » once it has come),
    # kept by the services: ``trainings.attendance_due``.
    attendance_due_on = models.DateField("émargement dû depuis le", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "session de formation"
        verbose_name_plural = "sessions de formation"
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gt=0), name="session_capacity_positive"),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="session_dates_ordered"),
        ]
        indexes = [
            models.Index(fields=["start_date", "end_date"], name="session_dates_idx"),
            # The sessions ended lately, latest first (an HR contact's recent certificates), without a scan.
            models.Index(fields=["end_date"], name="session_end_date_idx"),
            # Only the sessions owing marks: a handful, whatever the years of history behind them.
            models.Index(
                fields=["attendance_due_on"],
                condition=Q(attendance_due_on__isnull=False),
                name="session_attendance_due_idx",
            ),
        ]

    def __str__(self):
        return f"{self.action.title} ({self.start_date:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("trainings:session_detail", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def trainee_days(self) -> Decimal:
        """Needs the ``present_half_days`` annotation of ``selectors.with_counts``."""
        return getattr(self, "present_half_days", 0) * HALF_DAY


class SessionHalfDay(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="half_days", verbose_name="session")
    date = models.DateField("date")
    period = models.CharField("demi-journée", max_length=2, choices=Period.choices)

    class Meta:
        verbose_name = "demi-journée"
        ordering = ["session", "date", "period"]
        constraints = [
            models.UniqueConstraint(fields=["session", "date", "period"], name="half_day_unique_per_session"),
        ]
        # The calendar and the feeds read a few weeks of half-days out of years of them.
        indexes = [models.Index(fields=["date"], name="half_day_date_idx")]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.get_period_display().lower()}"


class Registration(models.Model):
    """An agent registered to a session by their employer's HR contact or by delegation staff."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="registrations", verbose_name="session")
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    email = models.EmailField("e-mail")
    category = models.CharField("catégorie", max_length=1, choices=AgentCategory.choices)
    job = models.CharField("emploi occupé", max_length=200, blank=True)
    employer = models.ForeignKey(
        "partnership.Collectivity",
        on_delete=models.PROTECT,
        related_name="training_registrations",
        verbose_name="collectivité employeur",
    )
    status = models.CharField("statut", max_length=20, choices=RegistrationStatus.choices, db_index=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="inscrit par",
    )
    created_at = models.DateTimeField("inscrit(e) le", auto_now_add=True)
    confirmed_at = models.DateTimeField("confirmée le", null=True, blank=True)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)
    # Set by the retention job (``partnership.personal_data``, step declared in ``personal_data.py``).
    anonymised_at = models.DateTimeField("anonymisée le", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "inscription"
        ordering = ["session", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "session",
                condition=~Q(status=RegistrationStatus.CANCELLED),
                name="registration_unique_active_email",
            ),
            models.CheckConstraint(condition=Q(category__in=AgentCategory.values), name="registration_category_valid"),
            models.CheckConstraint(
                condition=~Q(status=RegistrationStatus.CANCELLED) | Q(cancelled_at__isnull=False),
                name="registration_cancelled_has_date",
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "created_at"], name="registration_queue_idx")]

    def __str__(self):
        return f"{self.full_name} – {self.session}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_cancelled(self) -> bool:
        return self.status == RegistrationStatus.CANCELLED


class Attendance(models.Model):
    """One line of the feuille d'émargement: a registration on a half-day."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendances", verbose_name="inscription"
    )
    half_day = models.ForeignKey(
        SessionHalfDay, on_delete=models.CASCADE, related_name="attendances", verbose_name="demi-journée"
    )
    status = models.CharField("présence", max_length=10, choices=AttendanceStatus.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="saisie par",
    )
    recorded_at = models.DateTimeField("saisie le", auto_now=True)

    class Meta:
        verbose_name = "présence"
        ordering = ["half_day__date", "half_day__period", "registration"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "half_day"], name="attendance_unique_per_half_day"),
        ]

    def __str__(self):
        return f"{self.registration.full_name} – {self.half_day} : {self.get_status_display()}"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret token of a delegation's iCalendar feed (subscribed to by calendar apps).

    Calendar applications cannot log in, so the feed URL carries the token; staff can regenerate
    it, which revokes every copy of the old link.
    """

    delegation = models.OneToOneField(
        "partnership.Delegation", on_delete=models.CASCADE, related_name="calendar_feed", verbose_name="délégation"
    )
    token = models.CharField("jeton", max_length=64, unique=True, default=_new_token)
    regenerated_at = models.DateTimeField("renouvelé le", auto_now=True)

    class Meta:
        verbose_name = "flux iCalendar"
        verbose_name_plural = "flux iCalendar"

    def __str__(self):
        return f"Calendrier – {self.delegation}"
