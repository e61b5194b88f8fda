"""The axis 5 demo (its part of ``seed_demo``; ``tests/notifications/test_demo_reminders.py`` runs the whole)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agreements.axis5 import demo
from agreements.enums import InternshipStatus, StudyStatus
from agreements.models import Internship, Study

pytestmark = pytest.mark.django_db


def test_axis5_demo_seed_is_idempotent(amf_staff):
    accounts = {"amf": amf_staff}

    demo.seed(accounts)
    counts = [Internship.objects.count(), Study.objects.count()]
    demo.seed(accounts)

    assert [Internship.objects.count(), Study.objects.count()] == counts == [2, 3]
    assert sorted(Internship.objects.values_list("status", flat=True)) == sorted(
        [InternshipStatus.COMPLETED, InternshipStatus.PLANNED]
    )
    # A study due in 10 days, so that the AMF's reminder is due on a fresh demo.
    due_soon = Study.objects.get(subject="La formation des élus et des agents des communes nouvelles")
    assert (due_soon.due_on, due_soon.status, due_soon.created_by) == (
        timezone.localdate() + timedelta(days=10),
        StudyStatus.IN_PROGRESS,
        amf_staff,
    )
