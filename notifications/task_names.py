"""Names of the reminders engine's Celery tasks (``notifications.tasks``), as queued and scheduled by beat."""

REMINDER_SEND = "notifications.tasks.reminder_send"
REMINDERS_RUN = "notifications.tasks.reminders_run"
