"""The open statistics API: aggregates only, no personal data, whatever the rows behind them."""

import json

import pytest
import yaml
from django.test import Client
from django.urls import URLResolver, get_resolver


def api_paths() -> list[str]:
    """Every JSON endpoint under /api/v1/, found in the URL conf (a new endpoint is checked automatically)."""

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif route.startswith("api/v1/detail/"):
                continue  # per-user token, the interface's scope: tests/stats/test_api_tokens.py
            elif route.startswith("api/v1/"):
                # Table Schemas: one dataset stands for all (they describe columns, never rows).
                yield "/" + route.replace("<slug:key>", "contracts")

    return sorted(walk(get_resolver().url_patterns, ""))


def personal_values(world, users) -> set[str]:
    values = {user.email for user in users} | {user.last_name for user in users}
    values |= {world.registration.email, world.registration.last_name, world.event_registration.email}
    values |= {world.event_registration.last_name, world.speaker.email, world.speaker.last_name}
    values |= {world.signature_request.signer_email, world.signature_request.signer_name}
    values |= {world.internship.student_name}
    values |= {party.signatory_email for party in world.contract.parties.all()}
    return {value for value in values if value}


def json_keys(node) -> set[str]:
    if isinstance(node, dict):
        return set(node).union(*(json_keys(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(json_keys(value) for value in node))
    return set()


PERSONAL_KEYS = {"email", "first_name", "last_name", "phone", "signer_name", "signatory_name", "student_name", "name"}


def test_api_endpoints_expose_no_personal_data(world, delegation_staff, signatory, hr_contact, speaker_user):
    paths = api_paths()
    if not paths:
        pytest.skip("pas encore d'API ouverte")
    secrets = personal_values(world, [delegation_staff, signatory, hr_contact, speaker_user])
    anonymous = Client()
    for path in paths:
        response = anonymous.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        leaked = sorted(value for value in secrets if value in body)
        assert leaked == [], f"{path} expose {leaked}"
        assert json_keys(json.loads(body)) & (PERSONAL_KEYS - {"name"}) == set(), path


def test_api_schema_declares_no_personal_field(db):
    paths = api_paths()
    if not paths:
        pytest.skip("pas encore d'API ouverte")
    schema = Client().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    properties = set()
    document = json.loads(schema.content) if schema["Content-Type"].startswith("application/json") else None
    if document is None:
        document = yaml.safe_load(schema.content)
    for component in document.get("components", {}).get("schemas", {}).values():
        properties |= set(component.get("properties", {}))
    assert properties & (PERSONAL_KEYS - {"name"}) == set()
