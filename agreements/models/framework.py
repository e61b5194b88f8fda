"""The national framework agreement, its collaboration axes and amendments."""

from django.db import models
from django.db.models import F, Q

from partnership.uploads import DocumentValidator


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
