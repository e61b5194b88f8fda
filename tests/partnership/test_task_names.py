"""Tasks are enqueued by name: every name the code hands to ``enqueue`` is a registered Celery task.

Services never import their tasks module (the tasks import the services); they name the task with a
constant of ``<app>/task_names.py``. A typo there would only show when a worker drops the message, so
the code is read here, every ``enqueue(...)`` call resolved and checked against ``app.tasks``.
"""

import ast
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from partnership.celery import app
from partnership.dispatch import UnknownTask, enqueue, flush_outbox
from partnership.models import OutboxTask

ROOT = Path(__file__).resolve().parents[2]
PROJECT_PACKAGES = ("agreements", "events", "notifications", "partnership", "stats", "trainings")
TASK_NAME_MODULES = (
    "partnership.task_names",
    "agreements.task_names",
    "agreements.signing.task_names",
    "events.task_names",
    "notifications.task_names",
    "stats.task_names",
    "trainings.task_names",
)

# The names the code enqueues and beat schedules (each task's module path), written out here, so that
# renaming one (even consistently in code) fails.
PUBLISHED = {
    "agreements.signing.tasks.contract_finalize",
    "agreements.signing.tasks.contract_send_final_document",
    "agreements.signing.tasks.contracts_finalize_missing",
    "agreements.signing.tasks.seals_renew_timestamps",
    "agreements.signing.tasks.signature_notify_delegation",
    "agreements.signing.tasks.signature_request_send_link",
    "agreements.signing.tasks.signatures_expire",
    "agreements.tasks.contracts_update_periods",
    "events.tasks.send_event_cancelled_emails",
    "events.tasks.send_promotion_email",
    "events.tasks.send_registration_email",
    "notifications.tasks.reminder_send",
    "notifications.tasks.reminders_run",
    "partnership.tasks.access_request_decision_send",
    "partnership.tasks.account_invitation_send",
    "partnership.tasks.flush_outbox",
    "partnership.tasks.import_run",
    "partnership.tasks.password_reset_send",
    "partnership.tasks.personal_data_apply_retention",
    "stats.tasks.export_generate",
    "stats.tasks.export_notify",
    "trainings.tasks.send_registration_email",
}
# Names published before a task was renamed after its module: messages may still be in Redis, in the outbox
# (``OutboxTask.task_name``) or sent by an older beat under them; they stay registered, as aliases.
FORMER_NAMES = {
    "agreements.tasks.contract_finalize": "agreements.signing.tasks.contract_finalize",
    "agreements.tasks.contract_send_final_document": "agreements.signing.tasks.contract_send_final_document",
    "agreements.tasks.contracts_finalize_missing": "agreements.signing.tasks.contracts_finalize_missing",
    "agreements.tasks.seals_renew_timestamps": "agreements.signing.tasks.seals_renew_timestamps",
    "agreements.tasks.signature_notify_delegation": "agreements.signing.tasks.signature_notify_delegation",
    "agreements.tasks.signature_request_send_link": "agreements.signing.tasks.signature_request_send_link",
    "agreements.tasks.signatures_expire": "agreements.signing.tasks.signatures_expire",
}


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def _imported_modules(tree: ast.Module, module: str, is_package: bool) -> dict[str, str]:
    """Local name → module, for ``from X import task_names`` and ``from . import task_names`` lines."""
    package = module if is_package else module.rpartition(".")[0]
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(max(node.level - 1, 0)):
                base = base.rpartition(".")[0]
            source = node.module if node.level == 0 else ".".join(filter(None, [base, node.module]))
            for alias in node.names:
                names[alias.asname or alias.name] = f"{source}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.partition(".")[0]] = alias.name
    return names


def enqueued_names(source: str, module: str, *, is_package: bool = False) -> list[tuple[int, str | None]]:
    """``(line, task name)`` of each ``enqueue(...)`` call of ``source``; ``None`` for a first argument that
    is neither a string literal nor a constant of an imported ``task_names`` module."""
    tree = ast.parse(source)
    imported = _imported_modules(tree, module, is_package)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        callee = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        if callee != "enqueue" or not node.args:
            continue
        first = node.args[0]
        name = None
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            name = first.value
        elif isinstance(first, ast.Attribute) and isinstance(first.value, ast.Name) and first.value.id in imported:
            constants = importlib.import_module(imported[first.value.id])
            name = getattr(constants, first.attr, None)
        found.append((node.lineno, name))
    return found


def _project_sources():
    for package in PROJECT_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_every_name_handed_to_enqueue_is_a_registered_task(settings):
    enqueued, unknown = set(), []
    for path in _project_sources():
        source = path.read_text(encoding="utf-8")
        if "enqueue(" not in source:
            continue
        for line, name in enqueued_names(source, _module_name(path), is_package=path.name == "__init__.py"):
            enqueued.add(name)
            if name not in app.tasks:
                unknown.append(f"{path.relative_to(ROOT)}:{line} → {name!r}")
    assert unknown == []
    # Every task is either enqueued by the code or scheduled by beat (a scan that found nothing fails here).
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert enqueued | scheduled == PUBLISHED


@pytest.mark.parametrize(
    "call",
    [
        'enqueue("stats.tasks.export_generat", 1)',
        "enqueue(task_names.EXPORT_GENERAT, 1)",
        "enqueue(tasks.export_generate, 1)",
    ],
)
def test_the_scan_reports_a_misspelt_or_unresolvable_name(call):
    source = f"from partnership.dispatch import enqueue\nfrom . import task_names\n\n{call}\n"
    ((line, name),) = enqueued_names(source, "stats.services")
    assert line == 4
    assert name not in app.tasks


def test_the_scan_resolves_a_constant_of_the_module_s_own_task_names():
    source = (
        "from partnership.dispatch import enqueue\nfrom . import task_names\n\nenqueue(task_names.EXPORT_NOTIFY, 1)\n"
    )
    assert enqueued_names(source, "stats.services") == [(4, "stats.tasks.export_notify")]


def test_enqueue_refuses_an_unknown_name_at_once(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(UnknownTask):
        enqueue("stats.tasks.export_generat", 1)
    assert callbacks == []


def test_every_task_carries_a_name_declared_in_a_task_names_module():
    declared = {
        value
        for module in TASK_NAME_MODULES
        for constant, value in vars(importlib.import_module(module)).items()
        if constant.isupper() and isinstance(value, str)
    }
    aliases = {
        former: current
        for module in TASK_NAME_MODULES
        for former, current in getattr(importlib.import_module(module), "ALIASES", {}).items()
    }
    project_tasks = {name for name in app.tasks if name.startswith(tuple(f"{p}." for p in PROJECT_PACKAGES))}
    assert declared == PUBLISHED
    assert aliases == FORMER_NAMES
    assert project_tasks == PUBLISHED | set(FORMER_NAMES)


def _function(task):
    """The function a registered task runs (under Celery's retry wrapper, if any)."""
    run = getattr(task, "_orig_run", task.run)
    return getattr(run, "__func__", run)


@pytest.mark.parametrize(("former", "current"), sorted(FORMER_NAMES.items()))
def test_a_former_name_runs_the_same_function_with_the_same_options(former, current):
    alias, task = app.tasks[former], app.tasks[current]
    assert _function(alias) is _function(task)
    options = ("max_retries", "autoretry_for", "retry_backoff", "acks_late", "typing")
    assert [getattr(alias, option, None) for option in options] == [getattr(task, option, None) for option in options]
    assert type(alias).__mro__[1:] == type(task).__mro__[1:]


def test_a_message_kept_under_a_former_name_still_runs(db):
    """``signatures_expire`` under the name the outbox and beat used before the rename: the same result."""
    assert app.tasks["agreements.tasks.signatures_expire"].apply().get() == (
        app.tasks["agreements.signing.tasks.signatures_expire"].apply().get()
    )


def test_every_beat_entry_names_a_published_task():
    scheduled = {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled - PUBLISHED == set()


def test_a_fresh_process_registers_every_published_task():
    """A worker imports no view and no service on its own: the app loading must register every task."""
    script = (
        "import django, json; django.setup(); "
        "from partnership.celery import app; app.loader.import_default_modules(); "
        "print(json.dumps(sorted(app.tasks)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "partnership.settings"},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert (PUBLISHED | set(FORMER_NAMES)) - set(json.loads(result.stdout.strip().splitlines()[-1])) == set()


def test_the_outbox_sends_again_by_the_name_it_kept(db, monkeypatch, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    sent = []
    monkeypatch.setattr(app, "send_task", lambda name, args, **kwargs: sent.append((name, args)))
    OutboxTask.objects.create(task_name="stats.tasks.export_notify", args=[7], attempts=1)

    assert flush_outbox() == 1

    assert sent == [("stats.tasks.export_notify", [7])]
    assert OutboxTask.objects.count() == 0
