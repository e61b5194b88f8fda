"""Axis 5 of the framework agreement: INET internships at the AMF and studies requested by the AMF.

The models keep the ``agreements`` app label and tables; ``agreements.models`` registers them.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from partnership.uploads import DocumentValidator

from ..enums import InternshipStatus, StudyStatus


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

    def get_absolute_url(self) -> str:
        return reverse("axis5:internship_detail", args=[self.pk])


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

    def get_absolute_url(self) -> str:
        return reverse("axis5:study_detail", args=[self.pk])
