"""Names of the platform's Celery tasks: what ``partnership.dispatch.enqueue`` sends and the outbox keeps.

A name is a contract with what is already queued in Redis, kept in ``OutboxTask`` or scheduled by beat
(``CELERY_BEAT_SCHEDULE``): it never changes when the function moves.
"""

FLUSH_OUTBOX = "partnership.tasks.flush_outbox"
PASSWORD_RESET_SEND = "partnership.tasks.password_reset_send"  # noqa: S105 - a task name, not a password
ACCOUNT_INVITATION_SEND = "partnership.tasks.account_invitation_send"
PERSONAL_DATA_APPLY_RETENTION = "partnership.tasks.personal_data_apply_retention"
ACCESS_REQUEST_DECISION_SEND = "partnership.tasks.access_request_decision_send"
IMPORT_RUN = "partnership.tasks.import_run"
