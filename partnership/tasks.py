"""Platform tasks: sending again what waited in the outbox while the broker was down, account e-mails,
the retention of personal data, the CSV imports too long for a request. Thin adapters: ids in, one call. Names in ``partnership.task_names``."""

import smtplib

from celery import shared_task
from celery.signals import worker_ready

from . import dispatch, imports, personal_data, task_names
from .emails import send_invitation, send_password_reset
from .models import AccessRequest, User
from .proconnect.emails import send_access_request_decision


@shared_task(name=task_names.FLUSH_OUTBOX)
def flush_outbox() -> int:
    return dispatch.flush_outbox()


@worker_ready.connect
def _flush_outbox_at_start(**kwargs):
    # A worker that starts is proof the broker is back: send what waited.
    dispatch.flush_outbox()


# Transient delivery problems are retried with backoff; anything else fails visibly (the task's state).
MAIL_ERRORS = (smtplib.SMTPException, OSError)


@shared_task(
    name=task_names.PASSWORD_RESET_SEND,
    autoretry_for=MAIL_ERRORS,
    retry_backoff=30,
    retry_backoff_max=1800,
    max_retries=8,
)
def password_reset_send(user_id: int) -> bool:
    """E-mail a password reset link; an account deactivated meanwhile gets nothing."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return False
    send_password_reset(user)
    return True


@shared_task(
    name=task_names.ACCOUNT_INVITATION_SEND,
    autoretry_for=MAIL_ERRORS,
    retry_backoff=30,
    retry_backoff_max=1800,
    max_retries=8,
)
def account_invitation_send(user_id: int) -> bool:
    """E-mail an invitation link, as long as the invited person has not chosen a password yet."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return False
    send_invitation(user)
    return True


@shared_task(
    name=task_names.ACCESS_REQUEST_DECISION_SEND,
    autoretry_for=MAIL_ERRORS,
    retry_backoff=30,
    retry_backoff_max=1800,
    max_retries=8,
)
def access_request_decision_send(access_request_id: int) -> bool:
    """E-mail the requester the decision on their request for access (accepted, or refused with its reason)."""
    access_request = AccessRequest.objects.filter(pk=access_request_id).exclude(decided_at=None).first()
    if access_request is None:
        return False
    send_access_request_decision(access_request)
    return True


@shared_task(name=task_names.PERSONAL_DATA_APPLY_RETENTION)
def personal_data_apply_retention() -> dict:
    return personal_data.personal_data_apply_retention()


# acks_late: a worker killed mid-import leaves the task to another, which takes the stale claim over
# (``IMPORT_CLAIM_TIMEOUT_SECONDS``); the lines and the status commit together, so nothing is imported twice.
@shared_task(name=task_names.IMPORT_RUN, acks_late=True, soft_time_limit=840, time_limit=900)
def import_run(import_id: int) -> bool:
    return imports.import_run(import_id=import_id)
