"""The personal data ProConnect logins and access requests keep: what, why, how long, on what legal basis.

Declared here for the registry of personal data each app fills (« Données personnelles » and the retention
job read the same facts); ``access_requests_apply_retention`` is this module's share of the retention.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ..enums import AccessRequestStatus
from .models import AccessRequest


@dataclass(frozen=True)
class PersonalData:
    model: str
    fields: tuple[str, ...]
    purpose: str
    retention: str
    legal_basis: str


PERSONAL_DATA = (
    PersonalData(
        model="partnership.ProConnectIdentity",
        fields=("sub", "siret", "linked_at", "last_login_at"),
        purpose="Relier un compte à l'identité ProConnect de son titulaire, qui s'y connecte ensuite par elle.",
        retention="Tant que le lien existe (son titulaire le retire depuis « Mon compte ») ; supprimé avec le compte.",
        legal_basis="Mission d'intérêt public (RGPD, art. 6-1-e).",
    ),
    PersonalData(
        model="partnership.AccessRequest",
        fields=("sub", "email", "first_name", "last_name", "siret", "function", "phone", "message", "refusal_reason"),
        purpose="Instruire la demande de compte d'une personne identifiée par ProConnect et lui répondre.",
        retention="ACCESS_REQUEST_RETENTION_DAYS (365 j) après la décision, ou après la demande restée sans décision ; "
        "puis suppression (access_requests_apply_retention).",
        legal_basis="Mission d'intérêt public (RGPD, art. 6-1-e).",
    ),
)


def access_requests_apply_retention(*, now: datetime.datetime | None = None) -> int:
    """Delete the requests decided, or made and left undecided, more than ``ACCESS_REQUEST_RETENTION_DAYS`` ago.

    The accounts they opened stay (their own retention applies). Idempotent. Returns how many were deleted.
    """
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.ACCESS_REQUEST_RETENTION_DAYS)
    expired = AccessRequest.objects.filter(
        Q(decided_at__lt=cutoff) | Q(status=AccessRequestStatus.PENDING, created_at__lt=cutoff)
    )
    deleted, _ = expired.delete()
    return deleted
