"""Pages of the statistics exchange: the public dashboard, and each user's exports.

The dashboard shows aggregated figures only, so it is public; delegation staff (and national and
AMF staff) may narrow it to a delegation. Exports belong to the user who asked for them.

« Mes exports » follows its exports without a reload: while one of the page's exports is pending or
running, its table asks ``export_table`` for itself again (htmx), and the answer stops asking once
none is. Each request carries the exports it last saw pending or running, so that the answer can
announce, to screen readers, only the exports whose status changed since.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from partnership import permissions
from partnership.viewutils import add_error_messages, form_error_messages, gate, paginate, run_service

from . import maps, presentation, selectors, services
from .enums import ExportStatus
from .forms import DashboardFilterForm, ExportRequestForm
from .registry import DATASETS

EXPORTS_PER_PAGE = 30
# How often the table of an export in progress asks for news, in seconds; after
# ``services.claim_timeout()`` without a start or an end (a worker gone, the broker down), rarely.
POLL_SECONDS = 2
SLOW_POLL_SECONDS = 30
# Query parameters of the polling request: the exports the page last showed with each status.
SEEN_PARAMETERS = {"en_attente": ExportStatus.PENDING, "en_cours": ExportStatus.RUNNING}


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


def _ids(values: list[str]) -> set[int]:
    # Written by our own page; anything else (typed by hand) is ignored rather than refused.
    return {
        int(value) for value in values[:EXPORTS_PER_PAGE] if value.isascii() and value.isdigit() and len(value) < 12
    }


def _export_table(request) -> dict:
    """The exports table of « Mes exports » (one page of the user's exports), as the page and its poll both show it."""
    page = paginate(request, selectors.exports_of(request.user), EXPORTS_PER_PAGE)
    exports = list(page.object_list)
    seen = {status: _ids(request.GET.getlist(parameter)) for parameter, status in SEEN_PARAMETERS.items()}
    changed = [export for export in exports if any(export.pk in seen[s] and export.status != s for s in seen)]
    in_progress = [export for export in exports if export.is_in_progress]
    context = {
        "page": page,
        "exports": exports,
        "changed": changed,
        "in_progress_count": len(in_progress),
        "refresh_url": reverse("stats:export_list") + (f"?page={page.number}" if page.number > 1 else ""),
        "poll_url": None,
    }
    if in_progress:
        query = [("page", page.number)]
        query += [(p, e.pk) for p, status in SEEN_PARAMETERS.items() for e in in_progress if e.status == status]
        latest = max(export.started_at or export.created_at for export in in_progress)
        stalled = timezone.now() - latest > services.claim_timeout()
        context["poll_url"] = reverse("stats:export_table") + "?" + urlencode(query)
        context["poll_seconds"] = SLOW_POLL_SECONDS if stalled else POLL_SECONDS
    return context


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
    if not request.user.is_authenticated:
        # Logged out while the page was open: the whole page goes to the login form, not the table.
        login = redirect_to_login(reverse("stats:export_list"))
        return HttpResponseClientRedirect(login.url) if request.htmx else login
    return render(request, "stats/export_table_partial.html", _export_table(request))


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
