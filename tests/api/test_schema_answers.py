"""The OpenAPI schema states every answer the API gives and the values its parameters take (``stats/api_schema.py``)."""

import pytest
from django.core.cache import cache
from django.db import DatabaseError
from django.urls import reverse
from rest_framework.authtoken.models import Token

from stats import api, api_schema

pytestmark = pytest.mark.django_db

RETRY_AFTER = {
    "schema": {"type": "integer", "minimum": 0},
    "required": True,
    "description": "Secondes à attendre avant la requête suivante.",
}


def _schema(client) -> dict:
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    return response.json()


def _parameter(operation: dict, name: str) -> dict:
    return next(parameter for parameter in operation["parameters"] if parameter["name"] == name)


def test_every_operation_documents_its_refusals(client, delegation, other_delegation):
    paths = _schema(client)["paths"]
    assert len(paths) == 18
    for path, operations in paths.items():
        responses = operations["get"]["responses"]
        token = path.startswith("/api/v1/detail/")
        coded = {"delegation", "department"} & {p["name"] for p in operations["get"]["parameters"]}
        expected = {"200", "404", "429"} | ({"401"} if token else set()) | ({"400"} if coded else set())
        assert set(responses) == expected, path
        assert responses["429"]["headers"] == {"Retry-After": RETRY_AFTER}, path
        assert responses["404"]["content"]["application/json"]["schema"]["required"] == ["detail"]
        assert _parameter(operations["get"], "page")["schema"] == {"type": "integer", "minimum": 1}


def test_parameters_enumerate_the_codes_of_the_directory(client, delegation, other_delegation):
    paths = _schema(client)["paths"]
    status = paths[reverse("api-contracts-by-status")]["get"]
    assert _parameter(status, "delegation")["schema"] == {
        "type": "string",
        "enum": sorted([delegation.code, other_delegation.code]),
    }
    assert status["responses"]["400"]["content"]["application/json"]["schema"] == {
        "type": "object",
        "properties": {
            "delegation": {"type": "string", "description": "Pourquoi «\u00a0delegation\u00a0» est refusé."}
        },
        "minProperties": 1,
        "additionalProperties": False,
    }
    figures = paths[reverse("api-detail-collectivities")]["get"]
    departments = sorted(d.code for d in (*delegation.departments.all(), *other_delegation.departments.all()))
    assert _parameter(figures, "department")["schema"] == {"type": "string", "enum": departments}
    assert figures["responses"]["401"]["headers"] == {
        "WWW-Authenticate": {"schema": {"type": "string"}, "required": True}
    }


def test_an_unreadable_directory_gives_the_shape_of_its_codes(client, monkeypatch):
    """``check --deploy`` builds the schema before ``migrate``: no table to read, the codes' pattern instead."""

    def unreadable():
        raise DatabaseError('relation "partnership_delegation" does not exist')

    monkeypatch.setattr(api_schema, "DIRECTORY_CODES", dict.fromkeys(api_schema.DIRECTORY_CODES, unreadable))
    status = _schema(client)["paths"][reverse("api-contracts-by-status")]["get"]
    assert _parameter(status, "delegation")["schema"] == {"type": "string", "pattern": r"^[-a-z0-9]+$"}
    figures = _schema(client)["paths"][reverse("api-detail-collectivities")]["get"]
    assert _parameter(figures, "department")["schema"] == {
        "type": "string",
        "pattern": r"^(0[1-9]|[1-8][0-9]|9[0-5]|2[AB]|97[1-6])$",
    }


def test_documented_answers_are_the_ones_given(client, delegation, delegation_staff, monkeypatch):
    url = reverse("api-contracts-by-status")
    assert client.get(url, {"page": 0}).json() == {"detail": "Page non valide."}
    assert client.get(url, {"page": 2}).status_code == 404
    # Only a whole number is a page: not empty, not « last », not what Python's int() would read.
    for page in ("", "last", "1_0", "1.0", " 1", "١"):
        response = client.get(url, {"page": page})
        assert (response.status_code, response.json()) == (404, {"detail": "Page non valide."}), page
    assert client.get(url, {"page": "1"}).status_code == 200
    assert client.get(url, {"delegation": ""}).json() == {"delegation": "Délégation inconnue."}
    detail = reverse("api-detail-contracts")
    refused = client.get(detail)
    assert (refused.status_code, refused["WWW-Authenticate"]) == (401, "Token")
    key = Token.objects.create(user=delegation_staff).key
    assert client.get(detail, HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    monkeypatch.setattr(api.PublicStatsThrottle, "THROTTLE_RATES", {"anon": "1/min"})
    cache.clear()  # the requests above were counted
    assert client.get(url).status_code == 200
    throttled = client.get(url)
    assert (throttled.status_code, throttled["Retry-After"]) == (429, "60")
    assert set(throttled.json()) == {"detail"}


def test_throttle_is_lifted_only_by_the_test_setting(client, settings, monkeypatch):
    assert settings.API_THROTTLE_LIFTED is False  # the project's value: production always throttles
    monkeypatch.setattr(api.PublicStatsThrottle, "THROTTLE_RATES", {"anon": "1/min"})
    url = reverse("api-studies-by-status")
    settings.API_THROTTLE_LIFTED = True
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    settings.API_THROTTLE_LIFTED = False
    assert [client.get(url).status_code for _ in range(2)] == [200, 429]
