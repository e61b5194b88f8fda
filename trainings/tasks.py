"""Celery adapters: take ids, re-fetch, call one service. Names in ``trainings.task_names``."""

from smtplib import SMTPException

from celery import shared_task

from . import services, task_names


@shared_task(
    name=task_names.SEND_REGISTRATION_EMAIL,
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def send_registration_email(registration_id: int, kind: str) -> bool:
    return services.registration_send_email(registration_id=registration_id, kind=kind)
