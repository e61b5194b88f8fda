"""Fuzz the open API against its own OpenAPI schema (schemathesis): no server error, responses as documented."""

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from partnership.wsgi import application

pytestmark = pytest.mark.fuzz

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def keep_test_connection():
    """Requests made straight through the WSGI app would close the test's database connection at the
    end of each request, as in production; Django's test client disconnects that handler, do the same."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection")
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_fails_and_matches_its_schema(case):
    cache.clear()  # the anonymous throttle would answer 429 to a long fuzzing run
    response = case.call()
    case.validate_response(response, checks=(not_a_server_error, response_schema_conformance))
