"""Axis 3: asynchronous exports of the statistics (and of the contract list of the requester's scope)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

# ``dataset``'s choices are the datasets ``stats.registry`` declares, read from the table it fills when they
# are needed (migration 0003 names ``stats.models.dataset_choices``).
from .datasets import dataset_choices, dataset_label
from .enums import ExportFormat, ExportStatus


class ExportRequest(models.Model):
    """A CSV or XLSX export asked for by a user, produced by a Celery worker and announced by e-mail.

    State changes are conditional UPDATEs in ``stats.services``: ``pending → running`` (or a stale
    ``running`` claim) by the worker that wins, ``running → done | failed``; ``notified_at`` is
    claimed the same way so that the requester receives one e-mail. ``done → expired`` when the file
    is deleted (``exports_expire``, by the retention job), the row staying as history.
    """

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_requests", verbose_name="demandé par"
    )
    dataset = models.CharField("jeu de données", max_length=50, choices=dataset_choices)
    format = models.CharField("format", max_length=5, choices=ExportFormat.choices)
    parameters = models.JSONField("paramètres", default=dict, blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING, db_index=True
    )
    file = models.FileField("fichier", upload_to="exports/%Y/%m/", blank=True)
    row_count = models.PositiveIntegerField("nombre de lignes", null=True, blank=True)
    created_at = models.DateTimeField("demandé le", auto_now_add=True)
    started_at = models.DateTimeField("commencé le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    error = models.TextField("erreur", blank=True)
    notified_at = models.DateTimeField("e-mail envoyé le", null=True, blank=True)
    notification_error = models.TextField("échec de l'e-mail", blank=True)
    expired_at = models.DateTimeField("fichier supprimé le", null=True, blank=True)

    class Meta:
        verbose_name = "export de statistiques"
        verbose_name_plural = "exports de statistiques"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ExportStatus.DONE) | (Q(finished_at__isnull=False) & ~Q(file="")),
                name="export_done_has_file",
            ),
            models.CheckConstraint(
                condition=~Q(status=ExportStatus.RUNNING) | Q(started_at__isnull=False),
                name="export_running_has_start",
            ),
        ]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="export_requester_idx")]

    def __str__(self):
        return f"{self.dataset}.{self.format} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("stats:export_download", args=[self.pk])

    @property
    def dataset_label(self) -> str:
        return dataset_label(self.dataset)

    @property
    def is_done(self) -> bool:
        return self.status == ExportStatus.DONE

    @property
    def is_running(self) -> bool:
        return self.status == ExportStatus.RUNNING

    @property
    def is_failed(self) -> bool:
        return self.status == ExportStatus.FAILED

    @property
    def is_expired(self) -> bool:
        return self.status == ExportStatus.EXPIRED

    @property
    def is_in_progress(self) -> bool:
        """Pending or running: its page keeps asking for news until it is done or failed."""
        return self.status in (ExportStatus.PENDING, ExportStatus.RUNNING)


class TrainingSums(models.Model):
    """The four sums both training rollups keep (``stats.tally.SUMS``)."""

    # Confirmed registrations to sessions that are not cancelled.
    trainees = models.IntegerField("stagiaires", default=0)
    # Σ over those registrations of their session's number of half-days.
    scheduled_half_days = models.IntegerField("demi-journées programmées", default=0)
    # Half-days present of confirmed registrations, whatever the session's status…
    present_half_days = models.IntegerField("demi-journées de présence", default=0)
    # …and of those in sessions that are not cancelled.
    present_half_days_planned = models.IntegerField("demi-journées de présence (sessions maintenues)", default=0)

    class Meta:
        abstract = True


class TrainingTally(TrainingSums):
    """Registrations and attendance summed per (training action, agent category): the rollup of the indicators.

    One national year is a million registrations and four million half-day marks; summing them at
    each page view takes seconds. These few tens of thousands of rows hold the same sums and are
    kept exact by database triggers (``stats.tally``) in the same transaction as any write to
    registrations, attendance, sessions or their half-days, whichever code makes it (services,
    admin, imports). ``stats.tally.tally_rebuild`` recomputes it from the raw rows.
    """

    action = models.ForeignKey(
        "trainings.TrainingAction", on_delete=models.CASCADE, related_name="+", verbose_name="action"
    )
    category = models.CharField("catégorie", max_length=1)

    class Meta:
        verbose_name = "cumul de formation"
        verbose_name_plural = "cumuls de formation"
        constraints = [models.UniqueConstraint(fields=["action", "category"], name="training_tally_unique")]

    def __str__(self):
        return f"{self.action_id}/{self.category}"


class TrainingSummary(TrainingSums):
    """``TrainingTally`` summed by what the indicators group by: delegation, whether the action's contract
    commits its programme (signed, in force or past), the programme line's theme, the action's theme and
    scheme, the category of agent. A few thousand rows at national volume.

    Kept exact by database triggers (``stats.tally``): when a tally row changes, and when an action, a
    programme line or a contract changes a dimension (its sums move from one key to the other).
    """

    delegation_id = models.IntegerField("délégation")
    committed = models.BooleanField("contrat engagé")
    line_theme_id = models.IntegerField("thème de la ligne de programme")  # 0: catalogue action, no line
    theme_id = models.IntegerField("thème de l'action")
    scheme_id = models.IntegerField("dispositif")
    category = models.CharField("catégorie", max_length=1)

    class Meta:
        verbose_name = "synthèse de formation"
        verbose_name_plural = "synthèses de formation"
        constraints = [
            models.UniqueConstraint(
                fields=["delegation_id", "committed", "line_theme_id", "theme_id", "scheme_id", "category"],
                name="training_summary_unique",
            )
        ]

    def __str__(self):
        return f"{self.delegation_id}/{self.line_theme_id}/{self.theme_id}/{self.scheme_id}/{self.category}"


class InterventionTally(models.Model):
    """Trainers' interventions (one per trainer of a session that is not cancelled) per (delegation of
    the session's action, venue): what « intervenants par région » reads, the venue's region joined at read.

    Kept exact by database triggers (``stats.tally``) on the sessions' trainers, the sessions and the actions.
    """

    delegation_id = models.IntegerField("délégation")
    # No constraint: a rollup row never blocks a write to the directory; the region is joined at read time.
    venue = models.ForeignKey(
        "partnership.Collectivity",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name="lieu",
    )
    interventions = models.IntegerField("interventions", default=0)

    class Meta:
        verbose_name = "cumul d'interventions"
        verbose_name_plural = "cumuls d'interventions"
        constraints = [models.UniqueConstraint(fields=["delegation_id", "venue"], name="intervention_tally_unique")]

    def __str__(self):
        return f"{self.delegation_id}/{self.venue_id}"
