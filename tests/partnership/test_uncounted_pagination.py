"""``paginate(…, count=False)``: a list as long as its history is paged without ever being counted."""

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from partnership.models import Region
from partnership.viewutils import UncountedPage, paginate


def _page(number, per_page=2):
    request = RequestFactory().get("/", {"page": number} if number is not None else {})
    return paginate(request, Region.objects.order_by("code"), per_page, count=False)


def test_a_page_reads_its_rows_and_one_more_without_a_count(db):
    for code in ("01", "02", "03", "04", "06"):
        Region.objects.create(code=code, name=f"Région {code}")

    with CaptureQueriesContext(connection) as queries:
        first = _page(None)
        rows = [region.code for region in first]
    assert [query["sql"].count("COUNT(") for query in queries.captured_queries] == [0]
    assert (rows, first.number, first.has_previous(), first.has_next(), first.paginator) == (
        ["01", "02"],
        1,
        False,
        True,
        None,
    )
    last = _page("3")
    assert ([region.code for region in last], last.has_previous(), last.has_next()) == (["06"], True, False)
    # A page past the end is empty and leads back; a page that is not a number is the first.
    beyond = _page("9")
    assert (list(beyond), beyond.has_previous(), beyond.previous_page_number(), beyond.has_next()) == (
        [],
        True,
        8,
        False,
    )
    assert _page("x").number == _page("-3").number == 1


def test_a_page_number_beyond_any_history_is_an_empty_page_not_a_database_error(db):
    Region.objects.create(code="01", name="Région 01")
    # 2**63: PostgreSQL's OFFSET is a 64-bit integer and refuses it (« bigint out of range »).
    beyond = _page(str(2**63))
    assert (list(beyond), beyond.number, beyond.has_next()) == ([], UncountedPage.LAST_NUMBER, False)
