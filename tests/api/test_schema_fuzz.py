"""Fuzz the API against its own OpenAPI schema (schemathesis) on a populated database.

Each operation answers every drawn request without a server error and as documented, and some of
its answers carry rows: on an empty database, a serializer that breaks on a real row would go unseen.
The draws mix free fuzzing with requests naming existing rows (a delegation, a département), which
the fuzzer alone would hardly guess.
"""

from unittest import mock

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from partnership.wsgi import application
from stats import api_schema

pytestmark = pytest.mark.fuzz

# Loaded at collection, before any database exists: the schema then enumerates no delegation or
# département code (``stats.api_schema.DIRECTORY_CODES``), and the draws name existing rows through
# ``populated.known_values``. ``test_schema_contract.py`` fuzzes the schema a live server gives, codes included.
with mock.patch.dict(api_schema.DIRECTORY_CODES, dict.fromkeys(api_schema.DIRECTORY_CODES, list)):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
OPERATIONS = [result.ok() for result in schema.get_all_operations()]


@pytest.fixture
def keep_test_connection():
    """Requests made straight through the WSGI app would close the test's database connection at the
    end of each request, as in production; Django's test client disconnects that handler, do the same."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _rows(response) -> int:
    """The rows of a list answer (paginated: ``results``) that carry data; 0 for a refusal.

    An indicator lists its categories even when nothing is counted (every status, at 0): such a row
    carries no data. A detailed read's row (a contract, a session) always does.
    """
    if response.status_code != 200:
        return 0
    payload = response.json()
    results = payload.get("results", []) if isinstance(payload, dict) else []

    def carries_data(row: dict) -> bool:
        figures = [value for value in row.values() if isinstance(value, int | float) and not isinstance(value, bool)]
        return not figures or any(figures)

    return sum(1 for row in results if carries_data(row))


def test_every_operation_is_fuzzed():
    assert len(OPERATIONS) == 18  # the 15 open indicators and the 3 detailed reads


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection")
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_api_never_fails_matches_its_schema_and_answers_rows(operation, populated):
    # The token opens the detailed reads; the open indicators ignore it.
    headers = {"Authorization": f"Token {populated.token}"}
    names = {parameter.name for parameter in operation.query}
    known = {name: value for name, value in populated.known_values.items() if name in names}
    draws = [operation.as_strategy(headers=headers)]
    if known:
        draws.append(operation.as_strategy(headers=headers, query=known))
    rows = []

    @given(case=st.one_of(draws))
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    def fuzz(case):
        cache.clear()  # the throttles would answer 429 to a long fuzzing run
        response = case.call()
        case.validate_response(response, checks=(not_a_server_error, response_schema_conformance))
        rows.append(_rows(response))

    fuzz()
    assert any(rows), f"{operation.label} : aucune réponse avec des lignes sur {len(rows)}"
