"""A snapshot of every row the project stores, to tell exactly what a form submission changed."""

from django.apps import apps
from django.conf import settings
from django.db import models

# Bookkeeping a save may touch without the user's data changing: the optimistic-locking counter of
# a contract, and the login time django-webtest's sign-in records. ``auto_now`` fields are left out too.
BOOKKEEPING = {
    "agreements.partnershipcontract": {"version"},
    "partnership.user": {"last_login"},
}


# Rollups the database keeps equal to a recomputation from the rows a form changes (triggers of
# ``stats/tally.py``, proven exact by ``tests/stats/test_rollup_exact.py``): derived, not stored data.
DERIVED_TABLES = {"stats.trainingtally", "stats.trainingsummary", "stats.interventiontally"}

# The action log: a change adds its entry there (``tests/partnership/test_history.py`` checks which);
# an unchanged form adds none, which the full snapshot checks.
AUDIT_TABLES = {"partnership.actionlogentry"}


def _project_models(skipped=frozenset()):
    for config in apps.get_app_configs():
        # The project's apps, and the groups and permissions the admin edits.
        if config.label == "auth" or (settings.BASE_DIR / config.name.split(".")[0]).is_dir():
            yield from (
                m
                for m in config.get_models(include_auto_created=True)
                if not m._meta.proxy and m._meta.label_lower not in DERIVED_TABLES | skipped
            )


def _columns(model) -> list[str]:
    skipped = BOOKKEEPING.get(model._meta.label_lower, set())
    return [
        field.attname
        for field in model._meta.concrete_fields
        if not getattr(field, "auto_now", False) and field.name not in skipped
    ]


def snapshot(*, audit: bool = True) -> dict[tuple[str, object], dict]:
    """``(model label, pk) → {column: value}`` for every row of every model of the project
    (but the action log's, with ``audit=False``)."""
    rows = {}
    for model in _project_models(frozenset() if audit else AUDIT_TABLES):
        columns = _columns(model)
        pk = model._meta.pk.attname
        for values in model._base_manager.order_by(pk).values(*columns):
            rows[(model._meta.label_lower, values[pk])] = values
    return rows


def diff(before: dict, after: dict) -> dict:
    """What changed between two snapshots: ``(label, pk, column) → (before, after)``; a row added or
    removed shows as ``(label, pk, "*")``."""
    changes = {}
    for key in before.keys() | after.keys():
        old, new = before.get(key), after.get(key)
        if old is None or new is None:
            changes[(*key, "*")] = ("absent" if old is None else "présent", "absent" if new is None else "présent")
            continue
        for column in old:
            if old[column] != new[column]:
                changes[(*key, column)] = (old[column], new[column])
    return changes


def label_of(instance: models.Model) -> str:
    return instance._meta.concrete_model._meta.label_lower
