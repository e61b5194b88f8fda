"""The « À faire » of one person: the blocks every app declares (``partnership.todo_registry``), composed.

One ``Workspace`` per request (``workspace_for``): each block is decided, counted and listed at most once,
and the menu's badge reads the counts the page shows. A block that can never concern the person
(``Block.applies_to``) is left out, neither listed nor counted. Counts are scalar subqueries of the blocks'
own querysets, all in one query; each block's first items, one query each (plus its prefetches): the
page costs a fixed number of queries whatever the number of items, and the badge one query at most on
every other page (none for a role with nothing to act on). A block that may concern a person but is not
their daily work (``Block.shown_when_empty``) shows to them only when something waits in it.
"""

from dataclasses import dataclass, field

from django.db.models import Func, IntegerField, Subquery

from partnership.models import User
from partnership.todo_registry import Block, Item, Link, blocks

# Items shown per block; the block's link leads to the complete list.
ITEMS_PER_BLOCK = 10


@dataclass
class TodoBlock:
    """A block as the page shows it: how many, the first ones, and where to go next."""

    key: str
    title: str
    empty: str
    count: int | None = 0  # None: not counted (``Block.counted``)
    items: list[Item] = field(default_factory=list)
    truncated: bool = False  # more items than shown
    more: Link | None = None
    next_step: Link | None = None
    actionable: bool = True
    figures: list[tuple[str, str]] = field(default_factory=list)


class _CountAll(Func):
    """``COUNT(*)`` that Django does not see as an aggregate: no GROUP BY, one row, usable as a subquery."""

    template = "COUNT(*)"
    output_field = IntegerField()


class Workspace:
    def __init__(self, user):
        self.user = user
        self._blocks: list[Block] | None = None
        self._counts: dict[str, int] = {}
        self._querysets: dict[str, list] = {}

    @property
    def blocks(self) -> list[Block]:
        """The blocks that may concern the user, in page order (each predicate asked once)."""
        if self._blocks is None:
            user = self.user
            self._blocks = [block for block in blocks() if user.is_authenticated and block.applies_to(user)]
        return self._blocks

    def querysets(self, block: Block) -> list:
        """What ``block`` lists, built once per request (its count and its items read the same querysets)."""
        if block.key not in self._querysets:
            self._querysets[block.key] = block.querysets(self.user)
        return self._querysets[block.key]

    def counts(self, keys) -> dict[str, int]:
        """The counts of the blocks ``keys``; those not known yet in one query for them all."""
        missing = [block for block in self.blocks if block.key in keys and block.key not in self._counts]
        subqueries = {
            f"n{index}_{position}": (block.key, Subquery(queryset.order_by().annotate(n=_CountAll()).values("n")[:1]))
            for index, block in enumerate(missing)
            for position, queryset in enumerate(self.querysets(block))
        }
        for block in missing:
            self._counts[block.key] = 0
        if subqueries:
            annotations = {alias: subquery for alias, (_key, subquery) in subqueries.items()}
            row = User.objects.filter(pk=self.user.pk).annotate(**annotations).values(*annotations).first() or {}
            for alias, (key, _subquery) in subqueries.items():
                self._counts[key] += row.get(alias) or 0
        return {key: self._counts[key] for key in keys if key in self._counts}

    def badge(self) -> int:
        """What the menu's « À faire » badge shows: the items the user has to act on, as the page counts them."""
        actionable = [block.key for block in self.blocks if block.actionable and block.figures is None]
        return sum(self.counts(actionable).values())

    def page(self) -> list[TodoBlock]:
        """Every block of the page with its count, its first items and its links: the blocks with work to do
        first, then the others, each group in the blocks' order."""
        user = self.user
        counts = self.counts([block.key for block in self.blocks if block.figures is None and block.counted])
        shown = []
        for block in self.blocks:
            if block.figures is not None:
                shown.append(
                    TodoBlock(
                        key=block.key,
                        title=block.title,
                        empty=block.empty,
                        more=block.more(user),
                        actionable=False,
                        figures=block.figures(user),
                    )
                )
                continue
            # One more than shown: whether the block has more, when it is not counted.
            objects = []
            for queryset in self.querysets(block):
                if len(objects) <= ITEMS_PER_BLOCK:
                    objects += list(queryset[: ITEMS_PER_BLOCK + 1 - len(objects)])
            truncated, objects = len(objects) > ITEMS_PER_BLOCK, objects[:ITEMS_PER_BLOCK]
            count = counts[block.key] if block.counted else None
            waiting = bool(count) if block.counted else bool(objects)
            if not waiting and not block.shown_when_empty(user):
                continue
            shown.append(
                TodoBlock(
                    key=block.key,
                    title=block.title,
                    empty=block.empty,
                    count=count,
                    items=[block.item(obj) for obj in objects],
                    truncated=truncated,
                    more=block.more(user) if waiting else None,
                    next_step=None if waiting else block.next_step(user),
                    actionable=block.actionable,
                )
            )
        return sorted(shown, key=lambda shown_block: not (shown_block.actionable and shown_block.count))


def workspace_for(request) -> Workspace:
    """The request's ``Workspace``, made once: the page and the menu's badge share it."""
    workspace = getattr(request, "_workspace", None)
    if workspace is None or workspace.user is not request.user:
        workspace = request._workspace = Workspace(request.user)
    return workspace


def todo_blocks(user) -> list[TodoBlock]:
    return Workspace(user).page()


def todo_count(user) -> int:
    return Workspace(user).badge()
