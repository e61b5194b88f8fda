"""Names of the events' Celery tasks (``events.tasks``), as queued and kept in the outbox."""

SEND_REGISTRATION_EMAIL = "events.tasks.send_registration_email"
SEND_PROMOTION_EMAIL = "events.tasks.send_promotion_email"
SEND_EVENT_CANCELLED_EMAILS = "events.tasks.send_event_cancelled_emails"
