"""The blocks of the « À faire » page: each declared once, by the app that owns its objects, in ``<app>/todo.py``.

A block says to whom it can ever apply (``applies_to``, a predicate of the user, from
``partnership.permissions`` or the owning app's selectors), what it lists (``objects``: the owning app's
permission-aware querysets, in display order; the block's count is theirs), how one object reads
(``item``), and what an empty block says and points to (``empty``, ``next_step``: the next useful action).
The page and its menu badge (the ``workspace`` app) walk the registry; they never know a model by name,
and the core imports no feature app for them.

To add a block from an app: write ``<app>/todo.py`` (``workspace.apps`` imports every installed app's
``todo`` module at start-up, as the admin imports ``admin``) and call ``register(Block(...))`` there; no
other module changes. For instance, access requests kept by the core would go in ``partnership/todo.py``::

    register(
        Block(
            key="access_requests",
            title="Demandes d'accès à examiner",
            position=25,  # after « Contrats à contresigner » (20), before the drafts (30)
            applies_to=permissions.can_manage_accounts,
            objects=selectors.access_requests_to_review,  # a permission-aware queryset, in display order
            item=lambda request: Item(str(request), request.get_absolute_url()),
            empty="Aucune demande d'accès en attente.",
            more=link_to("Toutes les demandes", "access_request_list"),
        )
    )

Its tests: the block's items and counts (``tests/workspace/test_todo.py``), the titles each role sees
(``test_each_role_page_renders_its_blocks``) and the badge's expected counts (``tests/workspace/test_badge.py``).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass
class Item:
    """One line of a block: what it is, where it is done, and what to know about it."""

    label: str
    url: str
    notes: list[str] = field(default_factory=list)
    warning: bool = False


def no_link(user) -> Link | None:
    return None


def link_to(label: str, url_name: str, query: str = "") -> Callable[[Any], Link]:
    """A block's link to a page of the site (``query`` appended: ``?status=draft``)."""
    return lambda user: Link(label, reverse(url_name) + query)


def always(user) -> bool:
    return True


@dataclass(frozen=True)
class Block:
    key: str
    title: str
    # Smaller first on the page; apps leave gaps between theirs so that another can slot in.
    position: int
    # Could this block ever concern the user? A role it can never concern neither sees nor counts it.
    # A permission predicate, without a query: called once per request, on every page (the badge).
    applies_to: Callable[[Any], bool]
    # What it lists, best first: a queryset, or several shown one after the other; its count is theirs.
    objects: Callable[[Any], QuerySet | Sequence[QuerySet]] | None = None
    item: Callable[[Any], Item] | None = None
    # Said when nothing waits, with the next useful action (an HR contact with no agent registered is
    # pointed to the training catalogue).
    empty: str = ""
    next_step: Callable[[Any], Link | None] = no_link
    # The complete list, when the block shows only its first items.
    more: Callable[[Any], Link | None] = no_link
    # Is the block worth showing this user when it is empty? Work that may come to anyone of a role but
    # is the daily lot of a few (countersigning: the délégué(e)) shows to the others only when it waits.
    shown_when_empty: Callable[[Any], bool] = always
    # Counted in the menu's « À faire » badge: work the user has to do, not information.
    actionable: bool = True
    # Whether the page shows how many there are. Information drawn from a long history (a large city's
    # agents: thousands a year) may show its first items only, with its link to the complete list.
    counted: bool = True
    # A block of figures instead of a list (label, value): no count, no items.
    figures: Callable[[Any], list[tuple[str, str]]] | None = None

    def querysets(self, user) -> list[QuerySet]:
        if self.objects is None:
            return []
        result = self.objects(user)
        return list(result) if isinstance(result, list | tuple) else [result]


_BLOCKS: dict[str, Block] = {}


def register(block: Block) -> Block:
    if block.key in _BLOCKS and _BLOCKS[block.key] is not block:
        raise ValueError(f"« À faire » block {block.key!r} is declared twice.")
    if (block.figures is None) == (block.objects is None or block.item is None):
        raise ValueError(f"« À faire » block {block.key!r} needs either objects and item, or figures.")
    if block.actionable and not block.counted:
        raise ValueError(f"« À faire » block {block.key!r} is work to do: the badge counts it.")
    _BLOCKS[block.key] = block
    return block


def blocks() -> list[Block]:
    """Every registered block, in page order."""
    return sorted(_BLOCKS.values(), key=lambda block: (block.position, block.key))
