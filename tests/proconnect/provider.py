"""The real OpenID Connect provider of the tests: ``tests/oidc/provider.mjs`` (node oidc-provider), one process
per test process, started on a free port by a session fixture and stopped with it.

Its packages come from ``tests/oidc/package-lock.json`` (``make test`` runs ``npm ci`` there); a clean clone
run with ``pytest`` alone installs them here, once, under a lock. Without Node or npm the tests fail, loudly:
they never skip.
"""

import fcntl
import re
import selectors
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from django.core.cache import cache
from django.urls import reverse

NODE_DIR = Path(__file__).resolve().parents[1] / "oidc"
START_TIMEOUT_SECONDS = 30


def ensure_node_modules() -> None:
    if (NODE_DIR / "node_modules" / "oidc-provider" / "package.json").is_file():
        return
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.fail(
            "Le fournisseur OpenID Connect des tests demande Node.js 20.19+ et npm (apt-get install nodejs npm)."
        )
    with open(NODE_DIR / ".npm-ci.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # several test processes may start at once
        if (NODE_DIR / "node_modules" / "oidc-provider" / "package.json").is_file():
            return
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"], cwd=NODE_DIR, capture_output=True, text=True, timeout=600
        )
        if result.returncode != 0:
            pytest.fail(f"npm ci a échoué dans {NODE_DIR} :\n{result.stdout}\n{result.stderr}")


@dataclass
class OidcProvider:
    """The running provider: its issuer, the clients registered for each server, and test controls."""

    issuer: str
    process: subprocess.Popen
    log: Path
    clients: dict = field(default_factory=dict)

    @property
    def origin(self) -> str:
        parts = urlsplit(self.issuer)
        return f"{parts.scheme}://{parts.netloc}"

    def client_for(self, base_url: str) -> tuple[str, str]:
        """A client registered (RFC 7591) with the redirect URIs of the server at ``base_url``, like the partner
        space's form of ProConnect: client_secret_post, RS256 ID token and userinfo."""
        if base_url not in self.clients:
            response = requests.post(
                self.issuer + "/reg",
                json={
                    "client_name": "Partenariat CNFPT – AMF (tests)",
                    "redirect_uris": [base_url + reverse("proconnect_callback")],
                    "post_logout_redirect_uris": [base_url + reverse("proconnect_logout_callback")],
                    "response_types": ["code"],
                    "grant_types": ["authorization_code"],
                    "token_endpoint_auth_method": "client_secret_post",
                    "id_token_signed_response_alg": "RS256",
                    "userinfo_signed_response_alg": "RS256",
                },
                timeout=10,
            )
            assert response.status_code == 201, response.text
            self.clients[base_url] = (response.json()["client_id"], response.json()["client_secret"])
        return self.clients[base_url]

    def add_account(self, *, sub: str, email: str, given_name: str, usual_name: str, siret: str, acr: str = ""):
        account = {"sub": sub, "email": email, "given_name": given_name, "usual_name": usual_name, "siret": siret}
        if acr:
            account["acr"] = acr
        response = requests.post(self.origin + "/_test/accounts", json=account, timeout=10)
        assert response.status_code == 204, response.text

    def misbehave(self, mode: str) -> None:
        """The next ID token (or userinfo) misbehaves once, as ``mode`` says (see ``provider.mjs``)."""
        response = requests.post(self.origin + "/_test/misbehave", json={"mode": mode}, timeout=10)
        assert response.status_code == 204, response.text

    def sign_in(self, authorize_url: str, email: str, *, browser: requests.Session | None = None) -> str:
        """Play the person at the provider: open the authorization URL, type the e-mail, and return the URL
        the provider sends the browser back to (our redirect URI, with ``code`` and ``state``)."""
        browser = browser or requests.Session()
        url = authorize_url
        for _ in range(10):
            if not url.startswith(self.origin):
                return url
            response = browser.get(url, allow_redirects=False, timeout=10)
            if response.status_code == 200 and "/_interaction/" in url:
                response = browser.post(url, data={"email": email}, allow_redirects=False, timeout=10)
            assert response.status_code in (302, 303), f"{url} → {response.status_code} {response.text[:500]}"
            url = urljoin(url, response.headers["Location"])
        raise AssertionError("trop de redirections chez le fournisseur")

    def end_session(self, end_session_url: str) -> str:
        """Follow ProConnect's logout (its page submits itself) and return where it sends the browser back."""
        browser = requests.Session()
        response = browser.get(end_session_url, allow_redirects=False, timeout=10)
        assert response.status_code == 200, response.text[:500]
        action = re.search(r'<form[^>]*action="([^"]+)"', response.text).group(1)
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', response.text))
        response = browser.post(
            urljoin(end_session_url, action), data={**fields, "logout": "yes"}, allow_redirects=False, timeout=10
        )
        assert response.status_code in (302, 303), response.text[:500]
        return urljoin(end_session_url, response.headers["Location"])


def start_provider(tmp_dir: Path) -> OidcProvider:
    ensure_node_modules()
    log = tmp_dir / "oidc-provider.log"
    with open(log, "w") as stderr:
        process = subprocess.Popen(
            ["node", "provider.mjs"],
            cwd=NODE_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    line = ""
    while time.monotonic() < deadline and not line.startswith("READY "):
        if not selector.select(timeout=max(deadline - time.monotonic(), 0)):
            break
        line = process.stdout.readline()
        if not line:
            break
    selector.close()
    if not line.startswith("READY "):
        process.kill()
        pytest.fail(f"Le fournisseur OpenID Connect des tests n'a pas démarré :\n{log.read_text()}")
    return OidcProvider(issuer=line.split()[1], process=process, log=log)


def stop_provider(provider: OidcProvider) -> None:
    provider.process.stdin.close()  # the script exits when its standard input closes
    try:
        provider.process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        provider.process.kill()
        provider.process.wait(timeout=5)


@pytest.fixture(scope="session")
def oidc_provider():
    with tempfile.TemporaryDirectory(prefix="oidc-provider-") as tmp:
        provider = start_provider(Path(tmp))
        yield provider
        stop_provider(provider)


def configure(settings, provider: OidcProvider, base_url: str) -> None:
    """Point the application at the test provider, as the three production variables would."""
    client_id, client_secret = provider.client_for(base_url)
    settings.PROCONNECT_ISSUER = provider.issuer
    settings.PROCONNECT_CLIENT_ID = client_id
    settings.PROCONNECT_CLIENT_SECRET = client_secret
    cache.clear()  # the discovery document of a previous configuration


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
