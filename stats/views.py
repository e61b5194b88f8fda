"""Pages of the statistics exchange: the public dashboard, and each user's exports.

The dashboard shows aggregated figures only, so it is public; delegation staff (and national and
AMF staff) may narrow it to a delegation. Exports belong to the user who asked for them.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from . import maps, presentation, selectors, services
from .enums import ExportStatus
from .forms import DashboardFilterForm, ExportRequestForm
from .registry import DATASETS


@require_GET
def dashboard(request):
    form = DashboardFilterForm(request.GET or None, user=request.user)
    delegation_id = form.delegation_id if form.is_bound else None
    data = selectors.dashboard_cached(delegation_id=delegation_id)
    coverage_map = maps.choropleths(data["coverage_by_department"], data["coverage_by_region"])
    delegation_name = dict(form.fields["delegation"].choices).get(delegation_id) if delegation_id else None
    return render(
        request,
        "stats/dashboard.html",
        {
            "cache_minutes": settings.STATS_CACHE_SECONDS // 60,
            "form": form,
            "data": data,
            "blocks": presentation.blocks(data),
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


@require_GET
@login_required
def export_list(request):
    exports = selectors.exports_of(request.user)
    page = Paginator(exports, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "stats/export_list.html",
        {
            "page_obj": page,
            "exports": page.object_list,
            "is_paginated": page.has_other_pages(),
            "datasets": DATASETS,
            "form": ExportRequestForm(user=request.user),
        },
    )


@require_POST
@login_required
def export_create(request):
    form = ExportRequestForm(request.POST, user=request.user)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("stats:export_list")
    try:
        services.export_request_create(
            user=request.user,
            dataset=form.cleaned_data["dataset"],
            format=form.cleaned_data["format"],
            delegation_id=form.cleaned_data["delegation"],
        )
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
        return redirect("stats:export_list")
    messages.success(
        request, "Export demandé : vous recevrez un e-mail avec le lien de téléchargement dès qu'il sera prêt."
    )
    return redirect("stats:export_list")


@require_GET
@login_required
def export_download(request, pk: int):
    export = get_object_or_404(selectors.exports_of(request.user), pk=pk, status=ExportStatus.DONE)
    label = DATASETS[export.dataset].key if export.dataset in DATASETS else "export"
    filename = f"{label}-{export.created_at:%Y%m%d}-{export.pk}.{export.format}"
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=filename)


@login_required
def api_token(request):
    """The user's token for the detailed API: shown once, right after it is (re)generated."""
    new_key = None
    if request.method == "POST":
        new_key = services.api_token_regenerate(user=request.user)
    elif request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    token = selectors.api_token_of(request.user)
    return render(request, "stats/api_token.html", {"token": token, "new_key": new_key})
