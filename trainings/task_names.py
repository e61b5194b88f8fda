"""Names of the trainings' Celery tasks (``trainings.tasks``), as queued and kept in the outbox."""

SEND_REGISTRATION_EMAIL = "trainings.tasks.send_registration_email"
