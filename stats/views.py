"""Pages of the statistics exchange: the public dashboard, and each user's exports.

The dashboard shows aggregated figures only, so it is public; delegation staff (and national and
AMF staff) may narrow it to a delegation. Exports belong to the user who asked for them.

« Mes exports » follows its exports without a reload (``partnership.polling``): while one of the
page's exports is pending or running, its table asks ``export_table`` for itself again (htmx), and
the answer stops asking once none is, announcing to screen readers only the exports whose status changed.
"""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from partnership import permissions
from partnership.polling import polled_table, polled_table_response
from partnership.text import duration_label
from partnership.viewutils import add_error_messages, form_error_messages, gate, run_service

from . import maps, presentation, selectors, services
from .dashboard import dashboard_cached
from .enums import ExportStatus
from .forms import DashboardFilterForm, ExportRequestForm
from .registry import DATASETS

EXPORTS_PER_PAGE = 30


@require_GET
def dashboard(request):
    form = DashboardFilterForm(request.GET or None, user=request.user)
    delegation_id = form.delegation_id if form.is_bound else None
    data = dashboard_cached(delegation_id=delegation_id)
    coverage_map = maps.choropleths(data["coverage_by_department"], data["coverage_by_region"])
    delegation_name = dict(form.fields["delegation"].choices).get(delegation_id) if delegation_id else None
    return render(
        request,
        "stats/dashboard.html",
        {
            "cache_minutes": settings.STATS_CACHE_SECONDS // 60,
            "form": form,
            "data": data,
            "sections": presentation.sections(data),
            "map": coverage_map,
            "map_levels": [
                {"title": "Part des communes couvertes, par département", "map": coverage_map["departments"]},
                {"title": "Part des communes couvertes, par région", "map": coverage_map["regions"]},
            ],
            "delegation_id": delegation_id,
            "delegation_name": delegation_name,
            "can_filter": len(form.fields["delegation"].choices) > 1,
            "datasets": DATASETS,
        },
    )


def _export_table(request) -> dict:
    """The exports table of « Mes exports » (one page of the user's exports), as the page and its poll both show it."""
    context = polled_table(
        request,
        selectors.exports_of(request.user),
        per_page=EXPORTS_PER_PAGE,
        page_url="stats:export_list",
        table_url="stats:export_table",
        claim_timeout=services.claim_timeout(),
    )
    return {
        **context,
        "exports": context["rows"],
        "export_retention": duration_label(settings.EXPORT_RETENTION_DAYS),
    }


@require_GET
@gate(permissions.is_logged_in)
def export_list(request):
    return render(
        request,
        "stats/export_list.html",
        {**_export_table(request), "datasets": DATASETS, "form": ExportRequestForm(user=request.user)},
    )


@require_GET
@never_cache
def export_table(request):
    """The table of « Mes exports » alone, for the page's own polling; it announces the exports that changed."""
    return polled_table_response(
        request, "stats/export_table_partial.html", lambda: _export_table(request), page_url="stats:export_list"
    )


@require_POST
@gate(permissions.is_logged_in)
def export_create(request):
    form = ExportRequestForm(request.POST, user=request.user)
    if not form.is_valid():
        add_error_messages(request, form_error_messages(form))
        return redirect("stats:export_list")
    call = run_service(
        request,
        services.export_request_create,
        user=request.user,
        dataset=form.cleaned_data["dataset"],
        format=form.cleaned_data["format"],
        delegation_id=form.cleaned_data["delegation"],
    )
    if not call.ok:
        return redirect("stats:export_list")
    messages.success(
        request,
        "Export demandé\u00a0: il figure en tête de la liste, qui suit son avancement\u00a0; "
        "un e-mail vous enverra aussi le lien de téléchargement dès qu'il sera prêt.",
    )
    return redirect("stats:export_list")


@require_GET
@gate(permissions.is_logged_in)
def export_download(request, pk: int):
    export = get_object_or_404(selectors.exports_of(request.user), pk=pk, status=ExportStatus.DONE)
    label = DATASETS[export.dataset].key if export.dataset in DATASETS else "export"
    filename = f"{label}-{export.created_at:%Y%m%d}-{export.pk}.{export.format}"
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=filename)


@gate(permissions.is_logged_in)
def api_token(request):
    """The user's token for the detailed API: shown once, right after it is (re)generated."""
    new_key = None
    if request.method == "POST":
        new_key = services.api_token_regenerate(user=request.user)
    elif request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    token = selectors.api_token_of(request.user)
    return render(request, "stats/api_token.html", {"token": token, "new_key": new_key})
