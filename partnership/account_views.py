"""Accounts: one's own account, password change and reset, invitations, and the staff's accounts page.

Password change and reset are Django's views with French templates; the reset e-mail leaves through
a Celery task (``ThrottledPasswordResetForm``). An invitation is a reset link of its own kind
(``partnership.tokens``): the invited person chooses a password and is logged in.
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_POST

from . import permissions, services
from .emails import SITE_NAME
from .forms import AccountInviteForm, ThrottledPasswordResetForm
from .proconnect.config import is_enabled
from .proconnect.selectors import identity_of
from .proconnect.services import format_siret
from .selectors import accounts_manageable_by
from .text import normalize_search, of_person
from .tokens import invitation_tokens
from .viewutils import Confirmation, gate, is_confirmed, paginate, render_confirmation, run_service


@gate(permissions.is_logged_in)
def account(request):
    identity = identity_of(request.user)
    return render(
        request,
        "partnership/account.html",
        {
            "account": request.user,
            "proconnect_enabled": is_enabled(),
            "proconnect_identity": identity,
            "proconnect_siret": format_siret(identity.siret) if identity else "",
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ThrottledPasswordResetForm
    template_name = "registration/password_reset_form.html"
    success_url = reverse_lazy("password_reset_done")
    # Django puts the host in ``site_name``; the page shows the application's name.
    extra_context = {"site_name": SITE_NAME}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class _ActiveAccountLinkMixin:
    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        # A link e-mailed before the account was deactivated must not open it.
        return user if user is not None and user.is_active else None


class PasswordResetConfirmView(_ActiveAccountLinkMixin, auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


class InvitationAcceptView(_ActiveAccountLinkMixin, auth_views.PasswordResetConfirmView):
    template_name = "partnership/invitation_accept.html"
    token_generator = invitation_tokens
    post_reset_login = True
    post_reset_login_backend = "partnership.auth.AccountBackend"
    success_url = reverse_lazy("todo")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Votre mot de passe est enregistré : bienvenue.")
        return response


# --- The staff's accounts page ---------------------------------------------------------------


@gate(permissions.can_manage_accounts)
def account_list(request):
    query = request.GET.get("q", "").strip()
    accounts = accounts_manageable_by(request.user).order_by("last_name", "first_name", "pk")
    if query:
        folded = normalize_search(query)
        accounts = accounts.filter(
            Q(email__icontains=query)
            | Q(last_name__icontains=query)
            | Q(first_name__icontains=query)
            | Q(collectivity__search_name__contains=folded or query)
        )
    page = paginate(request, accounts, 50)
    rows = [(user, services.is_invitation_pending(user)) for user in page.object_list]
    return render(
        request,
        "partnership/account_list.html",
        {
            "rows": rows,
            "page": page,
            "query": query,
        },
    )


@gate(permissions.can_manage_accounts)
def account_invite(request):
    form = AccountInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        call = run_service(
            request,
            services.user_invite,
            form,
            actor=request.user,
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            role=data["role"],
            collectivity=data["collectivity"],
            function=data["function"],
            phone=data["phone"],
        )
        if call.ok:
            messages.success(request, f"Invitation envoyée à {call.result.email}.")
            return redirect("account_list")
    return render(request, "partnership/account_invite.html", {"form": form})


def _account_action(request, pk: int, action, done: str):
    account = get_object_or_404(accounts_manageable_by(request.user), pk=pk)
    if run_service(request, action, actor=request.user, user=account).ok:
        name = account.get_full_name() or account.email
        messages.success(request, done.format(name=name, of_name=of_person(name)))
    return redirect("account_list")


@require_POST
@gate(permissions.can_manage_accounts)
def account_deactivate(request, pk: int):
    account = get_object_or_404(accounts_manageable_by(request.user), pk=pk)
    if account.is_active and not is_confirmed(request):
        return render_confirmation(request, _deactivate_confirmation(account))
    return _account_action(request, pk, services.user_deactivate, "Le compte {of_name} est désactivé.")


def _deactivate_confirmation(account) -> Confirmation:
    name = account.get_full_name() or account.email
    return Confirmation(
        title=f"Désactiver le compte {of_person(name)}\u00a0?",
        consequences=[
            f"{name} ne pourra plus se connecter avec {account.email}, ni par un lien de réinitialisation "
            "du mot de passe ou d'invitation déjà envoyé.",
            "Ses sessions ouvertes prennent fin : sur un ordinateur où le compte est connecté, la page "
            "suivante demandera de se connecter.",
            "Ce que cette personne a fait reste enregistré, à son nom ; le compte pourra être réactivé.",
        ],
        confirm_label="Oui, désactiver le compte",
        cancel_url=reverse("account_list"),
    )


@require_POST
@gate(permissions.can_manage_accounts)
def account_reactivate(request, pk: int):
    return _account_action(request, pk, services.user_reactivate, "Le compte {of_name} est réactivé.")


@require_POST
@gate(permissions.can_manage_accounts)
def account_resend_invitation(request, pk: int):
    return _account_action(request, pk, services.user_invitation_resend, "Invitation renvoyée à {name}.")
