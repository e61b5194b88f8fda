"""« Mes imports »: the CSV files handed to a worker, followed without a reload; and the upload step every import page shares.

Like « Mes exports », through the same ``partnership.polling``: while one of the page's imports is
pending or running, its table asks ``import_table`` for itself again (htmx) and shows the lines done
so far; the answer stops asking once none is, and announces only the imports whose status changed.
"""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import number_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import imports, permissions
from .polling import polled_table, polled_table_response
from .viewutils import gate, run_service

IMPORTS_PER_PAGE = 30


def import_upload(request, kind: imports.ImportKind, target, form, summary):
    """Import the valid ``form``'s file into ``target``: the redirect to show, or ``None`` with the refusal in ``summary``.

    Imported at once: back to the target's page with the import's summary. Handed to a worker (a
    long file): to « Mes imports », which follows it.
    """
    upload = form.cleaned_data["file"]
    call = run_service(
        request,
        imports.import_file,
        summary,
        actor=request.user,
        kind=kind,
        target=target,
        content=upload.read(),
        filename=upload.name or "",
    )
    if not call.ok:
        return None
    outcome = call.result
    if outcome.queued:
        lines = number_format(outcome.request.line_count, force_grouping=True)
        messages.info(
            request,
            f"Le fichier compte {lines} lignes\u00a0: il est importé en arrière-plan. Cette page suit son avancement\u00a0; "
            "tout est importé, ou rien, avec la liste des lignes à corriger.",
        )
        return redirect("import_list")
    messages.success(request, outcome.summary)
    return redirect(kind.url(target))


def _import_table(request) -> dict:
    """The table of « Mes imports », as the page and its poll both show it, with the lines done so far."""
    context = polled_table(
        request,
        imports.imports_of(request.user),
        per_page=IMPORTS_PER_PAGE,
        page_url="import_list",
        table_url="import_table",
        claim_timeout=imports.claim_timeout(),
    )
    progress = imports.import_progress(context["rows"])
    for row in context["rows"]:
        row.lines_done = progress.get(row.pk)
    return {**context, "imports": context["rows"]}


@require_GET
@gate(permissions.is_logged_in)
def import_list(request):
    context = {
        **_import_table(request),
        "sync_max_lines": number_format(settings.IMPORT_SYNC_MAX_LINES, force_grouping=True),
        "retention_days": settings.IMPORT_RETENTION_DAYS,
    }
    return render(request, "partnership/import_list.html", context)


@require_GET
@never_cache
def import_table(request):
    """The table of « Mes imports » alone, for the page's own polling."""
    return polled_table_response(
        request, "partnership/import_table_partial.html", lambda: _import_table(request), page_url="import_list"
    )


@require_GET
@gate(permissions.is_logged_in)
def import_report(request, pk: int):
    """The error report of one's own refused import, while it is kept (``IMPORT_RETENTION_DAYS``)."""
    row = get_object_or_404(imports.imports_of(request.user).exclude(report=""), pk=pk)
    return FileResponse(row.report.open("rb"), as_attachment=True, filename=f"erreurs-import-{row.pk}.csv")
