"""The action log: record a write, read an object's history. The two sides of ``ActionLogEntry``.

Services call ``record`` inside their own transaction, after the write: a refused or rolled-back
write leaves no entry, and a write always leaves one. Recording is explicit because the services
write with conditional ``UPDATE``s and ``bulk_*`` calls that model signals never see.

A service takes the values it changes before and after with ``values_of`` and hands both to
``record``, which keeps only what differs: a form submitted unchanged records nothing. Values are
stored as people read them (choice labels, names, French dates), so the log reads the same in ten
years. Entries name the staff who act; the people acted upon are named only in ``subject`` (flagged
``subject_is_person``), which the retention job and a speaker's erasure anonymise.

Contract state changes stay in ``ContractTransition``; signatures in the audit trail.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import capfirst

from . import permissions
from .enums import HistoryAction
from .models import ActionLogEntry
from .text import french_date

Value = str | list[str] | None

SYSTEM_ACTOR = "Plateforme (automatique)"
ERASED_VALUE = "[effacé]"
# An object's page shows its most recent entries; the admin's action log lists them all.
PAGE_LIMIT = 100


def actor_label(actor) -> str:
    """« Prénom Nom (rôle) », or the platform when no one is logged in (a scheduled task)."""
    if actor is None or not actor.is_authenticated:
        return SYSTEM_ACTOR
    return f"{actor.get_full_name() or actor.email} ({actor.get_role_display()})"


def shown(value) -> Value:
    """One value as people read it; ``None`` for nothing."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime.datetime):
        return french_date(timezone.localtime(value) if timezone.is_aware(value) else value, "j F Y à H:i")
    if isinstance(value, datetime.date):
        return french_date(value, "j F Y")
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else number_format(value)
    if isinstance(value, FieldFile):
        return value.name.rsplit("/", 1)[-1] if value else None
    if isinstance(value, list | tuple | set):
        items = sorted(str(shown(item)) for item in value if shown(item) is not None)
        return items or None
    return str(value)


def values_of(instance: models.Model, fields: Iterable[str]) -> dict[str, Value]:
    """``{label: value}`` of ``instance``'s ``fields`` (model field names, many-to-many included), in order.

    Choices give their label, relations the name of the related objects. A many-to-many field reads
    the database: call it once the instance is saved.
    """
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        label = capfirst(str(field.verbose_name))
        if field.many_to_many:
            values[label] = shown(list(getattr(instance, name).all())) if instance.pk else None
        elif field.choices:
            raw = getattr(instance, field.attname)
            values[label] = shown(dict(field.flatchoices).get(raw, raw))
        else:
            values[label] = shown(getattr(instance, name))
    return values


def _changes(before: dict[str, Value], after: dict[str, Value]) -> list[list]:
    rows = []
    for label in [*after, *(label for label in before if label not in after)]:
        old, new = before.get(label), after.get(label)
        if old != new:
            rows.append([label, old, new])
    return rows


def entry(
    *,
    actor,
    obj: models.Model,
    action: str,
    before: dict[str, Value] | None = None,
    after: dict[str, Value] | None = None,
    subject: str = "",
    subject_is_person: bool = False,
) -> ActionLogEntry | None:
    """The entry ``record`` would write, unsaved (``None`` when nothing differs): for ``record_many``."""
    if before is not None and after is not None:
        changes = _changes(before, after)
        if not changes:
            return None
    else:
        changes = _changes(before or {}, after or {})
    return ActionLogEntry(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=obj.pk,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=actor_label(actor),
        action=HistoryAction(action),
        subject=subject,
        subject_is_person=subject_is_person,
        changes=changes,
    )


def record(
    *,
    actor,
    obj: models.Model,
    action: str,
    before: dict[str, Value] | None = None,
    after: dict[str, Value] | None = None,
    subject: str = "",
    subject_is_person: bool = False,
) -> ActionLogEntry | None:
    """Append an entry on ``obj``'s history; call it inside the transaction of the write.

    With both ``before`` and ``after``, only the values that differ are kept, and nothing is recorded
    when none does (an unchanged form). Without ``before`` (a creation) or ``after`` (a removal), the
    values given are the new or the old ones. ``actor`` is ``None`` for the platform itself.
    """
    new = entry(
        actor=actor,
        obj=obj,
        action=action,
        before=before,
        after=after,
        subject=subject,
        subject_is_person=subject_is_person,
    )
    if new is not None:
        new.save()
    return new


def record_many(entries: Iterable[ActionLogEntry | None]) -> int:
    """Append many entries built by ``entry`` in one INSERT (a batch of a thousand registrations)."""
    rows = [new for new in entries if new is not None]
    ActionLogEntry.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def anonymise_people(*, objects: models.QuerySet, replacement: str) -> int:
    """Take the participants' names out of the history of ``objects`` (the retention job's step).

    Each entry whose subject names a person gets ``replacement`` instead; returns how many did.
    """
    return ActionLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(objects.model),
        object_id__in=objects.values("pk"),
        subject_is_person=True,
    ).update(subject=replacement, subject_is_person=False)


def erase_person(
    *,
    obj: models.Model,
    user,
    name: str,
    replacement: str,
    listed_in: Iterable[str],
    list_labels: Iterable[str],
) -> None:
    """A person's erasure (RGPD): nothing they were remains in the log.

    The values of ``obj``'s own history are erased; the entries ``user`` wrote are signed
    ``replacement``; and in the history of the ``listed_in`` models (labels), where a list labelled one of
    ``list_labels`` (the speakers of a slot, the trainers of a session) names ``name``,
    ``replacement`` takes its place. A rare request: it reads those histories whole.
    """
    # The content type joined by name rather than looked up: always one query, warm cache or not.
    opts = obj._meta.concrete_model._meta
    own = ActionLogEntry.objects.filter(
        content_type__app_label=opts.app_label, content_type__model=opts.model_name, object_id=obj.pk
    )
    for entry in own:
        entry.changes = [
            [label, ERASED_VALUE if before is not None else None, ERASED_VALUE if after is not None else None]
            for label, before, after in entry.changes
        ]
        entry.save(update_fields=["changes"])
    if user is not None:
        ActionLogEntry.objects.filter(actor=user).update(actor_label=replacement)
    labels = set(list_labels)
    renamed = []
    where = ActionLogEntry.objects.filter(
        content_type__in=ContentType.objects.get_for_models(*(apps.get_model(label) for label in listed_in)).values(),
        action__in=_LIST_ACTIONS,
    )
    for entry in where.iterator():
        changes = [
            [label, *(_renamed(value, name, replacement) if label in labels else value for value in (before, after))]
            for label, before, after in entry.changes
        ]
        if changes != entry.changes:
            entry.changes = changes
            renamed.append(entry)
    ActionLogEntry.objects.bulk_update(renamed, ["changes"], batch_size=500)


# The entries that may list people by name (speakers of a slot, trainers of a session).
_LIST_ACTIONS = (HistoryAction.CREATED, HistoryAction.UPDATED, HistoryAction.ADDED, HistoryAction.REMOVED)


def _renamed(value: Value, name: str, replacement: str) -> Value:
    if isinstance(value, list):
        return [replacement if item == name else item for item in value]
    return value


# --- Reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectHistory:
    """What an object's page shows of its history: nothing (``visible`` false) to whoever may not see it."""

    visible: bool
    entries: list[ActionLogEntry]
    truncated: bool = False


def history_for(obj: models.Model, *, user) -> ObjectHistory:
    """The most recent entries of ``obj``'s history, newest first, for ``user``, who already sees ``obj``.

    The log is the staff's (CNFPT and AMF): a collectivité or a speaker sees no history. One query,
    whatever the number of entries.
    """
    if not permissions.can_view_history(user):
        return ObjectHistory(visible=False, entries=[])
    # The content type joined by name rather than looked up: always one query, warm cache or not.
    opts = obj._meta.concrete_model._meta
    own = ActionLogEntry.objects.filter(
        content_type__app_label=opts.app_label, content_type__model=opts.model_name, object_id=obj.pk
    )
    entries = list(own.order_by("-created_at", "-pk")[: PAGE_LIMIT + 1])
    return ObjectHistory(visible=True, entries=entries[:PAGE_LIMIT], truncated=len(entries) > PAGE_LIMIT)
