"""ProConnect tests: the real provider (``provider.py``), the application pointed at it, and its people."""

from urllib.parse import urlsplit

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from partnership.models import AccessRequest, ProConnectIdentity, User
from tests.proconnect.provider import configure, oidc_provider, path_of  # noqa: F401 - the session fixture

TESTSERVER = "http://testserver"
# A commune's SIRET is its SIREN and the NIC of one establishment (the town hall's, here 00017).
NIC = "00017"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def proconnect(settings, oidc_provider):  # noqa: F811 - the fixture imported above
    """The application configured for the test provider, as ``PROCONNECT_*`` would in production."""
    configure(settings, oidc_provider, TESTSERVER)
    return oidc_provider


def start_login(client, *, next_url: str = "") -> str:
    """Click the button: the authorization URL the browser is sent to."""
    url = reverse("proconnect_login") + (f"?next={next_url}" if next_url else "")
    response = client.post(url)
    assert response.status_code == 302, response
    return response["Location"]


def proconnect_login(client, provider, email: str, *, next_url: str = ""):
    """The whole journey through the real provider; the response of our callback."""
    callback = provider.sign_in(start_login(client, next_url=next_url), email)
    assert callback.startswith(TESTSERVER + reverse("proconnect_callback")), callback
    return client.get(path_of(callback))


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def written() -> tuple[int, int, int, list]:
    """What a refused login must leave untouched: accounts, links, requests, and everyone's last login."""
    return (
        User.objects.count(),
        ProConnectIdentity.objects.count(),
        AccessRequest.objects.count(),
        list(User.objects.order_by("pk").values_list("pk", "last_login")),
    )


def location_path(response) -> str:
    return urlsplit(response["Location"]).path
