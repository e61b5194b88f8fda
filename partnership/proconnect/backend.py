"""The OpenID Connect backend: mozilla-django-oidc's code exchange, with every check of what comes back.

mozilla-django-oidc builds the authorization request (``state``, ``nonce``, PKCE ``S256``, kept in the
session), exchanges the code (``client_secret_post``) and fetches the provider's keys. What it leaves
unchecked is checked here, each check with its own refusal (``errors.LoginRefused``):

- the ID token: algorithm exactly ``PROCONNECT_SIGN_ALGO`` (so never ``none``), signature by a key of the
  provider's JWKS, issuer, audience (our client id), expiry and issue time, ``nonce`` of this login;
- the userinfo: a signed JWT (ProConnect answers ``application/jwt``) with the same checks, whose ``sub``
  must be the ID token's.

Then ``services.proconnect_login`` finds the account (by ``sub``, or by e-mail the first time) or reports an
unknown person (``errors.UnknownIdentity``). Nothing here creates an account nor grants a role.
"""

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from ..auth import can_log_in, is_demo_email
from . import services
from .config import ProviderUnavailable, discovery, oidc_setting
from .errors import LoginRefused, VerifiedIdentity

# Seconds of clock difference tolerated between ProConnect and us.
LEEWAY_SECONDS = 60
ID_TOKEN_CLAIMS = ["iss", "aud", "sub", "exp", "iat"]
USERINFO_CLAIMS = ["iss", "aud", "sub"]


class ProConnectBackend(OIDCAuthenticationBackend):
    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        # mozilla-django-oidc reads every endpoint here; Django builds a backend for each request of a
        # logged-in user, so the endpoints are read lazily (properties below), at a login only.
        self.UserModel = get_user_model()

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self):
        return oidc_setting("OIDC_OP_TOKEN_ENDPOINT")

    @property
    def OIDC_OP_USER_ENDPOINT(self):
        return oidc_setting("OIDC_OP_USER_ENDPOINT")

    @property
    def OIDC_OP_JWKS_ENDPOINT(self):
        return oidc_setting("OIDC_OP_JWKS_ENDPOINT")

    @property
    def OIDC_RP_CLIENT_ID(self):
        return oidc_setting("OIDC_RP_CLIENT_ID")

    @property
    def OIDC_RP_CLIENT_SECRET(self):
        return oidc_setting("OIDC_RP_CLIENT_SECRET")

    @property
    def OIDC_RP_SIGN_ALGO(self):
        return oidc_setting("OIDC_RP_SIGN_ALGO")

    OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, proconnect: bool = False, **kwargs):
        """Only the ProConnect callback view logs in through here (``proconnect=True``): a password form
        posted to a URL carrying ``code`` and ``state`` must never start a code exchange."""
        if not proconnect or request is None:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except ProviderUnavailable as exc:
            raise LoginRefused("unavailable") from exc
        except requests.HTTPError as exc:
            # The token endpoint refused the code: expired, used already, or not ours (PKCE).
            raise LoginRefused("code") from exc
        except requests.RequestException as exc:
            raise LoginRefused("unavailable") from exc

    # --- Tokens --------------------------------------------------------------------------------------------

    def verify_token(self, token, **kwargs):
        """Check a JWT from ProConnect (the ID token, or the userinfo with ``kind="userinfo"``); its claims."""
        kind = kwargs.get("kind", "id_token")
        if not token:
            raise LoginRefused("signature")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise LoginRefused("signature") from exc
        # The algorithm is ours to choose, never the token's: ``none`` or a symmetric one stop here.
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO or not header.get("kid"):
            raise LoginRefused("signature")
        try:
            key = self.retrieve_matching_jwk(token)
        except SuspiciousOperation as exc:  # no key of the provider carries this kid
            raise LoginRefused("signature") from exc
        payload = self._decode(token, key, required=ID_TOKEN_CLAIMS if kind == "id_token" else USERINFO_CLAIMS)
        if kind == "id_token" and payload.get("nonce") != kwargs.get("nonce"):
            raise LoginRefused("nonce")
        return payload

    def _decode(self, token, key, *, required: list[str]) -> dict:
        try:
            return jwt.decode(
                token,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=discovery()["issuer"],
                leeway=LEEWAY_SECONDS,
                options={"require": required, "verify_signature": True},
            )
        except (jwt.ExpiredSignatureError, jwt.ImmatureSignatureError, jwt.InvalidIssuedAtError) as exc:
            raise LoginRefused("expired") from exc
        except jwt.InvalidAudienceError as exc:
            raise LoginRefused("audience") from exc
        except jwt.InvalidIssuerError as exc:
            raise LoginRefused("issuer") from exc
        except jwt.PyJWTError as exc:
            raise LoginRefused("signature") from exc

    def get_user(self, user_id):
        """The user of a ProConnect session, while they may log in (a deactivated account's sessions stop)."""
        user = self.UserModel._default_manager.filter(pk=user_id).first()
        return user if user is not None and can_log_in(user) else None

    def store_tokens(self, access_token, id_token):
        # Nothing goes into the session before the login succeeds (``views.callback`` keeps the ID token then).
        return None

    # --- The person ------------------------------------------------------------------------------------------

    def get_userinfo(self, access_token, id_token, payload):
        response = requests.get(
            self.OIDC_OP_USER_ENDPOINT,
            headers={"Authorization": f"Bearer {access_token}"},
            verify=oidc_setting("OIDC_VERIFY_SSL"),
            timeout=oidc_setting("OIDC_TIMEOUT"),
        )
        response.raise_for_status()
        if not response.headers.get("content-type", "").lower().startswith("application/jwt"):
            raise LoginRefused("userinfo_unsigned")
        claims = self.verify_token(response.text, kind="userinfo")
        if claims.get("sub") != payload.get("sub"):
            raise LoginRefused("userinfo_sub")
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        """The account of this ProConnect identity, linked at its first login; never a new one."""
        claims = self.get_userinfo(access_token, id_token, payload)
        identity = VerifiedIdentity(
            sub=str(payload["sub"]),
            email=str(claims.get("email") or "").strip().lower(),
            given_name=str(claims.get("given_name") or "").strip(),
            usual_name=str(claims.get("usual_name") or "").strip(),
            siret=str(claims.get("siret") or "").replace(" ", ""),
            acr=str(payload.get("acr") or ""),
        )
        if not identity.email or not identity.siret:
            raise LoginRefused("claims")
        if not settings.DEMO_ACCOUNTS_CAN_LOG_IN and is_demo_email(identity.email):
            raise LoginRefused("inactive")
        user = services.proconnect_login(identity=identity)
        # What the callback keeps in the session once logged in: the ID token (logout) and the level (acr).
        user.proconnect_login = {"id_token": id_token, "acr": identity.acr}
        return user
