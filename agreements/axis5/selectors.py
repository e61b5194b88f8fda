"""Reads of axis 5. Internships and studies are national objects: whoever may see axis 5 sees them all."""

import datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from partnership import permissions

from ..enums import InternshipStatus, StudyStatus
from .models import Internship, Study


def internships_visible_to(user) -> QuerySet[Internship]:
    return Internship.objects.all() if permissions.can_view_axis5(user) else Internship.objects.none()


def studies_visible_to(user) -> QuerySet[Study]:
    return Study.objects.all() if permissions.can_view_axis5(user) else Study.objects.none()


def study_deliverables_visible_to(user) -> QuerySet[Study]:
    """The studies ``user`` may read whose deliverable has been filed: the others have no file to download."""
    return studies_visible_to(user).exclude(deliverable="")


def internships_due(user, *, today: datetime.date | None = None) -> QuerySet[Internship]:
    """INET internships starting within the horizon (still planned) or ending within it (still running)."""
    horizon = (today or timezone.localdate()) + datetime.timedelta(days=settings.AXIS5_DUE_HORIZON_DAYS)
    return (
        internships_visible_to(user)
        .filter(
            Q(status=InternshipStatus.PLANNED, start_date__lte=horizon)
            | Q(status=InternshipStatus.IN_PROGRESS, end_date__lte=horizon)
        )
        .order_by("start_date", "pk")
    )


def studies_due(user, *, today: datetime.date | None = None) -> QuerySet[Study]:
    """AMF studies not delivered whose due date falls within the horizon, or has passed."""
    horizon = (today or timezone.localdate()) + datetime.timedelta(days=settings.AXIS5_DUE_HORIZON_DAYS)
    return (
        studies_visible_to(user)
        .filter(status__in=(StudyStatus.REQUESTED, StudyStatus.IN_PROGRESS), due_on__lte=horizon)
        .order_by("due_on", "pk")
    )
