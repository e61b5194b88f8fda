"""Names of the statistics' Celery tasks (``stats.tasks``), as queued and kept in the outbox."""

EXPORT_GENERATE = "stats.tasks.export_generate"
EXPORT_NOTIFY = "stats.tasks.export_notify"
