"""The collectivité search is served by indexes on PostgreSQL (checked on the query plan)."""

import pytest
from django.db import connection

from partnership.models import Collectivity
from partnership.selectors import collectivities_search
from tests.factories import CommuneFactory

pytestmark = pytest.mark.postgresql


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # On a test-sized table a scan is always cheapest; forbid it to see which index the query can use.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["saint etienne", "St-Étienne", "st etienne", "ste foy les lyon", "l hay", "lhay"])
def test_name_search_uses_the_trigram_index(typed):
    CommuneFactory(name="Saint-Étienne")
    # The picker's own filter and ranking, whatever the abbreviations and elisions typed. Without the join
    # to the départements, which on a test-sized table the planner would rather drive from their index.
    assert "collectivity_search_trgm" in _plan(collectivities_search(typed).select_related(None).only("pk"))


@pytest.mark.django_db
def test_code_and_siren_search_use_prefix_indexes():
    CommuneFactory(code="42218", siren="214202186")
    plan = _plan(Collectivity.objects.search("42218"))
    assert "collectivity_code_prefix" in plan
    assert "collectivity_siren_prefix" in plan
