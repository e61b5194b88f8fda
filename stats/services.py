"""Writes of the statistics exchange: export requests, their generation and the e-mail that announces them.

Each step is claimed with a conditional UPDATE whose row count says who won, so that a task
delivered twice (Celery ``acks_late``) or run by two workers produces one file and sends one e-mail.
"""

import logging
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from partnership import permissions
from partnership.dispatch import enqueue
from partnership.models import Delegation, User

from . import emails, tasks
from .enums import ExportFormat, ExportStatus
from .files import copy_csv, write_csv, write_xlsx
from .models import ExportRequest
from .registry import DATASETS, Dataset

logger = logging.getLogger(__name__)


def claim_timeout() -> timedelta:
    """After this long, a ``running`` export is taken to belong to a worker that died: another may take it over."""
    return timedelta(seconds=getattr(settings, "STATS_EXPORT_CLAIM_TIMEOUT_SECONDS", 900))


def _check_request(*, user: User, dataset: str, format: str, delegation_id: int | None) -> None:
    if not (user and user.is_authenticated and user.is_active):
        raise ValidationError("Connectez-vous pour demander un export.")
    if dataset not in DATASETS:
        raise ValidationError({"dataset": "Jeu de données inconnu : choisissez un indicateur de la liste."})
    if format not in ExportFormat.values:
        raise ValidationError({"format": "Format inconnu : choisissez CSV ou XLSX."})
    allowed = DATASETS[dataset].allowed
    if allowed is not None and not allowed(user):
        raise ValidationError({"dataset": "Ce jeu de données ne fait pas partie de votre périmètre."})
    if delegation_id is not None:
        scope = permissions.delegation_scope(user)
        in_scope = scope is None or delegation_id in scope
        if not in_scope or not Delegation.objects.filter(pk=delegation_id).exists():
            raise ValidationError({"delegation": "Vous ne pouvez exporter que les chiffres de votre délégation."})


@transaction.atomic
def export_request_create(*, user: User, dataset: str, format: str, delegation_id: int | None = None) -> ExportRequest:
    """Record an export request and hand its generation to a worker.

    Side effects: one ``ExportRequest`` (pending); ``tasks.export_generate`` dispatched after commit.
    Raises ``ValidationError`` (in French) for an unknown dataset or format or a delegation out of
    scope; nothing is created then.
    """
    _check_request(user=user, dataset=dataset, format=format, delegation_id=delegation_id)
    export = ExportRequest.objects.create(
        requested_by=user, dataset=dataset, format=format, parameters={"delegation_id": delegation_id}
    )
    enqueue(tasks.export_generate, export.pk)
    return export


def _write(export: ExportRequest, out) -> int:
    """Stream the export's rows into the binary file ``out``; return their number."""
    dataset = DATASETS[export.dataset]
    return write_dataset(
        out, dataset, export.format, user=export.requested_by, delegation_id=export.parameters.get("delegation_id")
    )


def write_dataset(out, dataset: Dataset, format: str, *, user, delegation_id: int | None) -> int:
    """Write ``dataset`` as ``user`` sees it into the binary file ``out``, in ``format``; return the rows.

    A CSV of a queryset dataset on PostgreSQL is written by the server (``COPY``); every other file
    is streamed row by row. Either way memory stays constant.
    """
    types = [column.schema_type for column in dataset.columns]
    if format == ExportFormat.CSV and dataset.queryset is not None and connection.vendor == "postgresql":
        return copy_csv(out, dataset.header, dataset.queryset(user=user, delegation_id=delegation_id), types=types)
    rows = dataset.iter_tuples(user=user, delegation_id=delegation_id)
    if format == ExportFormat.XLSX:
        return write_xlsx(out, dataset.header, rows, title=dataset.label)
    return write_csv(out, dataset.header, rows, types=types)


def export_generate(*, export_id: int) -> bool:
    """Produce the file of a pending export; ``True`` when this call produced it.

    Claims the export (``pending → running``, or a ``running`` claim older than ``claim_timeout()``)
    with a conditional UPDATE: a redelivered task finds nothing to claim and does nothing. Writes
    the file through the default storage, then marks the export ``done`` (only if the claim is still
    this call's) and dispatches ``tasks.export_notify`` after commit. Any error while building the
    file marks the export ``failed`` with the error: it would fail again, so it is not retried.
    """
    now = timezone.now()
    claimable = Q(status=ExportStatus.PENDING) | Q(status=ExportStatus.RUNNING, started_at__lt=now - claim_timeout())
    claimed = ExportRequest.objects.filter(claimable, pk=export_id).update(
        status=ExportStatus.RUNNING, started_at=now, error=""
    )
    if not claimed:
        return False
    mine = ExportRequest.objects.filter(pk=export_id, status=ExportStatus.RUNNING, started_at=now)
    export = ExportRequest.objects.select_related("requested_by").get(pk=export_id)
    try:
        # A temporary file on local disk, not memory: a list export can be a million rows.
        with tempfile.TemporaryFile() as out:
            row_count = _write(export, out)
            out.seek(0)
            name = export.file.field.generate_filename(export, f"{export.dataset}-{export.pk}.{export.format}")
            name = export.file.storage.save(name, File(out))
    except Exception as exc:
        logger.exception("Export %s failed", export_id)
        mine.update(status=ExportStatus.FAILED, finished_at=timezone.now(), error=f"{type(exc).__name__}: {exc}")
        return False
    with transaction.atomic():
        done = mine.update(status=ExportStatus.DONE, file=name, row_count=row_count, finished_at=timezone.now())
        if done:
            enqueue(tasks.export_notify, export_id)
    if not done:
        # Our claim went stale and another worker took the export over: its file wins.
        export.file.storage.delete(name)
    return bool(done)


def export_notify(*, export_id: int) -> bool:
    """Send the requester the one e-mail announcing a finished export; ``True`` when this call sent it.

    ``notified_at`` is claimed by a conditional UPDATE in the same transaction as the sending: if
    SMTP fails, the claim rolls back and the task's retry can send it; if it is already set, nothing
    is sent again.
    """
    with transaction.atomic():
        claimed = ExportRequest.objects.filter(pk=export_id, status=ExportStatus.DONE, notified_at__isnull=True).update(
            notified_at=timezone.now(), notification_error=""
        )
        if not claimed:
            return False
        export = ExportRequest.objects.select_related("requested_by").get(pk=export_id)
        emails.send_export_ready(export)
    return True


def export_mark_notification_failed(*, export_id: int, error: str) -> None:
    """Record, for the "Mes exports" page, that the e-mail could not be sent after every retry."""
    ExportRequest.objects.filter(pk=export_id, notified_at__isnull=True).update(notification_error=error[:500])


@transaction.atomic
def api_token_regenerate(*, user: User) -> str:
    """Give ``user`` a new token for the detailed API and return it; any previous token stops working.

    Side effects: deletes the user's ``rest_framework.authtoken`` token and creates another.
    """
    from rest_framework.authtoken.models import Token

    if not (user and user.is_authenticated and user.is_active):
        raise ValidationError("Connectez-vous pour obtenir un jeton d'API.")
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user).key
