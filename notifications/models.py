"""The reminder log (one row per reminder ever decided) and the opt-outs of optional reminders."""

from django.db import models

from .enums import ReminderStatus
from .registry import kind_choices


class ReminderLog(models.Model):
    """One reminder to one person: claimed by its INSERT, then sent by a worker.

    The unique key (kind, object, due date, recipient's key) is what makes the job safe to run twice
    or on two workers at once: the second INSERT of the same reminder fails, so it is never sent twice.
    The key is a hash of the address (``notifications.keys``): the log keeps what its purpose needs.
    The recipient's name goes once the e-mail is sent (it served the greeting); the address and the
    last error, ``REMINDER_LOG_RETENTION_DAYS`` after (``reminder_logs_forget``, the retention job).
    """

    kind = models.CharField("rappel", max_length=40, choices=kind_choices)
    object_id = models.PositiveBigIntegerField("objet")
    due_on = models.DateField("échéance du rappel")
    recipient = models.EmailField("destinataire", blank=True)
    recipient_key = models.CharField("empreinte du destinataire", max_length=64, editable=False)
    recipient_name = models.CharField("nom du destinataire", max_length=200, blank=True)
    audience = models.CharField("version du message", max_length=30, blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    last_error = models.TextField("dernière erreur", blank=True)
    created_at = models.DateTimeField("décidé le", auto_now_add=True)
    # The batch of the run that inserted the row: after INSERT … ON CONFLICT DO NOTHING, the run reads back
    # the rows carrying its batch, i.e. exactly the reminders it won.
    batch = models.UUIDField("lot de décision", null=True, editable=False, db_index=True)
    claimed_at = models.DateTimeField("envoi commencé le", null=True, blank=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)

    class Meta:
        verbose_name = "rappel envoyé"
        verbose_name_plural = "journal des rappels"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "due_on", "recipient_key"], name="reminder_log_unique_key"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ReminderStatus.SENT) | models.Q(sent_at__isnull=False),
                name="reminder_log_sent_has_date",
            ),
        ]
        indexes = [models.Index(fields=["kind", "due_on"], name="reminder_log_kind_due_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.recipient or 'destinataire effacé'} ({self.due_on:%d/%m/%Y})"


class ReminderOptOut(models.Model):
    """An optional reminder someone turned off, by address: many recipients (agents, registrants) have no account.

    Kept as the address's key (``notifications.keys.address_key``): enough to honour the choice,
    nothing to write to.
    """

    email_key = models.CharField("empreinte de l'adresse e-mail", max_length=64)
    kind = models.CharField("rappel", max_length=40, choices=kind_choices)
    created_at = models.DateTimeField("désactivé le", auto_now_add=True)

    class Meta:
        verbose_name = "rappel désactivé"
        verbose_name_plural = "rappels désactivés"
        ordering = ["-created_at", "kind"]
        constraints = [models.UniqueConstraint(fields=["email_key", "kind"], name="reminder_optout_unique")]

    def __str__(self):
        return f"{self.get_kind_display()} (désactivé le {self.created_at:%d/%m/%Y})" if self.created_at else self.kind
