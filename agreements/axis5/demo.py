"""Demonstration data of axis 5: INET internships and AMF studies (called by ``partnership.demo.seed``).

Idempotent: every row is looked up by a natural key before being created.
"""

from datetime import date, timedelta

from django.utils import timezone

from partnership.models import User

from ..enums import InternshipStatus, StudyStatus
from .models import Internship, Study


def seed(accounts: dict[str, User]) -> None:
    year = timezone.localdate().year
    Internship.objects.get_or_create(
        student_name="Camille Roy",
        subject="Les communes nouvelles, dix ans après",
        defaults={
            "student_email": "camille.roy@demo.inet.example.fr",
            "promotion": "Promotion Simone Veil",
            "start_date": date(year, 1, 6),
            "end_date": date(year, 3, 28),
            "tutor": "Direction des études de l'AMF",
            "status": InternshipStatus.COMPLETED,
        },
    )
    Internship.objects.get_or_create(
        student_name="Thomas Giraud",
        subject="L'intercommunalité et la formation des agents",
        defaults={
            "promotion": "Promotion Simone Veil",
            "start_date": date(year, 9, 1),
            "end_date": date(year, 11, 28),
            "tutor": "Département intercommunalité",
            "status": InternshipStatus.PLANNED,
        },
    )
    Study.objects.get_or_create(
        subject="Les besoins de formation des secrétaires de mairie",
        defaults={
            "requester": "Département action sociale, éducative, sportive et culturelle",
            "requested_on": date(year, 2, 1),
            "due_on": date(year, 9, 30),
            "status": StudyStatus.IN_PROGRESS,
            "authors": "Élèves administrateurs de l'INET",
            "created_by": accounts["amf"],
        },
    )
    today = timezone.localdate()
    Study.objects.get_or_create(  # due in 10 days: the AMF's reminder is due
        subject="La formation des élus et des agents des communes nouvelles",
        defaults={
            "requester": "Département administration et gestion communale",
            "requested_on": today - timedelta(days=60),
            "due_on": today + timedelta(days=10),
            "status": StudyStatus.IN_PROGRESS,
            "authors": "Élèves administrateurs de l'INET",
            "created_by": accounts["amf"],
        },
    )
    Study.objects.get_or_create(
        subject="Panorama des polices municipales",
        defaults={
            "requester": "Direction générale de l'AMF",
            "requested_on": date(year, 3, 15),
            "status": StudyStatus.REQUESTED,
            "created_by": accounts["amf"],
        },
    )
