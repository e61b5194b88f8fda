"""Red team: what an attacker or a misbehaving provider sends back is refused, each with its French message,
nobody logged in and nothing written.

The answers come from the real provider; where an attack needs it to misbehave (a token expired, signed
with another key, ``alg: none``, for another audience, with another nonce, a userinfo about someone else or
unsigned), its test switch makes the next response do so, once (``tests/oidc/provider.mjs``).
"""

import pytest
from django.test import Client
from django.urls import reverse

from partnership.proconnect.errors import MESSAGES
from tests.proconnect.conftest import location_path, logged_in_user_id, messages_of, start_login, written
from tests.proconnect.provider import path_of, query_of

pytestmark = pytest.mark.integration


@pytest.fixture
def person(delegation_staff, proconnect):
    """An existing account ProConnect knows: an attack that got through would log into it."""
    proconnect.add_account(
        sub="sub-cible",
        email=delegation_staff.email,
        given_name=delegation_staff.first_name,
        usual_name=delegation_staff.last_name,
        siret="18004356400018",
    )
    return delegation_staff


def _assert_refused(client, response, code: str, before) -> None:
    assert response.status_code == 302
    assert location_path(response) == reverse("login")
    assert messages_of(response) == [MESSAGES[code]]
    assert logged_in_user_id(client) is None
    assert "proconnect_id_token" not in client.session
    assert "proconnect_pending_identity" not in client.session
    assert written() == before


def _callback(client, proconnect, person) -> str:
    return proconnect.sign_in(start_login(client), person.email)


def test_a_wrong_state_is_refused(client, person, proconnect):
    callback = _callback(client, proconnect, person)
    query = query_of(callback)
    before = written()

    response = client.get(reverse("proconnect_callback"), {"code": query["code"], "state": "un-etat-forge-" + "x" * 32})

    _assert_refused(client, response, "state", before)


def test_a_callback_from_another_browser_is_refused(client, person, proconnect):
    """The victim's browser never started this login: a code injected into it opens nothing (login CSRF)."""
    callback = _callback(Client(), proconnect, person)
    before = written()

    response = client.get(path_of(callback))

    _assert_refused(client, response, "state", before)


def test_a_replayed_callback_is_refused(client, person, proconnect):
    callback = _callback(client, proconnect, person)
    assert location_path(client.get(path_of(callback))) == reverse("todo")
    client.logout()
    before = written()

    response = client.get(path_of(callback))

    _assert_refused(client, response, "state", before)


def test_a_replayed_code_with_a_fresh_state_is_refused_by_the_provider(client, person, proconnect):
    """The code already served: even carried with a state this browser did start, the provider refuses it
    (a code is single-use, and bound to the first login's PKCE verifier)."""
    callback = _callback(client, proconnect, person)
    assert location_path(client.get(path_of(callback))) == reverse("todo")
    used = query_of(callback)["code"]
    client.logout()
    fresh_state = query_of(start_login(client))["state"]
    before = written()

    response = client.get(reverse("proconnect_callback"), {"code": used, "state": fresh_state})

    _assert_refused(client, response, "code", before)


@pytest.mark.parametrize(
    ("mode", "code"),
    [
        ("wrong-nonce", "nonce"),
        ("expired", "expired"),
        ("wrong-key", "signature"),
        ("alg-none", "signature"),
        ("wrong-audience", "audience"),
        ("userinfo-other-sub", "userinfo_sub"),
        ("userinfo-unsigned", "userinfo_unsigned"),
    ],
)
def test_a_misbehaving_provider_is_refused(client, person, proconnect, mode, code):
    callback = _callback(client, proconnect, person)
    proconnect.misbehave(mode)
    before = written()

    response = client.get(path_of(callback))

    _assert_refused(client, response, code, before)


def test_a_nonce_other_than_this_login_s_is_refused(client, person, proconnect):
    """The same check seen from our side: the nonce kept for this login is not the one ProConnect signed."""
    callback = _callback(client, proconnect, person)
    session = client.session
    session["oidc_states"][query_of(callback)["state"]]["nonce"] = "un-autre-nonce-" + "y" * 32
    session.save()
    before = written()

    response = client.get(path_of(callback))

    _assert_refused(client, response, "nonce", before)


def test_an_unknown_person_s_identity_is_kept_only_once_every_check_passed(client, db, proconnect):
    """The access request starts from verified claims only: a forged userinfo leaves no identity behind."""
    proconnect.add_account(
        sub="sub-usurpe", email="usurpe@mairie.example", given_name="U", usual_name="Surpé", siret="2" * 14
    )
    callback = proconnect.sign_in(start_login(client), "usurpe@mairie.example")
    proconnect.misbehave("userinfo-other-sub")
    before = written()

    response = client.get(path_of(callback))

    _assert_refused(client, response, "userinfo_sub", before)
