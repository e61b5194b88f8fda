"""The e-mails of accounts: password reset and invitation. They carry a link and nothing else."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .tokens import invitation_tokens

SITE_NAME = "Partenariat CNFPT – AMF"


def _link(url_name: str, user, token: str) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return settings.SITE_URL + reverse(url_name, kwargs={"uidb64": uidb64, "token": token})


def _send(subject: str, template: str, context: dict, to: str) -> None:
    body = render_to_string(template, {**context, "site_name": SITE_NAME, "site_url": settings.SITE_URL})
    EmailMessage(subject=subject, body=body, to=[to]).send()


def send_password_reset(user) -> None:
    _send(
        f"Réinitialisation de votre mot de passe – {SITE_NAME}",
        "registration/password_reset_email.txt",
        {
            "user": user,
            "url": _link("password_reset_confirm", user, default_token_generator.make_token(user)),
            "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
        },
        user.email,
    )


def send_invitation(user) -> None:
    _send(
        f"Votre compte sur {SITE_NAME}",
        "partnership/emails/invitation.txt",
        {
            "user": user,
            "url": _link("account_invitation", user, invitation_tokens.make_token(user)),
            "days": settings.ACCOUNT_INVITATION_VALIDITY_DAYS,
        },
        user.email,
    )
