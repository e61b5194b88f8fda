"""The one polling table of the pages that follow work done by a worker (« Mes exports », « Mes imports »).

While one of the page's rows is pending or running, its table asks for itself again (htmx) every
``POLL_SECONDS``; every ``SLOW_POLL_SECONDS`` once the most recent of them has waited longer than
the worker's claim timeout (a worker gone, the broker down); and not at all once none is. Each
request carries the rows it last saw pending or running (``SEEN_PARAMETERS``), so that the answer
announces to screen readers only the rows whose status changed since.
"""

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

from .viewutils import paginate

POLL_SECONDS = 2
SLOW_POLL_SECONDS = 30
# Query parameters of the polling request → the status they carry ("pending", "running" in every model).
SEEN_PARAMETERS = {"en_attente": "pending", "en_cours": "running"}


def _ids(values: list[str], limit: int) -> set[int]:
    # Written by our own page; anything else (typed by hand) is ignored rather than refused.
    return {int(value) for value in values[:limit] if value.isascii() and value.isdigit() and len(value) < 12}


def polled_table(request, rows, *, per_page: int, page_url: str, table_url: str, claim_timeout: timedelta) -> dict:
    """The context of one page of ``rows`` (objects with ``status``, ``is_in_progress``, ``created_at``,
    ``started_at``): the rows, those whose status changed since the last poll, and the poll's URL and pace."""
    page = paginate(request, rows, per_page)
    shown = list(page.object_list)
    seen = {status: _ids(request.GET.getlist(parameter), per_page) for parameter, status in SEEN_PARAMETERS.items()}
    changed = [row for row in shown if any(row.pk in seen[s] and row.status != s for s in seen)]
    in_progress = [row for row in shown if row.is_in_progress]
    context = {
        "page": page,
        "rows": shown,
        "changed": changed,
        "in_progress_count": len(in_progress),
        "refresh_url": reverse(page_url) + (f"?page={page.number}" if page.number > 1 else ""),
        "poll_url": None,
    }
    if in_progress:
        query = [("page", page.number)]
        query += [(p, row.pk) for p, status in SEEN_PARAMETERS.items() for row in in_progress if row.status == status]
        latest = max(row.started_at or row.created_at for row in in_progress)
        stalled = timezone.now() - latest > claim_timeout
        context["poll_url"] = reverse(table_url) + "?" + urlencode(query)
        context["poll_seconds"] = SLOW_POLL_SECONDS if stalled else POLL_SECONDS
    return context


def polled_table_response(request, template: str, context, *, page_url: str):
    """The polled table alone (``context()`` gives its context); logged out while the page was open, the whole
    page goes to the login form (an htmx client redirect), not the table."""
    if not request.user.is_authenticated:
        login = redirect_to_login(reverse(page_url))
        return HttpResponseClientRedirect(login.url) if request.htmx else login
    return render(request, template, context())
