"""Thin Celery adapters of the reminders engine: ids in, one service call. Dispatched by ``partnership.dispatch``
under the names of ``notifications.task_names``."""

from celery import Task, shared_task
from django.conf import settings

from . import services, task_names


class ReminderTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Every retry spent, or an error no retry can cure: leave a visible « failed » row for staff.
        log_id = kwargs.get("log_id", args[0] if args else None)
        if log_id is not None:
            services.reminder_mark_failed(log_id=log_id, error=exc)


def backoff(retries: int) -> int:
    """Seconds before retry number ``retries + 1``: doubling from the base, capped."""
    return min(settings.REMINDER_RETRY_BACKOFF_SECONDS * 2**retries, settings.REMINDER_RETRY_BACKOFF_MAX_SECONDS)


@shared_task(name=task_names.REMINDER_SEND, base=ReminderTask, bind=True, acks_late=True)
def reminder_send(self, log_id: int) -> str:
    try:
        return services.reminder_deliver(log_id=log_id)
    except services.MAIL_ERRORS as exc:
        raise self.retry(
            exc=exc, countdown=backoff(self.request.retries), max_retries=settings.REMINDER_MAX_RETRIES
        ) from exc


@shared_task(name=task_names.REMINDERS_RUN)
def reminders_run() -> dict:
    return services.reminders_run()
