"""« A list costs the same queries with one row or many »: the one helper every list page's test calls.

STYLE.md (after pretalx): every list view gets a query-count test with one and many rows, so that an
N+1 cannot come back. ``assert_constant_queries`` loads the page, grows the data, loads it again, and
checks that the page shows more rows for the same number of SQL queries.
"""

from collections.abc import Callable

from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

Rows = str | Callable[..., int]


def _rows_shown(response, rows: Rows) -> int:
    if callable(rows):
        return rows(response)
    return len(BeautifulSoup(response.content, "html.parser").select(rows))


def _load(client, url: str) -> tuple[object, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url} : {response.status_code}"
    return response, [query["sql"] for query in captured.captured_queries]


def assert_constant_queries(client, url: str, grow: Callable[[], object], *, rows: Rows, queries: int | None = None):
    """Load ``url`` with ``client``, call ``grow()``, load it again: the same queries, more rows.

    ``rows`` counts the rows the page shows: a CSS selector (``"tbody tr"``), or a function of the
    response (a JSON list's length). The second load must show more of them than the first, else the
    growth never reached the page and the comparison would prove nothing. ``queries``, when given,
    is the exact number both loads must cost.

    Returns the rows shown before and after, for the test to check them exactly if it wants to.
    """
    before, first = _load(client, url)
    shown_before = _rows_shown(before, rows)
    grow()
    after, second = _load(client, url)
    shown_after = _rows_shown(after, rows)
    assert shown_after > shown_before, f"{url} : {shown_before} ligne(s) avant, {shown_after} après"
    assert len(second) == len(first), _difference(first, second)
    if queries is not None:
        assert len(first) == queries, "\n".join(first)
    return shown_before, shown_after


def _difference(first: list[str], second: list[str]) -> str:
    only_second = [sql for sql in second if sql not in first]
    return f"{len(first)} requêtes avec peu de lignes, {len(second)} avec beaucoup ; en plus :\n" + "\n".join(
        only_second
    )
