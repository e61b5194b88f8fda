"""What the reminders keep about people (``partnership.personal_data``): the reminder log and the opt-outs."""

from django.conf import settings

from partnership.personal_data import (
    DELETED,
    KEPT,
    NOT_PERSONAL,
    Category,
    RetentionStep,
    declare,
    register_category,
    register_step,
)
from partnership.text import duration_label

from .services import reminder_logs_forget

register_category(
    Category(
        "reminders",
        "Rappels par e-mail",
        "Destinataires des rappels\u00a0: adresse e-mail et nom au moment de l'envoi\u00a0; rappels désactivés, "
        "gardés sous forme d'empreinte de l'adresse",
        "Mission d'intérêt public (art. 6-1-e)\u00a0; droit d'opposition pour les rappels facultatifs (art. 21)",
        lambda: (
            "Le nom jusqu'à l'envoi\u00a0; l'adresse "
            f"{duration_label(settings.REMINDER_LOG_RETENTION_DAYS)} après, puis seule son empreinte reste, pour ne pas "
            "envoyer deux fois le même rappel\u00a0; un rappel désactivé, tant que la personne ne le réactive pas"
        ),
        order=70,
    )
)
declare(
    "notifications.ReminderLog",
    ["recipient", "recipient_name", "last_error"],
    fate=DELETED,
    category="reminders",
    reason="Le nom est effacé à l'envoi ; l'adresse et la dernière erreur REMINDER_LOG_RETENTION_DAYS après.",
)
declare(
    "notifications.ReminderOptOut",
    ["email_key"],
    fate=KEPT,
    category="reminders",
    reason="Empreinte (HMAC) de l'adresse : reconnaît un refus sans garder l'adresse.",
)
declare("notifications.ReminderLog", ["recipient_key"], fate=KEPT, category="reminders", reason="Empreinte (HMAC).")
declare("notifications.ReminderLog", ["audience"], fate=NOT_PERSONAL, reason="Version du message (un mot-clé).")

register_step(
    RetentionStep(
        "reminder_logs", "Adresses du journal des rappels effacées", lambda now: reminder_logs_forget(now=now)
    )
)
