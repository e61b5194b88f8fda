"""ProConnect login against the real provider: the button, the authorization request, linking, logout."""

import pytest
from django.urls import reverse

from partnership.enums import Role
from partnership.models import ProConnectIdentity, User
from partnership.proconnect.errors import MESSAGES
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.proconnect.conftest import (
    TESTSERVER,
    location_path,
    logged_in_user_id,
    messages_of,
    proconnect_login,
    start_login,
    written,
)
from tests.proconnect.provider import path_of, query_of

pytestmark = pytest.mark.integration


def _person(provider, user, *, sub: str, email: str | None = None, siret: str = "21010001200017", acr: str = ""):
    provider.add_account(
        sub=sub,
        email=email or user.email,
        given_name=user.first_name,
        usual_name=user.last_name,
        siret=siret,
        acr=acr,
    )


# --- Without configuration ------------------------------------------------------------------------------


def test_without_settings_the_login_page_has_no_button_and_the_pages_do_not_exist(client, db, settings):
    settings.PROCONNECT_ISSUER = ""

    page = client.get(reverse("login")).content.decode()

    assert "S’identifier avec" not in page
    assert "proconnect" not in page.lower()
    assert client.post(reverse("proconnect_login")).status_code == 404
    assert client.get(reverse("proconnect_callback") + "?code=x&state=y").status_code == 404
    assert client.get(reverse("proconnect_access_request")).status_code == 404


# --- The button and the authorization request ----------------------------------------------------------------


def test_the_login_page_shows_proconnect_s_button_and_its_help_link(client, db, proconnect):
    response = client.get(reverse("login") + "?next=/contrats/")
    page = response.content.decode()

    assert (
        '<span class="proconnect-button-login">S’identifier avec</span> <span class="proconnect-button-brand">ProConnect</span>'
        in page
    )
    assert f'action="{reverse("proconnect_login")}?next=/contrats/"' in page
    assert (
        'href="https://www.proconnect.gouv.fr/" target="_blank" rel="noopener" title="Qu’est-ce que ProConnect ? - nouvelle fenêtre">Qu’est-ce que ProConnect&nbsp;?</a>'
        in page
    )
    # The button's form is redirected to ProConnect: the page's policy lets it go there, and nowhere else.
    assert response["Content-Security-Policy"].endswith(f"; form-action 'self' {proconnect.origin}")


def test_the_button_sends_an_authorization_request_with_pkce_state_and_nonce(client, db, proconnect, settings):
    location = start_login(client)
    query = query_of(location)

    assert location.startswith(proconnect.issuer + "/auth?")
    assert query["response_type"] == "code"
    assert query["client_id"] == settings.PROCONNECT_CLIENT_ID
    assert query["scope"] == "openid email given_name usual_name siret"
    assert query["redirect_uri"] == TESTSERVER + reverse("proconnect_callback")
    assert query["code_challenge_method"] == "S256"
    assert len(query["state"]) >= 32 and len(query["nonce"]) >= 32
    stored = client.session["oidc_states"][query["state"]]
    assert stored["nonce"] == query["nonce"]
    assert len(stored["code_verifier"]) == 64
    assert set(query) == {
        "response_type",
        "scope",
        "client_id",
        "redirect_uri",
        "state",
        "nonce",
        "code_challenge",
        "code_challenge_method",
    }


def test_an_unreachable_provider_is_said_in_french_on_the_login_page(client, db, settings):
    settings.PROCONNECT_ISSUER = "http://127.0.0.1:9/api/v2"  # the discard port: nobody listens
    settings.PROCONNECT_CLIENT_ID = "client"
    settings.PROCONNECT_CLIENT_SECRET = "secret"

    response = client.post(reverse("proconnect_login"))

    assert location_path(response) == reverse("login")
    assert messages_of(response) == [MESSAGES["unavailable"]]


# --- Linking, never guessing -------------------------------------------------------------------------------


def test_a_first_login_links_the_active_account_of_that_e_mail_then_logins_go_by_sub(
    client, delegation_staff, proconnect
):
    _person(proconnect, delegation_staff, sub="sub-agent-1")

    response = proconnect_login(client, proconnect, delegation_staff.email)

    assert response.status_code == 302 and location_path(response) == reverse("todo")
    assert int(logged_in_user_id(client)) == delegation_staff.pk
    identity = ProConnectIdentity.objects.get()
    assert (identity.user, identity.sub, identity.siret) == (delegation_staff, "sub-agent-1", "21010001200017")
    assert client.session["_auth_user_backend"] == "partnership.proconnect.backend.ProConnectBackend"
    assert client.session["proconnect_acr"] == "eidas1"
    assert client.session["proconnect_id_token"].count(".") == 2
    # The same identity with another e-mail at ProConnect still opens the same account: the sub decides.
    client.logout()
    _person(proconnect, delegation_staff, sub="sub-agent-1", email="nouvelle.adresse@cnfpt.example")
    response = proconnect_login(client, proconnect, "nouvelle.adresse@cnfpt.example")
    assert int(logged_in_user_id(client)) == delegation_staff.pk
    assert ProConnectIdentity.objects.count() == 1
    # And the old address no longer matters once linked.
    assert User.objects.get(pk=delegation_staff.pk).email == delegation_staff.email


def test_the_login_returns_to_the_page_asked_for(client, delegation_staff, proconnect):
    _person(proconnect, delegation_staff, sub="sub-agent-next")

    response = proconnect_login(client, proconnect, delegation_staff.email, next_url="/contrats/")

    assert response["Location"] == "/contrats/"


def test_a_next_url_elsewhere_is_ignored(client, delegation_staff, proconnect):
    _person(proconnect, delegation_staff, sub="sub-agent-elsewhere")

    response = proconnect_login(client, proconnect, delegation_staff.email, next_url="https://ailleurs.example/")

    assert response["Location"] == reverse("todo")


def test_a_deactivated_account_is_refused_and_nothing_is_written(client, hr_contact, proconnect):
    User.objects.filter(pk=hr_contact.pk).update(is_active=False)
    _person(proconnect, hr_contact, sub="sub-desactive")
    before = written()

    response = proconnect_login(client, proconnect, hr_contact.email)

    assert location_path(response) == reverse("login")
    assert messages_of(response) == [MESSAGES["inactive"]]
    assert logged_in_user_id(client) is None
    assert written() == before


def test_a_linked_account_deactivated_later_is_refused_and_its_sessions_stop(client, hr_contact, proconnect):
    _person(proconnect, hr_contact, sub="sub-puis-desactive")
    proconnect_login(client, proconnect, hr_contact.email)
    assert client.get(reverse("account")).status_code == 200

    User.objects.filter(pk=hr_contact.pk).update(is_active=False)

    assert location_path(client.get(reverse("account"))) == reverse("login")
    other = client.__class__()
    response = proconnect_login(other, proconnect, hr_contact.email)
    assert messages_of(response) == [MESSAGES["inactive"]]
    assert logged_in_user_id(other) is None


def test_an_account_linked_to_another_identity_is_refused(client, hr_contact, proconnect):
    ProConnectIdentity.objects.create(user=hr_contact, sub="sub-d-origine")
    _person(proconnect, hr_contact, sub="sub-nouveau")
    before = written()

    response = proconnect_login(client, proconnect, hr_contact.email)

    assert messages_of(response) == [MESSAGES["linked_elsewhere"]]
    assert logged_in_user_id(client) is None
    assert written() == before


def test_an_unknown_person_gets_no_account_but_is_offered_to_ask(client, db, proconnect):
    proconnect.add_account(
        sub="sub-inconnu", email="inconnu@mairie.example", given_name="Ivan", usual_name="Inconnu", siret="1" * 14
    )
    before = written()

    response = proconnect_login(client, proconnect, "inconnu@mairie.example")

    assert location_path(response) == reverse("proconnect_access_request")
    assert logged_in_user_id(client) is None
    assert written() == before
    assert client.session["proconnect_pending_identity"]["sub"] == "sub-inconnu"


def test_cancelling_at_proconnect_logs_nobody_in(client, db, proconnect):
    state = query_of(start_login(client))["state"]

    response = client.get(reverse("proconnect_callback"), {"error": "access_denied", "state": state})

    assert messages_of(response) == [MESSAGES["cancelled"]]
    assert state not in client.session["oidc_states"]
    assert logged_in_user_id(client) is None


# --- Logout -------------------------------------------------------------------------------------------------


def test_logout_ends_the_proconnect_session_too(client, delegation_staff, proconnect):
    _person(proconnect, delegation_staff, sub="sub-deconnexion")
    proconnect_login(client, proconnect, delegation_staff.email)
    id_token = client.session["proconnect_id_token"]

    response = client.post(reverse("logout"))

    assert logged_in_user_id(client) is None
    end_session = response["Location"]
    query = query_of(end_session)
    assert end_session.startswith(proconnect.issuer + "/session/end?")
    assert query["id_token_hint"] == id_token
    assert query["post_logout_redirect_uri"] == TESTSERVER + reverse("proconnect_logout_callback")
    back = proconnect.end_session(end_session)
    assert query_of(back)["state"] == query["state"]
    response = client.get(path_of(back))
    assert response["Location"] == reverse("home")
    assert messages_of(response) == ["Vous êtes déconnecté(e), de ProConnect aussi."]


def test_logout_after_a_password_login_stays_here(client, delegation_staff, proconnect):
    client.force_login(delegation_staff)

    response = client.post(reverse("logout"))

    assert response["Location"] == reverse("home")


# --- Policy: staff use ProConnect; passwords stay for the others ---------------------------------------------


def _password_login(client, user):
    return client.post(reverse("login"), {"username": user.email, "password": DEFAULT_PASSWORD})


def test_with_the_policy_staff_cannot_log_in_with_a_password(client, delegation_staff, proconnect, settings):
    settings.PROCONNECT_REQUIRED_FOR_STAFF = True

    response = _password_login(client, delegation_staff)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Les agents du CNFPT et de l'AMF se connectent avec ProConnect\u00a0: utilisez le bouton « S'identifier avec "
        "ProConnect »."
    ]
    assert logged_in_user_id(client) is None


def test_with_the_policy_staff_still_log_in_with_proconnect(client, delegation_staff, proconnect, settings):
    settings.PROCONNECT_REQUIRED_FOR_STAFF = True
    _person(proconnect, delegation_staff, sub="sub-politique")

    proconnect_login(client, proconnect, delegation_staff.email)

    assert int(logged_in_user_id(client)) == delegation_staff.pk


def test_with_the_policy_a_collectivity_s_password_login_and_reset_keep_working(
    client, hr_contact, proconnect, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.PROCONNECT_REQUIRED_FOR_STAFF = True

    response = _password_login(client, hr_contact)
    assert location_path(response) == reverse("todo")
    client.logout()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": hr_contact.email})
    assert [message.to for message in mailoutbox] == [[hr_contact.email]]


def test_without_the_policy_staff_keep_their_password(client, delegation_staff, proconnect):
    assert location_path(_password_login(client, delegation_staff)) == reverse("todo")


def test_the_policy_spares_superusers_the_way_in_when_proconnect_is_down(client, db, proconnect, settings):
    settings.PROCONNECT_REQUIRED_FOR_STAFF = True
    admin = UserFactory(role=Role.NATIONAL_STAFF, is_staff=True, is_superuser=True)

    assert location_path(_password_login(client, admin)) == reverse("todo")


def test_a_password_form_posted_with_a_code_never_starts_a_code_exchange(client, delegation_staff, proconnect):
    """The backend answers only the callback view: credentials alone never reach the token endpoint."""
    state = query_of(start_login(client))["state"]

    response = client.post(
        reverse("login") + f"?code=volé&state={state}", {"username": delegation_staff.email, "password": "faux"}
    )

    assert response.status_code == 200
    assert logged_in_user_id(client) is None
    assert state in client.session["oidc_states"]
