"""CSV imports: the registry each app declares its imports in, and the one way every file is imported.

An app declares an import once, in ``<app>/imports.py`` (``register(ImportKind(...))``): its
columns (a ``csvimport.CsvFormat``), the object it writes into (``target``, looked up in the
actor's scope), and ``apply``, which checks each line by calling the app's services and writes.
Everything else is here and the same for every import:

- the file goes through ``csvimport.read_csv`` (limits, encodings, separators, control characters);
- **all or nothing, every line's errors at once**: the reader's line errors and ``apply``'s
  (``LineErrors``) are reported together, and nothing is written unless there are none;
- a file of at most ``IMPORT_SYNC_MAX_LINES`` lines is imported in the request (``import_file``);
  a longer one is stored and handed to a worker (``import_run``, task ``IMPORT_RUN``), whose
  progress « Mes imports » shows; its errors come back as a CSV report, formulas neutralised
  (``partnership.spreadsheet``). The uploaded file is deleted when the import ends; the report
  after ``IMPORT_RETENTION_DAYS`` (``imports_expire``, run by the retention job).
"""

import csv
import io
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from . import task_names
from .csvimport import CsvFormat, Line, Table, line_message, read_csv
from .dispatch import enqueue
from .enums import ImportStatus
from .models import ImportRequest, User
from .spreadsheet import neutralise_formula

logger = logging.getLogger(__name__)

# « Mes imports » shows this many line errors; the report holds them all.
ERRORS_SHOWN = 100
PROGRESS_INTERVAL_SECONDS = 1.0


class LineErrors(ValidationError):
    """An import refused line by line: ``lines`` maps each faulty line number to its French messages.

    Its messages read « Ligne 4 : … », in line order, so a page shows them as they are.
    """

    def __init__(self, lines: dict[int, list[str]]):
        self.lines = {number: list(messages) for number, messages in sorted(lines.items())}
        super().__init__([line_message(number, messages) for number, messages in self.lines.items()])


@dataclass(frozen=True)
class ImportKind:
    key: str
    label: str  # French: « Inscription d'agents », in « Mes imports » and the admin
    format: Callable[[User, Any], CsvFormat]  # (actor, target) → the columns this actor's file has
    # The target of ``parameters`` as ``actor`` sees it now; ``ObjectDoesNotExist`` when out of reach.
    target: Callable[[User, dict], Any]
    parameters: Callable[[Any], dict]  # target → what the worker needs to find it again (ids)
    # Check and write every line, all or nothing; returns the French summary of what was done.
    # Raises ``LineErrors`` for faulty lines, ``ValidationError`` for what concerns the whole file.
    # Calls ``progress(lines done)`` as it goes.
    apply: Callable[..., str]
    describe: Callable[[Any], str]  # target → « Session du 12/03/2026 – … », in « Mes imports »
    url: Callable[[Any], str]  # target → the page where the imported lines are seen


_KINDS: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> ImportKind:
    if kind.key in _KINDS and _KINDS[kind.key] is not kind:
        raise ValueError(f"Import kind {kind.key!r} is declared twice.")
    _KINDS[kind.key] = kind
    return kind


def get(key: str) -> ImportKind | None:
    return _KINDS.get(key)


def kind_choices() -> list[tuple[str, str]]:
    """Choices of ``ImportRequest.kind`` (a callable: the registry stays the one declaration)."""
    return [(kind.key, kind.label) for kind in _KINDS.values()]


# --- Importing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportOutcome:
    """What ``import_file`` did: imported at once (``summary``), or handed to a worker (``request``)."""

    summary: str = ""
    request: ImportRequest | None = None

    @property
    def queued(self) -> bool:
        return self.request is not None


def _apply(kind: ImportKind, *, actor: User, target, table: Table, progress, on_success=None) -> str:
    """Run ``kind.apply`` on the accepted lines, all or nothing, with the reader's errors reported alongside.

    ``on_success`` runs inside the same transaction, after the lines: the worker marks its import
    done there, so that the lines and the status commit together or not at all.
    """
    errors = {number: list(messages) for number, messages in table.errors.items()}
    accepted = table.accepted
    if not accepted:
        raise LineErrors(errors)
    with transaction.atomic():
        try:
            summary = kind.apply(actor=actor, target=target, lines=accepted, progress=progress)
        except LineErrors as refused:
            for number, messages in refused.lines.items():
                errors.setdefault(number, []).extend(messages)
        if errors:
            # Leaving the block rolls back every line written before the first error was known.
            transaction.set_rollback(True)
        elif on_success is not None:
            on_success(summary)
    if errors:
        raise LineErrors(errors)
    return summary


def import_file(*, actor: User, kind: ImportKind, target, content: bytes, filename: str = "") -> ImportOutcome:
    """Import an uploaded CSV file into ``target`` (already looked up in ``actor``'s scope).

    A short file is imported now: its summary, or ``ValidationError`` (``LineErrors`` line by line)
    and nothing written. A longer one (over ``IMPORT_SYNC_MAX_LINES`` lines) is read first, so that
    what concerns the whole file is refused at once, then stored and handed to a worker.
    Side effects: those of ``kind.apply``; or an ``ImportRequest``, its stored file and the task
    ``IMPORT_RUN`` after commit.
    """
    table = read_csv(content, kind.format(actor, target))
    if len(table.lines) <= settings.IMPORT_SYNC_MAX_LINES:
        return ImportOutcome(summary=_apply(kind, actor=actor, target=target, table=table, progress=_no_progress))
    return ImportOutcome(
        request=_queue(
            actor=actor, kind=kind, target=target, content=content, filename=filename, line_count=len(table.lines)
        )
    )


def _no_progress(done: int) -> None:
    return None


@transaction.atomic
def _queue(*, actor: User, kind: ImportKind, target, content: bytes, filename: str, line_count: int) -> ImportRequest:
    request = ImportRequest(
        requested_by=actor,
        kind=kind.key,
        parameters=kind.parameters(target),
        target_label=kind.describe(target)[:300],
        target_url=kind.url(target)[:300],
        filename=filename[:200],
        line_count=line_count,
    )
    # A random name: the person's own file name may say what it holds.
    request.file.save(f"{uuid.uuid4().hex}.csv", ContentFile(content), save=False)
    request.save()
    enqueue(task_names.IMPORT_RUN, request.pk)
    return request


def claim_timeout() -> timedelta:
    return timedelta(seconds=settings.IMPORT_CLAIM_TIMEOUT_SECONDS)


def progress_key(import_id: int) -> str:
    return f"imports:progress:{import_id}"


def _progress_reporter(import_id: int) -> Callable[[int], None]:
    """``report(lines done)``, written to the cache at most once a second.

    The cache, not the row: the worker's lines and status commit together at the end, so an UPDATE of
    the row would stay invisible to « Mes imports » until then.
    """
    last = [0.0]

    def report(done: int) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_INTERVAL_SECONDS:
            cache.set(progress_key(import_id), done, timeout=int(claim_timeout().total_seconds()))
            last[0] = now

    return report


def import_progress(requests: list[ImportRequest]) -> dict[int, int]:
    """Lines done so far by each running import of ``requests`` (one cache read for all)."""
    running = [request.pk for request in requests if request.status == ImportStatus.RUNNING]
    if not running:
        return {}
    found = cache.get_many([progress_key(pk) for pk in running])
    return {pk: found[progress_key(pk)] for pk in running if progress_key(pk) in found}


def import_run(*, import_id: int) -> bool:
    """Import a stored file in a worker; ``True`` when this call imported it.

    Claimed by a conditional UPDATE (``pending``, or a ``running`` claim older than ``claim_timeout()``):
    a task delivered twice imports once. The lines and the ``done`` status commit in one transaction.
    A file with errors ends ``refused`` with its report; an unexpected error ``failed`` with a French
    message (the traceback goes to the log), not retried: it would fail again. Either way nothing is
    written, and the uploaded file is deleted.
    Side effects: those of the kind's ``apply``; the report file; progress in the cache.
    """
    now = timezone.now()
    claimable = Q(status=ImportStatus.PENDING) | Q(status=ImportStatus.RUNNING, started_at__lt=now - claim_timeout())
    if not ImportRequest.objects.filter(claimable, pk=import_id).update(status=ImportStatus.RUNNING, started_at=now):
        return False
    request = ImportRequest.objects.select_related("requested_by").get(pk=import_id)
    mine = ImportRequest.objects.filter(pk=import_id, status=ImportStatus.RUNNING, started_at=request.started_at)
    kind = get(request.kind)
    table = None
    try:
        if kind is None:
            raise ValidationError("Ce type d'import n'existe plus.")
        try:
            target = kind.target(request.requested_by, request.parameters)
        except ObjectDoesNotExist:
            raise ValidationError(
                "La destination de cet import n'existe plus ou ne fait plus partie de votre périmètre."
            ) from None
        with request.file.open("rb") as stored:
            content = stored.read()
        table = read_csv(content, kind.format(request.requested_by, target))

        def done(summary: str) -> None:
            mine.update(status=ImportStatus.DONE, summary=summary[:300], finished_at=timezone.now())

        _apply(
            kind,
            actor=request.requested_by,
            target=target,
            table=table,
            progress=_progress_reporter(import_id),
            on_success=done,
        )
        imported = True
    except LineErrors as refused:
        _refuse(request, mine, refused, table)
        imported = False
    except ValidationError as refused:
        mine.update(status=ImportStatus.REFUSED, error=" ".join(refused.messages), finished_at=timezone.now())
        imported = False
    except Exception as exc:
        logger.exception("Import %s failed", import_id)
        mine.update(
            status=ImportStatus.FAILED,
            error=(
                "Le fichier n'a pas pu être importé (erreur technique\u00a0: "
                f"{type(exc).__name__})\u00a0; rien n'a été enregistré. Importez-le de nouveau\u00a0; si l'échec "
                f"se répète, signalez l'import n° {import_id}."
            ),
            finished_at=timezone.now(),
        )
        imported = False
    _forget_upload(import_id)
    return imported


def _refuse(request: ImportRequest, mine: QuerySet, refused: LineErrors, table: Table | None) -> None:
    messages = [line_message(number, lines) for number, lines in refused.lines.items()]
    name = request.report.field.generate_filename(request, f"rapport-{uuid.uuid4().hex}.csv")
    name = request.report.storage.save(name, ContentFile(error_report(table, refused.lines)))
    updated = mine.update(
        status=ImportStatus.REFUSED,
        errors=messages[:ERRORS_SHOWN],
        error_count=len(messages),
        report=name,
        finished_at=timezone.now(),
    )
    if not updated:
        request.report.storage.delete(name)


def _forget_upload(import_id: int) -> None:
    """Once an import has ended, its uploaded file goes: what it held is in the database, or in the report."""
    request = ImportRequest.objects.filter(pk=import_id).exclude(
        status__in=[ImportStatus.PENDING, ImportStatus.RUNNING]
    )
    row = request.exclude(file="").values_list("file", flat=True).first()
    if row:
        ImportRequest._meta.get_field("file").storage.delete(row)
        request.update(file="")
    cache.delete(progress_key(import_id))


def error_report(table: Table | None, errors: dict[int, list[str]]) -> bytes:
    """The faulty lines as a CSV to fix in a spreadsheet: « ligne », the file's own columns, « erreurs ».

    Written like the exports (``;``, UTF-8 with BOM) and, like them, with every formula-looking cell
    made inert: the report hands back what someone typed, to be opened in Excel.
    """
    lines: dict[int, Line] = {line.number: line for line in table.lines} if table is not None else {}
    header = list(table.header) if table is not None else []
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise_formula(cell) for cell in ["ligne", *header, "erreurs"]])
    for number, messages in sorted(errors.items()):
        line = lines.get(number)
        cells = list(line.cells) if line is not None else []
        cells = (cells + [""] * len(header))[: len(header)] if header else cells
        text = "\u00a0; ".join(message.rstrip(".") for message in messages)
        writer.writerow([str(number), *(neutralise_formula(cell) for cell in cells), neutralise_formula(text)])
    return buffer.getvalue().encode("utf-8")


# --- Reading and expiry ---------------------------------------------------------------------------


def imports_of(user) -> QuerySet[ImportRequest]:
    """The imports ``user`` asked for: anybody else's look like they do not exist."""
    if not (user and user.is_authenticated):
        return ImportRequest.objects.none()
    return ImportRequest.objects.filter(requested_by=user)


def imports_expire(*, now=None) -> int:
    """Delete the files and line errors of imports ended more than ``IMPORT_RETENTION_DAYS`` ago.

    The row stays, as history (who imported how many lines into what, when, with what outcome);
    the report, the errors (which quote the lines) and the file name go. Idempotent (``expired_at``).
    An import still pending or running after that long (its task lost) ends ``failed``, its file deleted.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.IMPORT_RETENTION_DAYS)
    # An import no worker ever ended (its task lost) does not keep its file for ever either.
    stuck = ImportRequest.objects.filter(
        status__in=[ImportStatus.PENDING, ImportStatus.RUNNING], created_at__lt=cutoff
    ).values_list("pk", flat=True)
    for pk in list(stuck):
        if ImportRequest.objects.filter(pk=pk, status__in=[ImportStatus.PENDING, ImportStatus.RUNNING]).update(
            status=ImportStatus.FAILED,
            error="Aucun worker n'a terminé cet import\u00a0: rien n'a été enregistré. Importez le fichier de nouveau.",
            finished_at=now,
        ):
            _forget_upload(pk)
    old = ImportRequest.objects.filter(finished_at__lt=cutoff, expired_at__isnull=True)
    count = 0
    for pk, upload, report in old.values_list("pk", "file", "report"):
        for name in (upload, report):
            if name:
                ImportRequest._meta.get_field("file").storage.delete(name)
        count += ImportRequest.objects.filter(pk=pk, expired_at__isnull=True).update(
            expired_at=now, file="", report="", errors=[], filename="", error=""
        )
    return count
