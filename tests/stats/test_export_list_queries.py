"""« Mes exports » costs the same queries with one export or a page of them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from stats.enums import ExportFormat, ExportStatus
from stats.models import ExportRequest
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def test_export_list_query_count_is_constant(client, delegation_staff):
    def export(status):
        done = status == ExportStatus.DONE
        return ExportRequest.objects.create(
            requested_by=delegation_staff,
            dataset="contracts_by_status",
            format=ExportFormat.CSV,
            status=status,
            **({"row_count": 6, "finished_at": timezone.now(), "file": "exports/statuts.csv"} if done else {}),
        )

    def grow():
        for status in [ExportStatus.DONE, ExportStatus.FAILED, ExportStatus.PENDING] * 9:
            export(status)

    export(ExportStatus.DONE)
    client.force_login(delegation_staff)
    shown = assert_constant_queries(client, reverse("stats:export_list"), grow, rows="tbody tr")
    assert shown == (1, 28)
