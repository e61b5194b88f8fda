"""ProConnect's pages: the button's door, the return from ProConnect, the access request, logout and unlinking.

Every refusal of a login ends on the login page with its French message (``errors.MESSAGES``), nobody logged
in and nothing written. With ProConnect not configured these pages do not exist (404).
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.crypto import constant_time_compare, get_random_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.generic import View
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from .. import permissions
from ..auth import client_ip
from ..viewutils import Confirmation, gate, is_confirmed, render_confirmation, run_service
from . import services
from .config import ProviderUnavailable, discovery, is_enabled, oidc_setting
from .errors import MESSAGES, LoginRefused, UnknownIdentity, VerifiedIdentity
from .forms import AccessRequestForm
from .selectors import delegations_covering, pending_request_of

BACKEND = "partnership.proconnect.backend.ProConnectBackend"
# Session keys: the ID token (for logout) and the level of the login, once logged in through ProConnect;
# the identity of a person without an account, between the return from ProConnect and their request.
SESSION_ID_TOKEN = "proconnect_id_token"  # noqa: S105 - a session key, not a secret
SESSION_ACR = "proconnect_acr"
SESSION_PENDING_IDENTITY = "proconnect_pending_identity"
SESSION_LOGOUT_STATE = "proconnect_logout_state"


def _require_enabled():
    if not is_enabled():
        raise Http404("ProConnect n'est pas configuré.")


def _refused(request, message: str):
    messages.error(request, message)
    return redirect("login")


class LoginView(OIDCAuthenticationRequestView):
    """The ProConnect button: mozilla-django-oidc draws ``state``, ``nonce`` and the PKCE verifier, keeps them in
    the session and sends the browser to ProConnect's authorization endpoint."""

    http_method_names = ["get", "post"]
    get_settings = staticmethod(oidc_setting)

    def __init__(self, **kwargs):
        # The parent reads the endpoints here; they are read when the button is used, from discovery.
        View.__init__(self, **kwargs)

    @property
    def OIDC_OP_AUTH_ENDPOINT(self):
        return oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")

    @property
    def OIDC_RP_CLIENT_ID(self):
        return oidc_setting("OIDC_RP_CLIENT_ID")

    def dispatch(self, request, *args, **kwargs):
        _require_enabled()
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        try:
            return super().get(request)
        except ProviderUnavailable:
            return _refused(request, MESSAGES["unavailable"])

    def post(self, request):
        # ProConnect's button is a form (POST, with the CSRF token); ``next`` rides in its action's query string.
        return self.get(request)


def _authenticate(request):
    """The account of the person ProConnect sends back, or ``LoginRefused`` / ``UnknownIdentity``."""
    states = request.session.get("oidc_states")
    state = request.GET.get("state", "")
    if request.GET.get("error"):
        if isinstance(states, dict) and states.pop(state, None) is not None:
            request.session["oidc_states"] = states
        raise LoginRefused("cancelled")
    if not request.GET.get("code") or not isinstance(states, dict) or state not in states:
        raise LoginRefused("state")
    # The state is spent now, whatever follows: the same answer cannot be played twice.
    entry = states.pop(state)
    request.session["oidc_states"] = states
    request.session.save()
    user = auth.authenticate(
        request, proconnect=True, nonce=entry.get("nonce"), code_verifier=entry.get("code_verifier")
    )
    if user is None:
        raise LoginRefused("signature")
    return user


@require_GET
def callback(request):
    """The redirect URI: ProConnect's answer checked (``backend``), then the login, or the access request."""
    _require_enabled()
    try:
        user = _authenticate(request)
    except UnknownIdentity as unknown:
        request.session[SESSION_PENDING_IDENTITY] = {**unknown.identity.as_session(), "verified_at": time.time()}
        return redirect("proconnect_access_request")
    except LoginRefused as refusal:
        return _refused(request, refusal.message)
    next_url = request.session.get("oidc_login_next")
    auth.login(request, user, backend=BACKEND)
    request.session[SESSION_ID_TOKEN] = user.proconnect_login["id_token"]
    request.session[SESSION_ACR] = user.proconnect_login["acr"]
    request.session.pop("oidc_login_next", None)
    if not (next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure())):
        next_url = resolve_url(settings.LOGIN_REDIRECT_URL)
    return HttpResponseRedirect(next_url)


def _pending_identity(request) -> VerifiedIdentity | None:
    data = request.session.get(SESSION_PENDING_IDENTITY)
    if not isinstance(data, dict):
        return None
    if time.time() - float(data.get("verified_at", 0)) > settings.ACCESS_REQUEST_FORM_VALIDITY_SECONDS:
        request.session.pop(SESSION_PENDING_IDENTITY, None)
        return None
    return VerifiedIdentity.from_session(data)


@require_http_methods(["GET", "POST"])
def access_request(request):
    """« Demander un accès »: the identity ProConnect vouched for a moment ago, the organisation its SIRET names,
    and who will decide; the requester adds their function. One request per login: the identity is spent."""
    _require_enabled()
    identity = _pending_identity(request)
    if identity is None:
        messages.info(request, "Identifiez-vous d'abord avec ProConnect pour demander un accès.")
        return redirect("login")
    organisation, refusal = None, []
    try:
        organisation = services.access_request_organisation(identity=identity)
    except ValidationError as error:
        refusal = error.messages
    pending = pending_request_of(identity.sub)
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST" and organisation is not None and pending is None and form.is_valid():
        call = run_service(
            request,
            services.access_request_create,
            form,
            identity=identity,
            ip=client_ip(request),
            **form.cleaned_data,
        )
        if call.ok:
            request.session.pop(SESSION_PENDING_IDENTITY, None)
            messages.success(
                request,
                f"Votre demande d'accès est envoyée. Vous recevrez la décision par e-mail, à {identity.email}.",
            )
            return redirect("login")
    return render(
        request,
        "partnership/proconnect/access_request.html",
        {
            "identity": identity,
            "siret": services.format_siret(identity.siret),
            "organisation": organisation,
            "delegations": list(delegations_covering(organisation.collectivity))
            if organisation is not None and organisation.collectivity is not None
            else [],
            "refusal": refusal,
            "pending": pending,
            "form": form,
        },
    )


class LogoutView(auth_views.LogoutView):
    """Log out here and, after a ProConnect login, at ProConnect too (its session and the identity provider's)."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get(SESSION_ID_TOKEN)
        response = super().post(request, *args, **kwargs)
        if not (id_token and is_enabled()):
            return response
        try:
            end_session = discovery()["end_session_endpoint"]
        except ProviderUnavailable:
            messages.warning(
                request,
                "Vous êtes déconnecté(e) d'ici, mais ProConnect ne répond pas\u00a0: fermez votre navigateur pour terminer votre session ProConnect.",
            )
            return response
        state = get_random_string(43)
        request.session[SESSION_LOGOUT_STATE] = state
        query = urlencode(
            {
                "id_token_hint": id_token,
                "state": state,
                "post_logout_redirect_uri": request.build_absolute_uri(reverse("proconnect_logout_callback")),
            }
        )
        return HttpResponseRedirect(f"{end_session}?{query}")


@require_GET
def logout_callback(request):
    """ProConnect's way back after logout (``post_logout_redirect_uri``), with the ``state`` we sent."""
    _require_enabled()
    expected = request.session.pop(SESSION_LOGOUT_STATE, None)
    if expected and constant_time_compare(expected, request.GET.get("state", "")):
        messages.success(request, "Vous êtes déconnecté(e), de ProConnect aussi.")
    return redirect(settings.LOGOUT_REDIRECT_URL)


@require_POST
@gate(permissions.is_logged_in)
def unlink(request):
    """« Retirer le lien avec ProConnect », from « Mon compte », after a confirmation."""
    if not is_confirmed(request):
        return render_confirmation(
            request,
            Confirmation(
                title="Retirer le lien avec ProConnect\u00a0?",
                consequences=[
                    "Votre identité ProConnect actuelle ne permettra plus d'ouvrir ce compte.",
                    f"Une prochaine connexion avec ProConnect sous l'adresse {request.user.email} reliera de nouveau "
                    "votre compte à l'identité utilisée.",
                    "Votre session en cours reste ouverte.",
                ],
                confirm_label="Retirer le lien",
                cancel_url=reverse("account"),
            ),
        )
    if run_service(request, services.proconnect_identity_unlink, actor=request.user).ok:
        messages.success(request, "Le lien entre votre compte et ProConnect est retiré.")
    return redirect("account")
