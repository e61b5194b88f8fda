"""The detailed API: a per-user token, and exactly the rows the user sees in the interface."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from stats import services

pytestmark = pytest.mark.django_db


def _get(client, name, user=None, key=None, **params):
    headers = {}
    if user is not None:
        key = services.api_token_regenerate(user=user)
    if key is not None:
        headers["HTTP_AUTHORIZATION"] = f"Token {key}"
    return client.get(reverse(name), params, **headers)


@pytest.mark.parametrize("name", ["api-detail-contracts", "api-detail-sessions", "api-detail-collectivities"])
def test_detailed_endpoints_need_a_token(client, world, delegation_staff, name):
    assert _get(client, name).status_code == 401
    assert _get(client, name, key="faux-jeton").status_code == 401
    # A browser session is not a token: the cookie alone opens nothing (no CSRF question either).
    client.force_login(delegation_staff)
    assert client.get(reverse(name)).status_code == 401


def test_contracts_are_scoped_like_the_interface(
    client, world, delegation_staff, other_delegation_staff, national_staff
):
    mine = {c.reference for key, c in world.contracts.items() if key in "ABE"}
    body = _get(client, "api-detail-contracts", user=delegation_staff).json()
    assert {row["reference"] for row in body["results"]} == mine
    theirs = _get(client, "api-detail-contracts", user=other_delegation_staff).json()
    assert {row["reference"] for row in theirs["results"]} == {world.contracts["D"].reference, None}
    everyone = _get(client, "api-detail-contracts", user=national_staff).json()
    assert everyone["count"] == 5
    row = next(r for r in body["results"] if r["reference"] == world.contracts["A"].reference)
    assert row["parties"] == [world.communes["c1"].code]
    assert row["delegation"] == world.delegation.code


def test_hr_contact_and_speaker_see_no_contract(client, world, hr_contact, speaker_user):
    assert _get(client, "api-detail-contracts", user=hr_contact).json()["count"] == 0
    assert _get(client, "api-detail-contracts", user=speaker_user).json()["count"] == 0


def test_sessions_are_scoped_like_the_interface(client, world, delegation_staff, other_delegation_staff):
    mine = _get(client, "api-detail-sessions", user=delegation_staff).json()
    assert {row["delegation"] for row in mine["results"]} == {world.delegation.code}
    assert mine["count"] == 2
    theirs = _get(client, "api-detail-sessions", user=other_delegation_staff).json()
    assert theirs["count"] == 1


def test_collectivity_figures_of_a_department(client, world, delegation_staff, other_delegation_staff):
    department = world.delegation.departments.first().code
    rows = _get(client, "api-detail-collectivities", user=delegation_staff, department=department).json()["results"]
    assert {row["code"] for row in rows} >= {world.communes[k].code for k in ("c1", "c2", "c3", "c5")}
    # Another delegation's staff do not see this territory: the same question answers nothing.
    other = _get(client, "api-detail-collectivities", user=other_delegation_staff, department=department).json()
    assert other["count"] == 0
    response = _get(client, "api-detail-collectivities", user=delegation_staff)
    assert response.status_code == 400
    message = "Département inconnu : indiquez le code INSEE d'un département, par exemple 2A ou 69."
    assert response.json() == {"department": message}
    # A code the directory does not hold, or not written as it is (« 2a » for « 2A »), is refused alike.
    for code in ("99", department.lower() + "x"):
        response = _get(client, "api-detail-collectivities", user=delegation_staff, department=code)
        assert (response.status_code, response.json()) == (400, {"department": message})


def test_regenerating_a_token_revokes_the_previous_one(client, world, delegation_staff):
    first = services.api_token_regenerate(user=delegation_staff)
    second = services.api_token_regenerate(user=delegation_staff)
    assert first != second
    assert _get(client, "api-detail-contracts", key=first).status_code == 401
    assert _get(client, "api-detail-contracts", key=second).status_code == 200
    assert Token.objects.filter(user=delegation_staff).count() == 1


def test_token_page_shows_a_new_token_once(django_app, delegation_staff):
    page = django_app.get(reverse("stats:api_token"), user=delegation_staff)
    assert "Vous n'avez pas encore de jeton" in page.text
    response = page.forms["api-token"].submit()
    key = Token.objects.get(user=delegation_staff).key
    assert key in response.text
    # Shown once: the next visit says a token exists, without showing it.
    again = django_app.get(reverse("stats:api_token"), user=delegation_staff)
    assert key not in again.text
    assert "Un jeton est actif" in again.text
