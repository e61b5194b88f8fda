"""The e-mail of a decision on a request for access: accepted (how to log in), or refused (why)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from ..emails import SITE_NAME
from ..enums import AccessRequestStatus


def send_access_request_decision(access_request) -> None:
    accepted = access_request.status == AccessRequestStatus.ACCEPTED
    subject = f"Votre demande d'accès à {SITE_NAME} est {'acceptée' if accepted else 'refusée'}"
    body = render_to_string(
        "partnership/emails/access_request_decision.txt",
        {
            "access_request": access_request,
            "accepted": accepted,
            "account": access_request.account,
            "login_url": settings.SITE_URL + reverse("login"),
            "site_name": SITE_NAME,
            "site_url": settings.SITE_URL,
        },
    )
    EmailMessage(subject=subject, body=body, to=[access_request.email]).send()
