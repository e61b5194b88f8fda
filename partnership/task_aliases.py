"""A task's name is its module path; a task renamed to match keeps its former name as an alias.

``task(name=..., aliases=<app>.task_names.ALIASES, **options)`` is ``shared_task`` that also registers
the same function, with the same options, under each former name mapped to ``name`` (``ALIASES``: former
name → current name, declared beside the constants in ``<app>/task_names.py``). A message already in
Redis, kept in the outbox (``OutboxTask.task_name``) or sent by an older beat under the former name still
runs. ``tests/test_house.py`` checks that every registered task is named after its module, or is one
of the aliases recorded here.
"""

from collections.abc import Mapping

from celery import shared_task

# Every alias registered by ``task``: former name → current name.
REGISTERED: dict[str, str] = {}


def task(*, name: str, aliases: Mapping[str, str] | None = None, **options):
    def decorate(function):
        for former, current in (aliases or {}).items():
            if current == name:
                REGISTERED[former] = name
                shared_task(name=former, **options)(function)
        return shared_task(name=name, **options)(function)

    return decorate
