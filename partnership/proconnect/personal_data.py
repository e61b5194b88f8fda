"""The personal data ProConnect logins and access requests keep: what, why, how long, on what legal basis.

Declared to the registry of personal data (``partnership.personal_data``), which « Données personnelles »
and the retention job read; ``access_requests_apply_retention`` is this module's share of the retention.
Loaded by ``PartnershipConfig.ready`` (a subpackage of the core is not found by ``autodiscover_modules``).
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ..enums import AccessRequestStatus
from ..personal_data import (
    DELETED,
    KEPT,
    NOT_PERSONAL,
    Category,
    RetentionStep,
    declare,
    register_category,
    register_step,
)
from ..text import duration_label
from .models import AccessRequest


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


register_category(
    Category(
        "proconnect",
        "Connexion avec ProConnect",
        "Titulaires d'un compte relié à ProConnect\u00a0: identifiant ProConnect (sub), SIRET, dates du lien et de "
        "la dernière connexion\u00a0; le jeton d'identité, dans la session, le temps de celle-ci",
        "Mission d'intérêt public (RGPD, art. 6-1-e)",
        lambda: "Tant que le lien existe (retirable depuis «\u00a0Mon compte\u00a0») et que le compte est ouvert",
        order=15,
    )
)
register_category(
    Category(
        "access_requests",
        "Demandes d'accès",
        "Personnes identifiées par ProConnect qui demandent un compte\u00a0: nom, prénom, e-mail, SIRET et identifiant "
        "ProConnect transmis par ProConnect, fonction, téléphone et message saisis, décision et son motif",
        "Mission d'intérêt public (RGPD, art. 6-1-e)",
        lambda: (
            f"{duration_label(settings.ACCESS_REQUEST_RETENTION_DAYS)} après la décision (ou la demande restée sans "
            "décision), puis suppression automatique"
        ),
        order=16,
    )
)

declare(
    "partnership.ProConnectIdentity",
    ["sub", "siret"],
    fate=KEPT,
    category="proconnect",
    reason="Relie un compte à l'identité ProConnect de son titulaire, qui s'y connecte ensuite par elle ; "
    "supprimé quand le lien est retiré ou avec le compte.",
)
declare(
    "partnership.AccessRequest",
    ["sub", "email", "first_name", "last_name", "siret", "function", "phone", "message", "refusal_reason"],
    fate=DELETED,
    category="access_requests",
    reason="Instruire la demande et y répondre ; supprimée ACCESS_REQUEST_RETENTION_DAYS après la décision "
    "(access_requests_apply_retention).",
)
declare(
    "partnership.AccessRequest",
    ["audience", "status"],
    fate=NOT_PERSONAL,
    reason="À qui la demande s'adresse et où elle en est.",
)

register_step(
    RetentionStep(
        "access_requests",
        "Demandes d'accès décidées ou oubliées",
        lambda now: access_requests_apply_retention(now=now),
        order=75,
    )
)
