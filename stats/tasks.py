"""Thin Celery adapters: take ids, call one service. Dispatched after commit by ``partnership.dispatch.enqueue``
under the names of ``stats.task_names``."""

from celery import Task, shared_task

from . import services, task_names

# Transient delivery problems (smtplib.SMTPException and socket errors are OSErrors) are retried.
MAIL_ERRORS = (OSError,)


class NotifyTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Every retry spent: leave a visible trace on the "Mes exports" page.
        export_id = kwargs.get("export_id", args[0] if args else None)
        if export_id is not None:
            services.export_mark_notification_failed(export_id=export_id, error=f"E-mail non envoyé : {exc}")


@shared_task(name=task_names.EXPORT_GENERATE, acks_late=True, soft_time_limit=600, time_limit=660)
def export_generate(export_id: int) -> bool:
    return services.export_generate(export_id=export_id)


@shared_task(
    name=task_names.EXPORT_NOTIFY,
    base=NotifyTask,
    autoretry_for=MAIL_ERRORS,
    retry_backoff=30,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=6,
)
def export_notify(export_id: int) -> bool:
    return services.export_notify(export_id=export_id)
