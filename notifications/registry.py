"""The reminder kinds: each declared once, by the app that owns its objects, in ``<app>/reminders.py``.

A kind says when something is due (``due``: a selector of the objects whose reminder falls due by a
given day), to whom (the recipients of each ``Due``), and what to say (``message``, rendered with the
templates ``notifications/emails/<key>.txt`` and ``.html``). The engine (``notifications.services``)
walks the registry; it never knows a model by name.
"""

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str = ""
    # Which version of the message this person gets when a kind writes to several audiences
    # (the signer receives their link, the delegation a link to the contract page).
    audience: str = ""


@dataclass(frozen=True)
class Due:
    object_id: int
    due_on: datetime.date
    recipients: Sequence[Recipient]


@dataclass(frozen=True)
class Message:
    subject: str
    url: str  # the page the e-mail leads to
    context: dict = field(default_factory=dict)
    attachments: tuple[tuple[str, bytes, str], ...] = ()


@dataclass(frozen=True)
class ReminderKind:
    key: str
    label: str  # French: shown in the preferences, the admin and the command's report
    delay_setting: str  # the setting that holds its delay (days, or a list of days)
    optional: bool  # False: a process depends on it, nobody may turn it off
    due: Callable[[datetime.date], Iterable[Due]]
    # Built at send time from the log row; ``None`` when the reminder lost its reason (contract signed…).
    message: Callable[[Any], Message | None]
    after_send: Callable[[Any], None] | None = None
    # Roles whose preferences page lists this kind (empty: everyone); it does not limit who receives it.
    roles: tuple[str, ...] = ()

    @property
    def template(self) -> str:
        return f"notifications/emails/{self.key}"


_KINDS: dict[str, ReminderKind] = {}


def register(kind: ReminderKind) -> ReminderKind:
    if kind.key in _KINDS and _KINDS[kind.key] is not kind:
        raise ValueError(f"Reminder kind {kind.key!r} is declared twice.")
    _KINDS[kind.key] = kind
    return kind


def kinds() -> list[ReminderKind]:
    return list(_KINDS.values())


def get(key: str) -> ReminderKind | None:
    return _KINDS.get(key)


def kind_choices() -> list[tuple[str, str]]:
    """Choices of ``ReminderLog.kind`` (a callable, so the registry stays the one declaration)."""
    return [(kind.key, kind.label) for kind in _KINDS.values()]


def reference_day(log) -> datetime.date:
    """The day a message speaks from: its due date, or today when it goes out late (a missed run, a retry).

    ``--today`` simulates a later date: the due date then stays the reference.
    """
    return max(log.due_on, timezone.localdate())


def latest_due(target: datetime.date, offsets: Iterable[int], today: datetime.date) -> datetime.date | None:
    """The latest reminder date ``target - offset`` that has come by ``today``, while ``target`` is ahead.

    With offsets (90, 30) and a contract ending in 50 days, the 90-day reminder is the one due; a run
    that was missed does not send the older reminders of the same object on top of the newer one.
    """
    if target <= today:
        return None
    dates = [target - datetime.timedelta(days=offset) for offset in offsets]
    passed = [day for day in dates if day <= today]
    return max(passed) if passed else None
