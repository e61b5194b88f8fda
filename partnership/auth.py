"""Login with throttling of failed attempts, per e-mail address and per IP address."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.crypto import constant_time_compare

from .demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_accounts
from .permissions import requires_proconnect
from .ratelimit import email_key, increment


def is_demo_email(email: str) -> bool:
    return (email or "").strip().lower() in {account.email for account in DEMO_ACCOUNTS}


def is_demo_account(user) -> bool:
    return is_demo_email(user.email)


def can_log_in(user) -> bool:
    """Active, and not a demo account outside development: whatever the way in (password or ProConnect)."""
    return user.is_active and (settings.DEMO_ACCOUNTS_CAN_LOG_IN or not is_demo_account(user))


class AccountBackend(ModelBackend):
    """Django's e-mail and password check, minus the demo accounts outside development.

    Their password is published in the repository, so with ``DEBUG`` off neither a demo account (found
    by its address, whatever password the database holds) nor any account whose password is the
    published one may log in, and a session opened by a demo account stops working.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.DEMO_ACCOUNTS_CAN_LOG_IN and password and constant_time_compare(password, DEMO_PASSWORD):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def user_can_authenticate(self, user) -> bool:
        if not settings.DEMO_ACCOUNTS_CAN_LOG_IN and is_demo_account(user):
            return False
        return super().user_can_authenticate(user)


def client_ip(request) -> str:
    """The client's address, the one every throttle and rate limit counts by (login failures, password
    reset, ProConnect, signing portal, event registration, the API's throttles).

    Behind ``TRUSTED_PROXY_COUNT`` proxies, REMOTE_ADDR is the last proxy and each proxy appended to
    X-Forwarded-For the address it was reached from: the client's is the ``TRUSTED_PROXY_COUNT``-th from the
    right. Whatever stands left of it, a client wrote: a new value per request must not make a new client.
    Without proxies, or without the header, REMOTE_ADDR.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [address.strip() for address in forwarded.split(",")]
        return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR", "")


def _keys(request, email: str) -> list[str]:
    return [email_key("login-failures", email), f"login-failures:ip:{client_ip(request)}"]


def too_many_failures(request, email: str) -> bool:
    return any((cache.get(key) or 0) >= settings.LOGIN_MAX_FAILURES for key in _keys(request, email))


def record_failure(request, email: str) -> None:
    for key in _keys(request, email):
        increment(key, window_seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def clear_failures(request, email: str) -> None:
    cache.delete_many(_keys(request, email))


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Adresse e-mail ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
        "throttled": "Trop de tentatives de connexion échouées. Réessayez dans quelques minutes.",
        "proconnect_required": "Les agents du CNFPT et de l'AMF se connectent avec ProConnect\u00a0: utilisez le "
        "bouton « S'identifier avec ProConnect ».",
    }

    def clean(self):
        email = self.data.get("username", "")
        if too_many_failures(self.request, email):
            raise ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError:
            record_failure(self.request, email)
            raise
        clear_failures(self.request, email)
        return cleaned

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if requires_proconnect(user):
            raise ValidationError(self.error_messages["proconnect_required"], code="proconnect_required")


class ThrottledLoginView(LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True
    # Django's LoginView names the site after the request's host; the page shows the application's name.
    extra_context = {"site_name": "Partenariat CNFPT – AMF"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["proconnect_enabled"] = bool(settings.PROCONNECT_ISSUER)
        if settings.SHOW_DEMO_ACCOUNTS:
            context["demo_accounts"] = demo_accounts()
        return context
