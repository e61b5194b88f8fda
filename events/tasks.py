"""Thin Celery adapters: take ids, re-fetch, call one function of ``events.emails``. Names in ``events.task_names``."""

from smtplib import SMTPException

from celery import shared_task

from . import emails, task_names
from .models import Event, EventRegistration
from .services import registration_issue_link

RETRY = {"autoretry_for": (SMTPException, ConnectionError), "retry_backoff": True, "max_retries": 5}


@shared_task(name=task_names.SEND_REGISTRATION_EMAIL, **RETRY)
def send_registration_email(registration_id: int, _legacy_token: str | None = None) -> None:
    """E-mail a fresh personal link. ``_legacy_token``: tasks queued before links were issued here; ignored."""
    issued = registration_issue_link(registration_id=registration_id)
    if issued is None:
        return
    registration, token = issued
    emails.send_registration_received(registration, token=token)


@shared_task(name=task_names.SEND_PROMOTION_EMAIL, **RETRY)
def send_promotion_email(registration_id: int) -> None:
    registration = EventRegistration.objects.select_related("event__venue_commune").get(pk=registration_id)
    emails.send_promotion(registration)


@shared_task(name=task_names.SEND_EVENT_CANCELLED_EMAILS, **RETRY)
def send_event_cancelled_emails(event_id: int) -> None:
    emails.send_event_cancelled(Event.objects.select_related("venue_commune").get(pk=event_id))
