"""Regional partnership contracts: parties, programme, history, documents, amendments, numbering."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from ..enums import ActionFamily, ContractStatus, DocumentKind, SealingStatus


class Theme(models.Model):
    """A theme of the actions a contract programmes, within one of the two families of the seed.

    The seed lists the fight against illiteracy in both families, hence (family, code) is the key.
    """

    family = models.CharField("famille d'actions", max_length=30, choices=ActionFamily.choices)
    code = models.SlugField("code", max_length=50)
    label = models.CharField("libellé", max_length=200)
    position = models.PositiveSmallIntegerField("ordre", default=0)
    is_active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "thème"
        ordering = ["family", "position", "label"]
        constraints = [models.UniqueConstraint(fields=["family", "code"], name="theme_unique_family_code")]

    def __str__(self):
        return self.label


class PartnershipContract(models.Model):
    """A contrat de partenariat de formation professionnelle territorialisée (PFPT).

    Made between one CNFPT regional delegation and one collectivité, or a union of several
    (``parties``). State changes go through ``agreements.services``; a contract past draft is never
    edited in place (amendments instead).
    """

    reference = models.CharField("référence", max_length=20, unique=True, null=True, blank=True, editable=False)
    title = models.CharField("intitulé", max_length=255)
    delegation = models.ForeignKey(
        "partnership.Delegation", on_delete=models.PROTECT, related_name="contracts", verbose_name="délégation"
    )
    collectivities = models.ManyToManyField(
        "partnership.Collectivity", through="ContractParty", related_name="contracts", verbose_name="collectivités"
    )
    start_date = models.DateField("date de début")
    end_date = models.DateField("date de fin")
    status = models.CharField(
        "statut", max_length=30, choices=ContractStatus.choices, default=ContractStatus.DRAFT, db_index=True
    )
    objectives = models.TextField("objet et objectifs", blank=True)
    specific_clauses = models.TextField("clauses particulières", blank=True)
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contracts_as_delegate",
        null=True,
        blank=True,
        verbose_name="délégué(e) régional(e) signataire",
    )
    advisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="contracts_as_adviser",
        blank=True,
        verbose_name="conseillers formation référents",
    )
    version = models.PositiveIntegerField("version", default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
        verbose_name="créé par",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    submitted_at = models.DateTimeField("soumis à signature le", null=True, blank=True, editable=False)
    signed_at = models.DateTimeField("signé le", null=True, blank=True, editable=False)
    terminated_on = models.DateField("résilié le", null=True, blank=True, editable=False)
    termination_reason = models.TextField("motif de résiliation", blank=True, editable=False)
    # The final sealed PDF is built by a worker once the délégué has countersigned: its progress is
    # kept here, so that a failure shows on the contract page and in the admin instead of vanishing.
    sealing_status = models.CharField(
        "PDF signé", max_length=20, choices=SealingStatus.choices, blank=True, editable=False, db_index=True
    )
    sealing_attempts = models.PositiveSmallIntegerField("tentatives de scellement", default=0, editable=False)
    sealing_attempted_at = models.DateTimeField(
        "dernière tentative de scellement", null=True, blank=True, editable=False
    )
    sealing_error = models.TextField("dernière erreur de scellement", blank=True, editable=False)

    class Meta:
        verbose_name = "contrat de partenariat"
        verbose_name_plural = "contrats de partenariat"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gt=F("start_date")), name="contract_end_after_start"),
            models.CheckConstraint(
                condition=Q(status=ContractStatus.DRAFT) | Q(reference__isnull=False),
                name="contract_reference_after_draft",
            ),
        ]
        indexes = [models.Index(fields=["delegation", "status"], name="contract_delegation_status_idx")]

    def __str__(self):
        return f"{self.reference or 'Brouillon'} – {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("agreements:contract_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == ContractStatus.DRAFT

    @property
    def is_union(self) -> bool:
        return len(self.parties.all()) > 1


class ContractParty(models.Model):
    """A collectivité party to a contract, with the elected official who signs for it."""

    contract = models.ForeignKey(
        PartnershipContract, on_delete=models.CASCADE, related_name="parties", verbose_name="contrat"
    )
    collectivity = models.ForeignKey(
        "partnership.Collectivity",
        on_delete=models.PROTECT,
        related_name="contract_parties",
        verbose_name="collectivité",
    )
    signatory_name = models.CharField("nom du signataire", max_length=150)
    signatory_function = models.CharField("fonction du signataire", max_length=100)
    signatory_email = models.EmailField("e-mail du signataire")
    deliberation_date = models.DateField("date de la délibération autorisant la signature", null=True, blank=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "collectivité partie"
        verbose_name_plural = "collectivités parties"
        ordering = ["contract", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "collectivity"], name="party_unique_per_contract"),
        ]

    def __str__(self):
        return str(self.collectivity)


class ProgrammeLine(models.Model):
    """One planned action of a contract's yearly programme."""

    contract = models.ForeignKey(
        PartnershipContract, on_delete=models.CASCADE, related_name="programme_lines", verbose_name="contrat"
    )
    year = models.PositiveSmallIntegerField("année")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="programme_lines", verbose_name="thème")
    title = models.CharField("action prévue", max_length=255)
    planned_days = models.DecimalField("jours de formation prévus", max_digits=6, decimal_places=1)
    planned_trainees = models.PositiveIntegerField("stagiaires prévus")

    class Meta:
        verbose_name = "ligne de programme"
        verbose_name_plural = "lignes de programme"
        ordering = ["contract", "year", "theme__family", "theme__position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(planned_days__gt=0), name="programme_line_days_positive"),
            models.CheckConstraint(condition=Q(planned_trainees__gt=0), name="programme_line_trainees_positive"),
        ]

    def __str__(self):
        return f"{self.year} – {self.title}"

    @property
    def planned_trainee_days(self):
        return self.planned_days * self.planned_trainees


class ContractTransition(models.Model):
    """Append-only history of a contract's states: who, when, from, to, why."""

    contract = models.ForeignKey(
        PartnershipContract, on_delete=models.CASCADE, related_name="transitions", verbose_name="contrat"
    )
    from_status = models.CharField("de", max_length=30, choices=ContractStatus.choices, blank=True)
    to_status = models.CharField("vers", max_length=30, choices=ContractStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="auteur",
    )
    actor_label = models.CharField("par", max_length=200)
    at = models.DateTimeField("le", auto_now_add=True)
    comment = models.TextField("commentaire", blank=True)

    class Meta:
        verbose_name = "transition de contrat"
        ordering = ["contract", "at", "pk"]

    def __str__(self):
        return f"{self.get_from_status_display() or '—'} → {self.get_to_status_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("L'historique d'un contrat ne se modifie pas.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("L'historique d'un contrat ne se supprime pas.")


class ContractDocument(models.Model):
    """A file of a contract: the exact PDF presented for signature, the signed PDF, or an attachment."""

    contract = models.ForeignKey(
        PartnershipContract, on_delete=models.CASCADE, related_name="documents", verbose_name="contrat"
    )
    kind = models.CharField("nature", max_length=20, choices=DocumentKind.choices)
    title = models.CharField("titre", max_length=200)
    file = models.FileField("fichier", upload_to="contracts/%Y/")
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    size = models.PositiveIntegerField("taille (octets)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="déposé par"
    )
    created_at = models.DateTimeField("déposé le", auto_now_add=True)

    class Meta:
        verbose_name = "document de contrat"
        verbose_name_plural = "documents de contrat"
        ordering = ["contract", "created_at", "pk"]
        indexes = [models.Index(fields=["sha256"], name="contract_document_sha256_idx")]

    def __str__(self):
        return self.title


class ContractAmendment(models.Model):
    """An avenant to a signed contract: the contract itself is never edited in place."""

    contract = models.ForeignKey(
        PartnershipContract, on_delete=models.CASCADE, related_name="amendments", verbose_name="contrat"
    )
    number = models.PositiveSmallIntegerField("numéro")
    title = models.CharField("objet", max_length=255)
    summary = models.TextField("contenu")
    new_end_date = models.DateField("nouvelle date de fin", null=True, blank=True)
    signed_on = models.DateField("signé le", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="créé par"
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "avenant au contrat"
        verbose_name_plural = "avenants aux contrats"
        ordering = ["contract", "number"]
        constraints = [models.UniqueConstraint(fields=["contract", "number"], name="contract_amendment_unique_number")]

    def __str__(self):
        return f"Avenant n° {self.number} – {self.title}"


class ReferenceCounter(models.Model):
    """The last sequence number given for a (year, département); locked while numbering."""

    year = models.PositiveSmallIntegerField("année")
    department_code = models.CharField(max_length=3, verbose_name="code du département")
    last_value = models.PositiveIntegerField(default=0, verbose_name="dernier numéro attribué")

    class Meta:
        verbose_name = "compteur de références"
        constraints = [
            models.UniqueConstraint(fields=["year", "department_code"], name="reference_counter_unique"),
        ]

    def __str__(self):
        return f"{self.department_code}/{self.year}: {self.last_value}"
