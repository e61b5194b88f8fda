"""Fuzz the open API against its own OpenAPI schema (schemathesis): no server error, responses as documented."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from partnership.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_fails_and_matches_its_schema(case):
    from django.core.cache import cache

    cache.clear()  # the anonymous throttle would answer 429 to a long fuzzing run
    response = case.call()
    case.validate_response(response, checks=(not_a_server_error, response_schema_conformance))
