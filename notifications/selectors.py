"""Reads of the reminders: which optional kinds a person may turn off, and which they turned off."""

from . import registry
from .keys import address_key
from .models import ReminderOptOut
from .registry import ReminderKind


def optional_kinds_for(user) -> list[ReminderKind]:
    return [kind for kind in registry.kinds() if kind.optional and (not kind.roles or user.role in kind.roles)]


def opted_out_kinds(email: str) -> set[str]:
    return set(ReminderOptOut.objects.filter(email_key=address_key(email)).values_list("kind", flat=True))
