"""Reads that several indicators of one page share, made once per page build (``shared_reads``)."""

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_memo: ContextVar[dict | None] = ContextVar("stats_shared_reads", default=None)


def shared_read(read: Callable) -> Callable:
    """Within ``shared_reads()``, ``read`` runs once per set of arguments: coverage by département and by
    region come from one pass over the communes, the network's summary and its table by region from one
    read of the interventions. Outside, it runs each time it is called."""

    @functools.wraps(read)
    def wrapper(*args, **kwargs):
        memo = _memo.get()
        if memo is None:
            return read(*args, **kwargs)
        key = (read, args, tuple(sorted(kwargs.items())))
        if key not in memo:
            memo[key] = read(*args, **kwargs)
        return memo[key]

    return wrapper


@contextmanager
def shared_reads() -> Iterator[None]:
    """The scope of one page build: the shared reads made inside are made once, then forgotten."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)
