"""One client address for every throttle: what the trusted proxy appended to X-Forwarded-For, never what a
client writes there itself (``partnership.auth.client_ip``, ``TRUSTED_PROXY_COUNT``)."""

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from agreements.signing.services import sending
from partnership.auth import client_ip
from stats import api
from tests.agreements.factories import make_contract
from tests.agreements.signing_helpers import link_token_for, portal
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"  # REMOTE_ADDR: the production reverse proxy


def _through_the_proxy(forged: str, client: str = "198.51.100.7") -> dict:
    """What the proxy passes on when ``client`` sends ``X-Forwarded-For: forged``: it appends the client."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{forged}, {client}"}


@pytest.fixture
def production_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1  # the documented deployment: one reverse proxy
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9, 198.51.100.7", PROXY),  # development: no proxy, the header is anyone's
        (1, "", PROXY),  # a request that did not come through the proxy
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "203.0.113.9, 198.51.100.7", "198.51.100.7"),
        (2, "203.0.113.9, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (2, "198.51.100.7", "198.51.100.7"),
    ],
)
def test_client_ip_is_what_the_outermost_trusted_proxy_appended(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR=PROXY, **headers)) == expected


def test_api_throttle_counts_a_client_forging_x_forwarded_for_as_one(client, production_proxy, monkeypatch):
    monkeypatch.setattr(api.PublicStatsThrottle, "THROTTLE_RATES", {"anon": "5/min"})
    url = reverse("api-studies-by-status")
    statuses = [client.get(url, **_through_the_proxy(f"203.0.113.{n}")).status_code for n in range(7)]
    assert statuses == [200] * 5 + [429, 429]
    # Another client behind the same proxy has its own count.
    assert client.get(url, **_through_the_proxy("203.0.113.99", client="198.51.100.8")).status_code == 200


def test_signing_portal_code_limit_counts_a_client_forging_x_forwarded_for_as_one(
    client, production_proxy, delegation, delegation_staff, commune, django_capture_on_commit_callbacks
):
    delegate = UserFactory(role="delegation_staff", delegation=delegation, function="Délégué régional")
    contract = make_contract(actor=delegation_staff, collectivities=[commune], delegate=delegate)
    with django_capture_on_commit_callbacks(execute=True):
        sending.contract_send_for_signature(contract=contract, actor=delegation_staff)
    token = link_token_for(contract.signature_requests.get(party__collectivity=commune).signer_email)
    refused = "Trop de demandes de code depuis votre connexion. Réessayez dans une heure."

    def ask(forged: str, **kwargs) -> str:
        """The message the page shows next (messages pile up until a page is rendered: the newest)."""
        response = client.post(portal(token, "send_code"), **_through_the_proxy(forged, **kwargs))
        return [str(message) for message in get_messages(response.wsgi_request)][-1]

    for n in range(20):  # the portal's limit: 20 code requests an hour per address
        assert ask(f"203.0.113.{n}") != refused
    assert ask("203.0.113.200") == refused
    assert ask("203.0.113.201", client="198.51.100.8") != refused


def test_login_failures_count_a_client_forging_x_forwarded_for_as_one(client, production_proxy, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for n in range(3):  # three accounts, three forged addresses: one client
        client.post(
            "/connexion/",
            {"username": f"agent{n}@example.fr", "password": "faux"},
            **_through_the_proxy(f"203.0.113.{n}"),
        )
    response = client.post(
        "/connexion/", {"username": "autre@example.fr", "password": "faux"}, **_through_the_proxy("203.0.113.50")
    )
    assert "Trop de tentatives de connexion échouées" in response.content.decode()
