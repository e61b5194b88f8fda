"""Online signing: one request per signer, and the hash-chained audit trail that is its evidence."""

from django.db import models
from django.db.models import Q

from ..enums import AuditEventKind, SignatureRequestStatus, SignerRole, TimestampRenewalStatus


class SignatureRequest(models.Model):
    """One signer's part in signing one document of a contract.

    Collectivités sign first, in parallel (``step`` 1); the délégué régional countersigns (step 2).
    The link's token and the one-time code are stored only as hashes.
    """

    contract = models.ForeignKey(
        "agreements.PartnershipContract",
        on_delete=models.CASCADE,
        related_name="signature_requests",
        verbose_name="contrat",
    )
    document = models.ForeignKey(
        "agreements.ContractDocument",
        on_delete=models.PROTECT,
        related_name="signature_requests",
        verbose_name="document signé",
    )
    role = models.CharField("rôle", max_length=20, choices=SignerRole.choices)
    step = models.PositiveSmallIntegerField("étape")
    party = models.ForeignKey(
        "agreements.ContractParty",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="signature_requests",
        verbose_name="collectivité partie",
    )
    signer_name = models.CharField("signataire", max_length=150)
    signer_email = models.EmailField("e-mail du signataire")
    signer_function = models.CharField("fonction", max_length=150)
    status = models.CharField(
        "statut", max_length=20, choices=SignatureRequestStatus.choices, default=SignatureRequestStatus.WAITING
    )
    token_hash = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False, verbose_name="empreinte du jeton"
    )
    expires_at = models.DateTimeField("expire le", null=True, blank=True)
    sent_at = models.DateTimeField("envoyée le", null=True, blank=True)
    last_reminded_at = models.DateTimeField("dernière relance", null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField("relances", default=0)
    code_hash = models.CharField(max_length=64, blank=True, editable=False, verbose_name="empreinte du code")
    code_expires_at = models.DateTimeField(null=True, blank=True, editable=False, verbose_name="code valable jusqu'au")
    code_attempts = models.PositiveSmallIntegerField(default=0, editable=False, verbose_name="codes essayés")
    code_sent_at = models.DateTimeField(null=True, blank=True, editable=False, verbose_name="code envoyé le")
    codes_sent = models.PositiveSmallIntegerField(default=0, editable=False, verbose_name="codes envoyés")
    code_verified_at = models.DateTimeField(null=True, blank=True, editable=False, verbose_name="code vérifié le")
    locked_at = models.DateTimeField("bloquée le", null=True, blank=True)
    signed_at = models.DateTimeField("signée le", null=True, blank=True)
    signed_name = models.CharField("nom saisi", max_length=150, blank=True)
    signed_function = models.CharField("fonction saisie", max_length=150, blank=True)
    signed_ip = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    signed_user_agent = models.CharField("navigateur", max_length=500, blank=True)
    decline_reason = models.TextField("motif du refus", blank=True)
    replaced_by = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaces", verbose_name="remplacée par"
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="créée le")

    class Meta:
        verbose_name = "demande de signature"
        verbose_name_plural = "demandes de signature"
        ordering = ["contract", "step", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=SignatureRequestStatus.SIGNED) | Q(signed_at__isnull=False),
                name="signature_signed_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=SignatureRequestStatus.DECLINED) | ~Q(decline_reason=""),
                name="signature_declined_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="signature_status_expiry_idx")]

    def __str__(self):
        return f"{self.signer_name} – {self.get_status_display()}"


class AuditEvent(models.Model):
    """Append-only, hash-chained evidence of everything that happened around signatures.

    ``hash`` = HMAC-SHA256 (key ``AUDIT_CHAIN_KEY``, kept outside the database) over the previous
    event's hash and this event's canonical content, so
    altering, inserting or deleting a row breaks the chain (``manage.py verify_audit_trail``).
    ``sequence`` is contiguous; ``AuditChainHead`` holds the last hash, so a deleted tail shows too.
    """

    sequence = models.PositiveBigIntegerField(unique=True, verbose_name="numéro d'ordre")
    contract = models.ForeignKey(
        "agreements.PartnershipContract", on_delete=models.PROTECT, related_name="audit_events", verbose_name="contrat"
    )
    request = models.ForeignKey(
        SignatureRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name="demande de signature",
    )
    kind = models.CharField("événement", max_length=20, choices=AuditEventKind.choices)
    at = models.DateTimeField("date et heure")
    actor = models.CharField("acteur", max_length=250)
    ip_address = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    user_agent = models.CharField("navigateur", max_length=500, blank=True)
    document_sha256 = models.CharField("empreinte du document", max_length=64, blank=True)
    detail = models.JSONField("détail", default=dict, blank=True)
    previous_hash = models.CharField(max_length=64, verbose_name="empreinte précédente")
    hash = models.CharField(max_length=64, unique=True, verbose_name="empreinte")

    class Meta:
        verbose_name = "événement de la piste d'audit"
        verbose_name_plural = "piste d'audit des signatures"
        ordering = ["sequence"]

    def __str__(self):
        return f"#{self.sequence} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("La piste d'audit ne se modifie pas.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("La piste d'audit ne se supprime pas.")


class AuditChainHead(models.Model):
    """The single row locked while appending to the audit chain: it serialises writers."""

    singleton = models.BooleanField(default=True, unique=True, verbose_name="unique")
    last_sequence = models.PositiveBigIntegerField(default=0, verbose_name="dernier numéro d'ordre")
    last_hash = models.CharField(max_length=64, default="0" * 64, verbose_name="dernière empreinte")

    class Meta:
        verbose_name = "tête de la piste d'audit"
        constraints = [models.CheckConstraint(condition=Q(singleton=True), name="audit_head_singleton")]

    def __str__(self):
        return f"#{self.last_sequence}"


class ContractSeal(models.Model):
    """The life of a contract's sealed PDF after the seal: its PAdES level, its trusted signing time, and
    the document timestamps that keep it verifiable (``agreements.signing.archive``).

    ``document`` is the latest sealed copy (each renewal stores a new one; earlier copies stay genuine).
    ``renew_before`` is when the certificate of the authority behind its last document timestamp expires:
    a new document timestamp must be added before then (``None``: sealed without a TSA, nothing to renew).
    """

    contract = models.OneToOneField(
        "agreements.PartnershipContract", on_delete=models.CASCADE, related_name="seal", verbose_name="contrat"
    )
    document = models.ForeignKey(
        "agreements.ContractDocument", on_delete=models.PROTECT, related_name="+", verbose_name="PDF scellé"
    )
    level = models.CharField("niveau PAdES", max_length=20)
    timestamped_at = models.DateTimeField("heure certifiée du cachet", null=True, blank=True)
    timestamp_authority = models.CharField("autorité d'horodatage", max_length=255, blank=True)
    renew_before = models.DateTimeField("à renouveler avant le", null=True, blank=True)
    renewals = models.PositiveSmallIntegerField("renouvellements", default=0)
    renewal_status = models.CharField(
        "renouvellement", max_length=10, choices=TimestampRenewalStatus.choices, default="", blank=True
    )
    renewal_attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    renewal_attempted_at = models.DateTimeField("dernière tentative", null=True, blank=True)
    renewal_error = models.TextField("erreur du renouvellement", blank=True)

    class Meta:
        verbose_name = "cachet d'un contrat"
        verbose_name_plural = "cachets des contrats"
        indexes = [models.Index(fields=["renew_before"], name="contract_seal_renew_idx")]

    def __str__(self):
        return f"{self.level} – {self.contract}"
