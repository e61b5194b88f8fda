"""Platform tasks: sending again what waited in the outbox while the broker was down."""

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
