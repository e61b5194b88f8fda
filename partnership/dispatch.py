"""The one way business code hands work to Celery: after the transaction commits, by primary keys.

If the broker cannot be reached (Redis down), the task is kept in the database (``OutboxTask``)
and sent again by ``flush_outbox`` when the broker is back (at worker start, then every minute
from beat): the user's write succeeds and the work it triggers is not lost.
"""

import logging

from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError

from .celery import app
from .models import OutboxTask

logger = logging.getLogger(__name__)

# Publishing errors that mean "broker unreachable", as opposed to an error of the task itself.
BROKER_ERRORS = (BrokerError, ConnectionError, OSError)

# Fail fast when the broker is down: the request must not hang, the outbox takes over.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


class UnknownTask(LookupError):
    """A task name that no registered Celery task carries: a programming error, refused before anything is sent."""


def enqueue(task_name: str, *args) -> None:
    """Send the task named ``task_name`` with ``args`` (ids and plain values, never model instances) once the
    transaction commits.

    By name (the constants of ``<app>/task_names.py``), so that a service never imports its tasks module:
    the tasks import the services they call, never the reverse. An unknown name raises ``UnknownTask`` at
    once, in the caller's transaction, rather than a worker discarding the message later.

    Dispatching inside the transaction would let a worker read rows that are not committed yet, or
    act on a change that is then rolled back (pretix ``TransactionAwareTask``).
    """
    if task_name not in app.tasks:
        raise UnknownTask(f"No Celery task is registered under the name {task_name!r}.")
    transaction.on_commit(lambda: publish(task_name, list(args)))


def publish(task_name: str, args: list) -> bool:
    """Send one task now; on a broker failure keep it in the outbox. ``True`` if it reached the broker."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        app.tasks[task_name].apply_async(args=args)
        return True
    try:
        app.send_task(task_name, args=args, retry=True, retry_policy=PUBLISH_RETRY_POLICY)
    except BROKER_ERRORS as exc:
        OutboxTask.objects.create(task_name=task_name, args=args, attempts=1, last_error=repr(exc)[:2000])
        logger.warning("Broker unreachable, task %s%r kept in the outbox: %r", task_name, tuple(args), exc)
        return False
    return True


def flush_outbox(*, limit: int = 500) -> int:
    """Send the tasks kept while the broker was down, oldest first; return how many went out.

    Rows are locked with SKIP LOCKED, so two flushers (a worker starting while beat runs) never
    send the same task twice; a row is deleted in the same transaction as its successful send.
    """
    sent = 0
    for pk in list(OutboxTask.objects.order_by("created_at", "pk").values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            row = OutboxTask.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if row is None:
                continue
            try:
                app.send_task(row.task_name, args=row.args, retry=True, retry_policy=PUBLISH_RETRY_POLICY)
            except BROKER_ERRORS as exc:
                OutboxTask.objects.filter(pk=pk).update(attempts=row.attempts + 1, last_error=repr(exc)[:2000])
                logger.warning("Broker still unreachable; %s tasks wait in the outbox.", OutboxTask.objects.count())
                break
            row.delete()
            sent += 1
    return sent
