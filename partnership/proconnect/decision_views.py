"""« Demandes d'accès », in the accounts area: the requests a delegation (or national staff) decides.

The shape of every workspace page: the accounts' gate, a selector scoped to the user (a request of another
delegation does not exist: 404), one service per action, a message, back to the list.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import history, permissions
from ..enums import AccessRequestStatus
from ..viewutils import gate, paginate, run_service
from . import services
from .forms import AccessRequestAcceptForm, AccessRequestRefuseForm
from .selectors import access_requests_visible_to

RECENT_DECISIONS = 20


@gate(permissions.can_manage_accounts)
def access_request_list(request):
    visible = access_requests_visible_to(request.user)
    pending = visible.filter(status=AccessRequestStatus.PENDING).order_by("created_at", "pk")
    decided = visible.exclude(status=AccessRequestStatus.PENDING).order_by("-decided_at", "-pk")[:RECENT_DECISIONS]
    return render(
        request,
        "partnership/access_request_list.html",
        {"page": paginate(request, pending, 50), "decided": list(decided)},
    )


def _detail(request, access_request, *, accept_form=None, refuse_form=None, status=200):
    return render(
        request,
        "partnership/access_request_detail.html",
        {
            "access_request": access_request,
            "siret": services.format_siret(access_request.siret),
            "accept_form": accept_form or AccessRequestAcceptForm(audience=access_request.audience),
            "refuse_form": refuse_form or AccessRequestRefuseForm(),
            "history": history.history_for(access_request, user=request.user),
        },
        status=status,
    )


@gate(permissions.can_manage_accounts)
def access_request_detail(request, pk: int):
    return _detail(request, get_object_or_404(access_requests_visible_to(request.user), pk=pk))


@require_POST
@gate(permissions.can_manage_accounts)
def access_request_accept(request, pk: int):
    access_request = get_object_or_404(access_requests_visible_to(request.user), pk=pk)
    form = AccessRequestAcceptForm(request.POST, audience=access_request.audience)
    if form.is_valid():
        call = run_service(
            request,
            services.access_request_accept,
            form,
            actor=request.user,
            access_request=access_request,
            role=form.cleaned_data["role"],
            delegation=form.cleaned_data.get("delegation"),
        )
        if call.ok:
            messages.success(
                request,
                f"Compte ouvert pour {access_request.full_name} ({call.result.get_role_display()})\u00a0: "
                "un e-mail l'invite à se connecter avec ProConnect.",
            )
            return redirect("access_request_list")
    return _detail(request, access_request, accept_form=form)


@require_POST
@gate(permissions.can_manage_accounts)
def access_request_refuse(request, pk: int):
    access_request = get_object_or_404(access_requests_visible_to(request.user), pk=pk)
    form = AccessRequestRefuseForm(request.POST)
    if form.is_valid():
        call = run_service(
            request,
            services.access_request_refuse,
            form,
            actor=request.user,
            access_request=access_request,
            reason=form.cleaned_data["reason"],
        )
        if call.ok:
            messages.success(request, f"Demande de {access_request.full_name} refusée\u00a0: le motif lui est envoyé.")
            return redirect("access_request_list")
    return _detail(request, access_request, refuse_form=form)
