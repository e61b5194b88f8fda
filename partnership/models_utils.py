"""Small helpers every app's services share to write models the house way."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models


def model_update(
    *,
    instance: models.Model,
    fields: Iterable[str],
    data: Mapping[str, Any],
    clean: bool = True,
    save: bool = True,
) -> list[str]:
    """Copy into ``instance`` those of ``fields`` that ``data`` holds with a different value; return their names.

    Then, with ``clean``, validate the whole instance (``full_clean``: a refusal raises ``ValidationError``
    before anything is written) and, with ``save``, save the changed fields only (``update_fields``),
    together with the ``auto_now`` fields (``updated_at``) that such a save would otherwise leave behind.
    Nothing is saved when nothing changed, so a form submitted unchanged writes nothing (HackSoft's
    ``model_update``). ``fields`` not in ``data`` are left as they are.
    """
    changed = [name for name in fields if name in data and getattr(instance, name) != data[name]]
    for name in changed:
        setattr(instance, name, data[name])
    if clean:
        instance.full_clean()
    if save and changed:
        stamped = [
            field.name
            for field in instance._meta.concrete_fields
            if getattr(field, "auto_now", False) and field.name not in changed
        ]
        instance.save(update_fields=[*changed, *stamped])
    return changed
