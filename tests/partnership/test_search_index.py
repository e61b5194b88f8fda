"""The collectivité search is served by indexes on PostgreSQL (checked on the query plan)."""

import pytest
from django.db import connection

from partnership.models import Collectivity
from tests.factories import CommuneFactory

pytestmark = pytest.mark.postgresql


def _plan(queryset) -> str:
    sql, params = queryset.only("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        # On a test-sized table a scan is always cheapest; forbid it to see which index the query can use.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.django_db
def test_name_search_uses_the_trigram_index():
    CommuneFactory(name="Saint-Étienne")
    assert "collectivity_search_trgm" in _plan(Collectivity.objects.search("saint etienne"))


@pytest.mark.django_db
def test_code_and_siren_search_use_prefix_indexes():
    CommuneFactory(code="42218", siren="214202186")
    plan = _plan(Collectivity.objects.search("42218"))
    assert "collectivity_code_prefix" in plan
    assert "collectivity_siren_prefix" in plan
