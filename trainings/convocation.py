"""The agent's convocation: their registration, its session and its place, behind a personal link.

Agents rarely have an account: the e-mails about their registration (confirmation, waiting list,
reminder) link to this page instead of the session's page of the workspace, which they could not
open. The link is signed (``django.core.signing``, salted for this use), so it carries only the
registration's id and cannot be forged for another one; it is built when the e-mail is written,
inside the worker (no link travels through the broker). It stops working once the registration is
anonymised (retention), and after ``CONVOCATION_MAX_AGE``.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Registration
from .selectors import with_waiting_position

SALT = "trainings.convocation"
# A registration is made weeks or months ahead, and its certificate is asked for after the session.
CONVOCATION_MAX_AGE = datetime.timedelta(days=400)


def convocation_url(registration: Registration) -> str:
    token = signing.dumps(registration.pk, salt=SALT)
    return settings.SITE_URL + reverse("trainings:convocation", args=[token])


def registration_from_convocation(token: str) -> Registration | None:
    """The registration a convocation link names, or ``None`` (altered, expired, or anonymised)."""
    try:
        pk = signing.loads(token, salt=SALT, max_age=CONVOCATION_MAX_AGE)
    except signing.BadSignature:
        return None
    registrations = Registration.objects.filter(pk=pk, anonymised_at__isnull=True)
    return (
        with_waiting_position(registrations)
        .select_related("session__action__delegation", "session__venue", "employer")
        .first()
    )
