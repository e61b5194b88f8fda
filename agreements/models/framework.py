"""The national framework agreement, its collaboration axes and amendments; axis 5 (INET)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from partnership.uploads import DocumentValidator

from ..enums import InternshipStatus, StudyStatus


class FrameworkAgreement(models.Model):
    """The accord-cadre between the CNFPT and the AMF."""

    title = models.CharField("intitulé", max_length=255)
    cnfpt_signatory = models.CharField("signataire pour le CNFPT", max_length=150)
    cnfpt_signatory_function = models.CharField("fonction du signataire CNFPT", max_length=150)
    amf_signatory = models.CharField("signataire pour l'AMF", max_length=150)
    amf_signatory_function = models.CharField("fonction du signataire AMF", max_length=150)
    signed_on = models.DateField("date de signature", null=True, blank=True)
    signed_at_place = models.CharField("lieu de signature", max_length=150, blank=True)
    valid_from = models.DateField("début de validité", null=True, blank=True)
    valid_until = models.DateField("fin de validité", null=True, blank=True)
    preamble = models.TextField("préambule", blank=True)
    document = models.FileField(
        "document signé", upload_to="agreements/", blank=True, validators=[DocumentValidator(what="le document")]
    )

    class Meta:
        verbose_name = "accord-cadre"
        verbose_name_plural = "accords-cadres"
        ordering = ["-signed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="agreement_validity_ordered",
            )
        ]

    def __str__(self):
        return self.title


class CollaborationAxis(models.Model):
    agreement = models.ForeignKey(
        FrameworkAgreement, on_delete=models.CASCADE, related_name="axes", verbose_name="accord-cadre"
    )
    number = models.PositiveSmallIntegerField("numéro")
    title = models.CharField("intitulé", max_length=300)
    description = models.TextField("description", blank=True)

    class Meta:
        verbose_name = "axe de collaboration"
        verbose_name_plural = "axes de collaboration"
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="axis_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="axis_number_positive"),
        ]

    def __str__(self):
        return f"Axe {self.number} : {self.title}"


class Amendment(models.Model):
    """An avenant to the framework agreement."""

    agreement = models.ForeignKey(
        FrameworkAgreement, on_delete=models.CASCADE, related_name="amendments", verbose_name="accord-cadre"
    )
    number = models.PositiveSmallIntegerField("numéro")
    title = models.CharField("objet", max_length=255)
    signed_on = models.DateField("date de signature", null=True, blank=True)
    summary = models.TextField("résumé", blank=True)
    document = models.FileField(
        "document", upload_to="agreements/amendments/", blank=True, validators=[DocumentValidator(what="le document")]
    )

    class Meta:
        verbose_name = "avenant à l'accord-cadre"
        verbose_name_plural = "avenants à l'accord-cadre"
        ordering = ["agreement", "number"]
        constraints = [models.UniqueConstraint(fields=["agreement", "number"], name="amendment_unique_number")]

    def __str__(self):
        return f"Avenant n° {self.number} : {self.title}"


class Internship(models.Model):
    """Axis 5: the internship of an INET élève administrateur territorial at the AMF."""

    student_name = models.CharField("élève", max_length=150)
    student_email = models.EmailField("e-mail de l'élève", blank=True)
    promotion = models.CharField("promotion", max_length=100)
    start_date = models.DateField("début")
    end_date = models.DateField("fin")
    tutor = models.CharField("tuteur à l'AMF", max_length=150)
    subject = models.CharField("sujet", max_length=300)
    status = models.CharField(
        "statut", max_length=20, choices=InternshipStatus.choices, default=InternshipStatus.PLANNED
    )
    report = models.FileField(
        "rapport de stage",
        upload_to="agreements/internships/",
        blank=True,
        validators=[DocumentValidator(what="le rapport")],
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "stage INET"
        verbose_name_plural = "stages INET"
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="internship_dates_ordered"),
        ]

    def __str__(self):
        return f"{self.student_name} – {self.subject}"


class Study(models.Model):
    """Axis 5: a study carried out at the AMF's request."""

    subject = models.CharField("sujet", max_length=300)
    requester = models.CharField("demandeur à l'AMF", max_length=150)
    requested_on = models.DateField("demandée le")
    due_on = models.DateField("échéance", null=True, blank=True)
    delivered_on = models.DateField("livrée le", null=True, blank=True)
    status = models.CharField("statut", max_length=20, choices=StudyStatus.choices, default=StudyStatus.REQUESTED)
    authors = models.CharField("réalisée par", max_length=300, blank=True)
    deliverable = models.FileField(
        "livrable", upload_to="agreements/studies/", blank=True, validators=[DocumentValidator(what="le livrable")]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créée par",
    )

    class Meta:
        verbose_name = "étude pour l'AMF"
        verbose_name_plural = "études pour l'AMF"
        ordering = ["-requested_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(due_on__gte=F("requested_on")), name="study_due_after_request"
            ),
            models.CheckConstraint(
                condition=~Q(status=StudyStatus.DELIVERED) | Q(delivered_on__isnull=False),
                name="study_delivered_has_date",
            ),
        ]

    def __str__(self):
        return self.subject
