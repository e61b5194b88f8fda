"""Reads of axis 5. Internships and studies are national objects: whoever may see axis 5 sees them all."""

from django.db.models import QuerySet

from partnership import permissions

from .models import Internship, Study


def internships_visible_to(user) -> QuerySet[Internship]:
    return Internship.objects.all() if permissions.can_view_axis5(user) else Internship.objects.none()


def studies_visible_to(user) -> QuerySet[Study]:
    return Study.objects.all() if permissions.can_view_axis5(user) else Study.objects.none()
