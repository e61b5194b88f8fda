"""Tasks keep the names they were queued and scheduled under, whichever module now holds them."""

from agreements import tasks as contract_tasks
from agreements.signing import tasks as signing_tasks
from partnership.celery import app

# The names already in Redis queues, in the outbox (``OutboxTask.task_name``) and in beat's schedule.
PUBLISHED = {
    "agreements.tasks.contracts_update_periods": contract_tasks.contracts_update_periods,
    "agreements.tasks.signature_request_send_link": signing_tasks.signature_request_send_link,
    "agreements.tasks.signature_notify_delegation": signing_tasks.signature_notify_delegation,
    "agreements.tasks.contract_finalize": signing_tasks.contract_finalize,
    "agreements.tasks.contracts_finalize_missing": signing_tasks.contracts_finalize_missing,
    "agreements.tasks.contract_send_final_document": signing_tasks.contract_send_final_document,
    "agreements.tasks.signatures_expire": signing_tasks.signatures_expire,
}


def test_agreements_tasks_are_registered_under_their_published_names():
    registered = {name: app.tasks[name] for name in app.tasks if name.startswith("agreements.")}
    assert registered == PUBLISHED


def test_every_beat_entry_names_a_registered_task(settings):
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled - set(app.tasks) == set()
