"""ProConnect's configuration: whether it is on, its discovery document, and the settings mozilla-django-oidc reads.

The endpoints are never configured by hand: they come from ``<PROCONNECT_ISSUER>/.well-known/openid-configuration``,
read at the first login and kept in the shared cache (``PROCONNECT_DISCOVERY_CACHE_SECONDS``), so that every
web process agrees and none keeps state of its own. The document must name the configured issuer (OpenID
Connect Discovery 1.0, § 4.3): a document served for another issuer is refused.
"""

import hashlib
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.cache import cache

REQUIRED_ENDPOINTS = (
    "authorization_endpoint",
    "token_endpoint",
    "userinfo_endpoint",
    "jwks_uri",
    "end_session_endpoint",
)


class ProviderUnavailable(Exception):
    """ProConnect could not be reached, or answered with something that is not its discovery document."""


def is_enabled() -> bool:
    """ProConnect is configured (the three variables go together, ``partnership.settings`` checks it)."""
    return bool(settings.PROCONNECT_ISSUER)


def issuer_origin() -> str:
    """``https://host[:port]`` of the issuer: the one origin the login and logout forms may be redirected to."""
    parts = urlsplit(settings.PROCONNECT_ISSUER)
    return f"{parts.scheme}://{parts.netloc}"


def _cache_key() -> str:
    return "proconnect:discovery:" + hashlib.sha256(settings.PROCONNECT_ISSUER.encode()).hexdigest()


def discovery() -> dict:
    """The provider's metadata, from the cache or fetched; ``ProviderUnavailable`` when it cannot be had."""
    document = cache.get(_cache_key())
    if document is not None:
        return document
    url = settings.PROCONNECT_ISSUER + "/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.PROCONNECT_HTTP_TIMEOUT_SECONDS)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(f"discovery failed: {exc!r}") from exc
    if not isinstance(document, dict) or document.get("issuer") != settings.PROCONNECT_ISSUER:
        raise ProviderUnavailable("the discovery document names another issuer")
    missing = [name for name in REQUIRED_ENDPOINTS if not document.get(name)]
    if missing:
        raise ProviderUnavailable(f"the discovery document lacks {', '.join(missing)}")
    cache.set(_cache_key(), document, timeout=settings.PROCONNECT_DISCOVERY_CACHE_SECONDS)
    return document


def forget_discovery() -> None:
    cache.delete(_cache_key())


# What mozilla-django-oidc asks ``get_settings`` for, answered from the discovery document and our settings
# rather than from ``OIDC_*`` settings of its own.
_DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


def _fixed() -> dict:
    return {
        "OIDC_RP_CLIENT_ID": settings.PROCONNECT_CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": settings.PROCONNECT_CLIENT_SECRET,
        "OIDC_RP_SIGN_ALGO": settings.PROCONNECT_SIGN_ALGO,
        "OIDC_RP_IDP_SIGN_KEY": None,
        "OIDC_RP_SCOPES": settings.PROCONNECT_SCOPES,
        "OIDC_USE_NONCE": True,
        "OIDC_USE_PKCE": True,
        "OIDC_PKCE_CODE_CHALLENGE_METHOD": "S256",
        "OIDC_PKCE_CODE_VERIFIER_SIZE": 64,
        # ProConnect wants at least 32 characters of state and nonce.
        "OIDC_STATE_SIZE": 43,
        "OIDC_NONCE_SIZE": 43,
        "OIDC_VERIFY_SSL": True,
        "OIDC_VERIFY_KID": True,
        "OIDC_ALLOW_UNSECURED_JWT": False,
        "OIDC_TIMEOUT": settings.PROCONNECT_HTTP_TIMEOUT_SECONDS,
        "OIDC_PROXY": None,
        "OIDC_TOKEN_USE_BASIC_AUTH": False,  # ProConnect authenticates clients by client_secret_post
        "OIDC_AUTHENTICATION_CALLBACK_URL": "proconnect_callback",
        "OIDC_REDIRECT_FIELD_NAME": "next",
        "OIDC_REDIRECT_ALLOWED_HOSTS": [],
        # ProConnect refuses any authorization parameter it does not list.
        "OIDC_AUTH_REQUEST_EXTRA_PARAMS": {},
        "OIDC_MAX_STATES": 50,
        "OIDC_STORE_ACCESS_TOKEN": False,
        "OIDC_STORE_ID_TOKEN": False,
    }


_MISSING = object()


def oidc_setting(name: str, default=_MISSING):
    """mozilla-django-oidc's ``get_settings``: discovered endpoints, our fixed choices, then Django's settings."""
    if name in _DISCOVERED:
        return discovery()[_DISCOVERED[name]]
    fixed = _fixed()
    if name in fixed:
        return fixed[name]
    if default is _MISSING:
        return getattr(settings, name)
    return getattr(settings, name, default)
