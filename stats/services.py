"""Writes of the statistics exchange: export requests, their generation and the e-mail that announces them.

Each step is claimed with a conditional UPDATE whose row count says who won, so that a task
delivered twice (Celery ``acks_late``) or run by two workers produces one file and sends one e-mail.
"""

import logging
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from itertools import islice
from typing import BinaryIO

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from rest_framework.authtoken.models import Token

from partnership import permissions
from partnership.dispatch import enqueue
from partnership.models import Delegation, User

from . import emails, task_names
from .enums import ExportFormat, ExportStatus
from .files import copy_csv, write_csv, write_xlsx
from .limits import TooManyRowsForXlsx, xlsx_refusal
from .models import ExportRequest
from .registry import DATASETS, Dataset

logger = logging.getLogger(__name__)

# A streamed export records how many rows it has written, for « Mes exports », at most this often
# (the page asks every 2 s) and only between chunks of rows, so the row loop itself pays nothing
# measurable: 42 ns a row for the chunking against about 50 µs a row for a streamed export
# (BENCHMARKS.md, 0.1 %), plus one UPDATE by primary key per interval.
PROGRESS_CHUNK_ROWS = 1000
PROGRESS_INTERVAL_SECONDS = 2.0


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
    if format == ExportFormat.XLSX and (refusal := xlsx_refusal(dataset, user=user, delegation_id=delegation_id)):
        raise ValidationError({"format": refusal})


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
    enqueue(task_names.EXPORT_GENERATE, export.pk)
    return export


def _reporting_progress(
    rows: Iterable, report: Callable[[int], object], *, chunk: int | None = None, interval: float | None = None
) -> Iterator:
    """Yield ``rows`` unchanged; between two chunks, ``report(rows yielded so far)`` once ``interval`` seconds have passed."""
    chunk = PROGRESS_CHUNK_ROWS if chunk is None else chunk
    interval = PROGRESS_INTERVAL_SECONDS if interval is None else interval
    iterator = iter(rows)
    written = 0
    last = time.monotonic()
    while batch := list(islice(iterator, chunk)):
        yield from batch
        written += len(batch)
        now = time.monotonic()
        if now - last >= interval:
            report(written)
            last = now


def _claim(export: ExportRequest):
    """The export, as long as it is still ``running`` under the claim that ``export`` was read with."""
    return ExportRequest.objects.filter(pk=export.pk, status=ExportStatus.RUNNING, started_at=export.started_at)


def _write(export: ExportRequest, out) -> int:
    """Write the export's file into the binary file ``out``; return its number of rows.

    While rows are streamed, ``row_count`` holds the rows written so far (see
    ``PROGRESS_INTERVAL_SECONDS``), updated only while this call's claim holds. A file that
    PostgreSQL writes in one ``COPY`` has no progress to tell: its page shows « En cours » alone.
    """
    return write_dataset(
        out,
        DATASETS[export.dataset],
        export.format,
        user=export.requested_by,
        delegation_id=export.parameters.get("delegation_id"),
        progress=lambda written: _claim(export).update(row_count=written),
    )


def write_dataset(
    out: BinaryIO,
    dataset: Dataset,
    format: str,
    *,
    user: User,
    delegation_id: int | None,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Write ``dataset`` as ``user`` sees it into the binary file ``out``, in ``format``; return the rows.

    A CSV of a queryset dataset on PostgreSQL is written by the server (``COPY``); every other file
    is streamed row by row, calling ``progress(rows written so far)`` now and then (see
    ``_reporting_progress``). Either way memory stays constant.
    """
    types = [column.schema_type for column in dataset.columns]
    if format == ExportFormat.CSV and dataset.queryset is not None and connection.vendor == "postgresql":
        return copy_csv(out, dataset.header, dataset.queryset(user=user, delegation_id=delegation_id), types=types)
    rows = dataset.iter_tuples(user=user, delegation_id=delegation_id)
    if progress is not None:
        rows = _reporting_progress(rows, progress)
    if format == ExportFormat.XLSX:
        # Checked again here: the rows may have grown since the request.
        if refusal := xlsx_refusal(dataset.key, user=user, delegation_id=delegation_id):
            raise TooManyRowsForXlsx(refusal)
        return write_xlsx(out, dataset.header, rows, title=dataset.label)
    return write_csv(out, dataset.header, rows, types=types)


def export_generate(*, export_id: int) -> bool:
    """Produce the file of a pending export; ``True`` when this call produced it.

    Claims the export (``pending → running``, or a ``running`` claim older than ``claim_timeout()``)
    with a conditional UPDATE: a redelivered task finds nothing to claim and does nothing. Writes
    the file through the default storage, then marks the export ``done`` (only if the claim is still
    this call's) and dispatches ``tasks.export_notify`` after commit. While writing, ``row_count``
    holds the rows written so far (see ``_write``). Any error while building the file marks the
    export ``failed`` with a French message for its page (the traceback goes to the log): it would
    fail again, so it is not retried.
    """
    now = timezone.now()
    claimable = Q(status=ExportStatus.PENDING) | Q(status=ExportStatus.RUNNING, started_at__lt=now - claim_timeout())
    claimed = ExportRequest.objects.filter(claimable, pk=export_id).update(
        status=ExportStatus.RUNNING, started_at=now, error="", row_count=None
    )
    if not claimed:
        return False
    export = ExportRequest.objects.select_related("requested_by").get(pk=export_id)
    mine = _claim(export)
    try:
        # A temporary file on local disk, not memory: a list export can be a million rows.
        with tempfile.TemporaryFile() as out:
            row_count = _write(export, out)
            out.seek(0)
            name = export.file.field.generate_filename(export, f"{export.dataset}-{export.pk}.{export.format}")
            name = export.file.storage.save(name, File(out))
    except Exception as exc:
        logger.exception("Export %s failed", export_id)
        mine.update(status=ExportStatus.FAILED, finished_at=timezone.now(), error=_failure_message(export, exc))
        return False
    with transaction.atomic():
        done = mine.update(status=ExportStatus.DONE, file=name, row_count=row_count, finished_at=timezone.now())
        if done:
            enqueue(task_names.EXPORT_NOTIFY, export_id)
    if not done:
        # Our claim went stale and another worker took the export over: its file wins.
        export.file.storage.delete(name)
    return bool(done)


def _failure_message(export: ExportRequest, exc: BaseException) -> str:
    """What « Mes exports » tells the requester about a failed export, in French; the traceback goes to the log."""
    if isinstance(exc, TooManyRowsForXlsx):
        return str(exc)
    if isinstance(exc, SoftTimeLimitExceeded):
        return (
            "Le fichier a demandé trop de temps et sa production a été interrompue. Demandez-le de nouveau "
            f"plus tard ou restreignez-le à une délégation ; si l'échec se répète, signalez l'export n° {export.pk}."
        )
    return (
        "Le fichier n'a pas pu être produit. Demandez un nouvel export ; si l'échec se répète, "
        f"signalez l'export n° {export.pk} (erreur technique : {type(exc).__name__})."
    )


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


def exports_expire(*, now=None, made_before=None, datasets=None) -> int:
    """Delete the files of exports finished more than ``EXPORT_RETENTION_DAYS`` ago; return how many.

    With ``made_before`` (and ``datasets``), also those of the given datasets made before that moment,
    whatever their age: the retention job deletes at once an export that may name someone since
    anonymised. Each export becomes ``expired`` by a conditional UPDATE (its row stays, as history
    of who exported what, when); its file is deleted once the row says so. Idempotent.
    """
    now = now or timezone.now()
    old = Q(finished_at__lt=now - timedelta(days=settings.EXPORT_RETENTION_DAYS))
    if made_before is not None:
        old |= Q(created_at__lt=made_before, dataset__in=list(datasets or ()))
    count = 0
    for pk, name in ExportRequest.objects.filter(old, status=ExportStatus.DONE).values_list("pk", "file"):
        if ExportRequest.objects.filter(pk=pk, status=ExportStatus.DONE).update(
            status=ExportStatus.EXPIRED, file="", expired_at=now
        ):
            ExportRequest._meta.get_field("file").storage.delete(name)
            count += 1
    return count


@transaction.atomic
def api_token_regenerate(*, user: User) -> str:
    """Give ``user`` a new token for the detailed API and return it; any previous token stops working.

    Side effects: deletes the user's ``rest_framework.authtoken`` token and creates another.
    """
    if not (user and user.is_authenticated and user.is_active):
        raise ValidationError("Connectez-vous pour obtenir un jeton d'API.")
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user).key
