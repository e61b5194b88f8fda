"""Axis 5: INET internships at the AMF and studies for the AMF, by status (national figures)."""

from django.db.models import Count

from agreements.enums import InternshipStatus, StudyStatus
from agreements.models import Internship, Study


def internships_by_status() -> list[dict]:
    """INET internships at the AMF per status (national: they belong to no delegation). 1 query."""
    counts = dict(
        Internship.objects.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return [{"status": v, "label": label, "count": counts.get(v, 0)} for v, label in InternshipStatus.choices]


def studies_by_status() -> list[dict]:
    """Studies requested by the AMF per status (national). 1 query."""
    counts = dict(Study.objects.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return [{"status": v, "label": label, "count": counts.get(v, 0)} for v, label in StudyStatus.choices]
