"""Platform tasks: sending again what waited in the outbox while the broker was down."""

import smtplib

from celery import shared_task
from celery.signals import worker_ready


@shared_task
def flush_outbox() -> int:
    from .dispatch import flush_outbox as flush

    return flush()


@worker_ready.connect
def _flush_outbox_at_start(**kwargs):
    # A worker that starts is proof the broker is back: send what waited.
    from .dispatch import flush_outbox as flush

    flush()


# Transient delivery problems are retried with backoff; anything else fails visibly (the task's state).
MAIL_ERRORS = (smtplib.SMTPException, OSError)


@shared_task(autoretry_for=MAIL_ERRORS, retry_backoff=30, retry_backoff_max=1800, max_retries=8)
def password_reset_send(user_id: int) -> bool:
    """E-mail a password reset link; an account deactivated meanwhile gets nothing."""
    from .emails import send_password_reset
    from .models import User

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return False
    send_password_reset(user)
    return True


@shared_task(autoretry_for=MAIL_ERRORS, retry_backoff=30, retry_backoff_max=1800, max_retries=8)
def account_invitation_send(user_id: int) -> bool:
    """E-mail an invitation link, as long as the invited person has not chosen a password yet."""
    from .emails import send_invitation
    from .models import User

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return False
    send_invitation(user)
    return True


@shared_task
def personal_data_apply_retention() -> dict:
    from .services import personal_data_apply_retention as apply

    return apply()
