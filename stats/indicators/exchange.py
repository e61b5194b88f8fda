"""Axis 3, the exchange itself: the exports of statistics produced, by dataset and format."""

from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Coalesce

from ..datasets import dataset_label
from ..enums import ExportFormat, ExportStatus
from ..models import ExportRequest

DELIVERED = (ExportStatus.DONE, ExportStatus.EXPIRED)


def exports_by_dataset(*, delegation_id: int | None = None) -> list[dict]:
    """Exports produced per dataset and format: files delivered (``done``), failures, rows delivered. 1 query.

    A file deleted since (``expired``, ``EXPORT_RETENTION_DAYS``) was delivered all the same: it counts.
    With ``delegation_id``: the exports requested by that delegation's staff.
    """
    exports = ExportRequest.objects.order_by()
    if delegation_id is not None:
        exports = exports.filter(requested_by__delegation_id=delegation_id)
    rows = exports.values("dataset", "format").annotate(
        done=Count("pk", filter=Q(status__in=DELIVERED)),
        failed=Count("pk", filter=Q(status=ExportStatus.FAILED)),
        rows=Coalesce(Sum("row_count", filter=Q(status__in=DELIVERED)), Value(0)),
    )
    formats = dict(ExportFormat.choices)
    result = [
        {
            "dataset": r["dataset"],
            "label": dataset_label(r["dataset"]),
            "format": formats.get(r["format"], r["format"]),
            "done": r["done"],
            "failed": r["failed"],
            "rows": r["rows"],
        }
        for r in rows
    ]
    return sorted(result, key=lambda r: (-r["done"], r["label"], r["format"]))
