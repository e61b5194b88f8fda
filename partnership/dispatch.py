"""The one way business code hands work to Celery: after the transaction commits, by primary keys."""

from django.db import transaction


def enqueue(task, *args) -> None:
    """Send ``task`` with ``args`` (ids and plain values, never model instances) once the transaction commits.

    Dispatching inside the transaction would let a worker read rows that are not committed yet, or
    act on a change that is then rolled back (pretix ``TransactionAwareTask``).
    """
    transaction.on_commit(lambda: task.delay(*args))
