"""The open statistics API: exact aggregates, no personal data, throttling, a valid schema, constant queries."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from agreements.models import ContractParty
from events.models import EventRegistration, Speaker
from stats import api
from trainings.models import Registration

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "api-contracts-by-status",
    "api-contracts-by-delegation",
    "api-contracts-by-start-year",
    "api-trainee-days-planned-by-year",
    "api-coverage-regions",
    "api-coverage-departments",
    "api-trainee-days-by-theme",
    "api-trainee-days-by-scheme",
    "api-trainees-by-category",
    "api-events-by-kind",
    "api-speakers-by-theme",
    "api-speakers-by-region",
    "api-internships-by-status",
    "api-studies-by-status",
    "api-exports-by-dataset",
]
PERSONAL_KEYS = {"email", "first_name", "last_name", "full_name", "student_name", "signatory_name", "phone", "tutor"}


def _results(client, name, **params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_contracts_by_status(client, world):
    assert {r["status"]: r["count"] for r in _results(client, "api-contracts-by-status")} == {
        "ready_for_signature": 1,
        "signed_by_collectivity": 0,
        "signed": 0,
        "active": 3,
        "expired": 0,
        "terminated": 0,
    }


def test_contracts_by_status_of_one_delegation(client, world):
    rows = _results(client, "api-contracts-by-status", delegation=world.delegation.code)
    assert {r["status"]: r["count"] for r in rows}["active"] == 2


def test_unknown_delegation_is_a_clear_error(client, world):
    response = client.get(reverse("api-contracts-by-status"), {"delegation": "nulle-part"})
    assert response.status_code == 400
    assert response.json() == {"delegation": "Délégation inconnue."}


def test_coverage_by_department_counts_epci_members(client, world):
    department = world.delegation.departments.get()
    rows = {r["code"]: r for r in _results(client, "api-coverage-departments")}
    assert rows[department.code] == {
        "code": department.code,
        "name": department.name,
        "region": department.region.name,
        "communes": 4,
        "covered_communes": 3,
        "share_communes": 75.0,
        "population": 11000,
        "covered_population": 6000,
        "share_population": 54.5,
    }


def test_coverage_by_region(client, world):
    rows = {r["code"]: r for r in _results(client, "api-coverage-regions")}
    assert rows[world.other_delegation.region.code]["covered_communes"] == 1
    assert rows[world.other_delegation.region.code]["share_population"] == 13.0


def test_trainee_days_and_trainees(client, world):
    rows = {r["theme"]: r for r in _results(client, "api-trainee-days-by-theme")}
    plan = next(r for r in rows.values() if r["planned_trainee_days"])
    assert plan["planned_trainee_days"] == 90.0
    assert plan["delivered_trainee_days"] == 1.5
    assert plan["completion"] == 1.7
    assert _results(client, "api-trainee-days-by-scheme")[0]["delivered_trainee_days"] == 3.0
    assert [
        (r["category"], r["trainees"], r["trainee_days"]) for r in _results(client, "api-trainees-by-category")
    ] == [
        ("A", 2, 1.0),
        ("B", 0, 0.0),
        ("C", 2, 2.0),
    ]


def test_events_speakers_and_axis_5(client, world):
    seminar = next(r for r in _results(client, "api-events-by-kind") if r["kind"] == "seminar")
    assert seminar == {
        "kind": "seminar",
        "label": "Séminaire",
        "events": 1,
        "participants": 2,
        "waitlisted": 1,
        "attended": 1,
        "satisfaction": 4.0,
    }
    health = next(r for r in _results(client, "api-speakers-by-theme") if r["theme"] == "occupational_health")
    assert (health["speakers"], health["event_interventions"]) == (2, 2)
    region = next(r for r in _results(client, "api-speakers-by-region") if r["code"] == world.delegation.region.code)
    assert (region["speakers"], region["event_interventions"], region["training_interventions"]) == (1, 2, 1)
    assert {r["status"]: r["count"] for r in _results(client, "api-internships-by-status")}["planned"] == 2
    assert {r["status"]: r["count"] for r in _results(client, "api-studies-by-status")}["delivered"] == 1


def test_lists_are_paginated(client, world):
    body = client.get(reverse("api-contracts-by-status")).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 6


@pytest.mark.parametrize("name", ENDPOINTS)
def test_no_personal_data_in_responses(client, world, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    keys = set()
    for row in response.json()["results"]:
        keys |= set(row)
    assert not keys & PERSONAL_KEYS
    body = response.content.decode()
    people = [
        *EventRegistration.objects.values_list("email", "last_name"),
        *Registration.objects.values_list("email", "last_name"),
        *Speaker.objects.values_list("email", "last_name"),
        *ContractParty.objects.values_list("signatory_email", "signatory_name"),
    ]
    for email, name_ in people:
        assert email not in body
        assert name_ not in body
    assert "@" not in body


def test_api_needs_no_account_and_sets_no_cookie(client, world):
    response = client.get(reverse("api-events-by-kind"))
    assert response.status_code == 200
    assert not response.cookies


def test_anonymous_clients_are_throttled(client, monkeypatch):
    monkeypatch.setattr(api.PublicStatsThrottle, "THROTTLE_RATES", {"anon": "2/min"})
    url = reverse("api-studies-by-status")
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]


def test_schema_is_valid(tmp_path):
    path = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    schema = path.read_text()
    assert "/api/v1/coverage/departments/" in schema
    assert "Communes parties à un contrat en vigueur" in schema


def test_documentation_page_respects_the_content_security_policy(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    # Every script is a file served by the app (Swagger UI from the sidecar, the initialiser by the split view).
    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts
    assert all("src=" in attributes for attributes in scripts)
    assert "cdn" not in page.lower()
    initialiser = client.get(reverse("api-docs"), {"script": ""})
    assert initialiser.status_code == 200
    assert "SwaggerUIBundle" in initialiser.content.decode()


QUERIES = {
    "api-contracts-by-status": 1,
    "api-contracts-by-delegation": 1,
    "api-contracts-by-start-year": 1,
    "api-trainee-days-planned-by-year": 1,
    "api-coverage-regions": 2,
    "api-coverage-departments": 2,
    "api-trainee-days-by-theme": 3,
    "api-trainee-days-by-scheme": 2,
    "api-trainees-by-category": 1,
    "api-events-by-kind": 1,
    "api-speakers-by-theme": 2,
    "api-speakers-by-region": 4,
    "api-internships-by-status": 1,
    "api-studies-by-status": 1,
    "api-exports-by-dataset": 1,
}


@pytest.mark.parametrize("name", ENDPOINTS)
def test_query_count_does_not_grow_with_the_data(client, world, grow, django_assert_num_queries, name):
    url = reverse(name)
    with django_assert_num_queries(QUERIES[name]):
        assert client.get(url).status_code == 200
    grow(world, 4)
    with django_assert_num_queries(QUERIES[name]):
        assert client.get(url).status_code == 200
