"""An account's link to a ProConnect identity, and the requests for access of people without an account.

Both belong to the ``partnership`` app (``partnership/models.py`` imports them): accounts and roles are
the directory's.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ..enums import AccessRequestAudience, AccessRequestStatus


class ProConnectIdentity(models.Model):
    """The ProConnect identity (``sub``) an account logs in with: later logins go by it, never by e-mail.

    Written at the first ProConnect login with the e-mail of an existing active account, or when a
    request for access is accepted; its owner can remove it from « Mon compte ».
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="proconnect_identity",
        verbose_name="compte",
    )
    sub = models.CharField("identifiant ProConnect (sub)", max_length=255, unique=True)
    siret = models.CharField("SIRET à la dernière connexion", max_length=14, blank=True)
    linked_at = models.DateTimeField("relié le", default=timezone.now)
    last_login_at = models.DateTimeField("dernière connexion ProConnect", null=True, blank=True)

    class Meta:
        verbose_name = "identité ProConnect"
        verbose_name_plural = "identités ProConnect"

    def __str__(self):
        return f"{self.user} ↔ ProConnect"


class AccessRequest(models.Model):
    """A person logged in with ProConnect but without an account asks for one.

    The identity (``sub``, names, e-mail, SIRET) is what ProConnect signed, never what was typed. The
    SIRET decides who answers: the delegation covering the collectivité, or national staff for the CNFPT
    and the AMF. One pending request per identity (the partial unique constraint): a request cannot be
    sent twice.
    """

    sub = models.CharField("identifiant ProConnect (sub)", max_length=255)
    email = models.EmailField("adresse e-mail")
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    siret = models.CharField("SIRET", max_length=14)
    audience = models.CharField("adressée à", max_length=20, choices=AccessRequestAudience.choices)
    collectivity = models.ForeignKey(
        "partnership.Collectivity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_requests",
        verbose_name="collectivité",
    )
    function = models.CharField("fonction", max_length=100)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    message = models.TextField("message", max_length=1000, blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=AccessRequestStatus.choices, default=AccessRequestStatus.PENDING
    )
    created_at = models.DateTimeField("demandée le", default=timezone.now)
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="décidée par",
    )
    refusal_reason = models.TextField("motif du refus", max_length=1000, blank=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="compte ouvert",
    )

    class Meta:
        verbose_name = "demande d'accès"
        verbose_name_plural = "demandes d'accès"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sub"],
                condition=Q(status=AccessRequestStatus.PENDING),
                name="access_request_one_pending_per_identity",
            ),
            models.CheckConstraint(
                condition=Q(audience=AccessRequestAudience.COLLECTIVITY, collectivity__isnull=False)
                | ~Q(audience=AccessRequestAudience.COLLECTIVITY) & Q(collectivity__isnull=True),
                name="access_request_collectivity_iff_collectivity_audience",
            ),
            models.CheckConstraint(
                condition=Q(status=AccessRequestStatus.PENDING, decided_at__isnull=True)
                | ~Q(status=AccessRequestStatus.PENDING) & Q(decided_at__isnull=False),
                name="access_request_decided_at_iff_decided",
            ),
            models.CheckConstraint(
                condition=~Q(status=AccessRequestStatus.REFUSED) | ~Q(refusal_reason=""),
                name="access_request_refusal_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "collectivity"], name="access_request_status_coll_idx"),
            models.Index(fields=["status", "audience"], name="access_request_status_aud_idx"),
        ]

    def __str__(self):
        return f"Demande d'accès de {self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_pending(self) -> bool:
        return self.status == AccessRequestStatus.PENDING
