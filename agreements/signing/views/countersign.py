"""Countersigning from the application: the délégué(e), logged in, confirms their identity with a
one-time code sent by e-mail, reads the exact document and signs.

A second door onto the portal's services (``agreements.signing.services``): the same request, the same code,
consent and signature rules, the same audit events and the same guard against double submission.
Only the way in differs: the account instead of the e-mailed link, which keeps working.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import TemplateView

from partnership import permissions

from .. import selectors
from .. import services as signing
from ..forms import CodeForm, SignForm
from .portal import SESSION_KEY, request_client, send_code_step, verify_code_step


class CountersignMixin(LoginRequiredMixin):
    """The contract must await this user's countersignature; anything else does not exist (404)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.is_cnfpt_staff(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def load(self):
        self.contract = get_object_or_404(
            selectors.contracts_awaiting_countersignature(self.request.user), pk=self.kwargs["pk"]
        )
        self.signature_request = selectors.countersignature_request_for(self.request.user, self.contract)
        if self.signature_request is None:
            raise Http404

    def client(self) -> signing.Client:
        return signing.Client(**{**request_client(self.request).__dict__, "account": self.request.user})

    def is_verified(self) -> bool:
        verified_at = self.signature_request.code_verified_at
        return (
            verified_at is not None
            and self.request.session.get(SESSION_KEY.format(pk=self.signature_request.pk)) == verified_at.isoformat()
        )

    def back(self):
        return redirect("agreements:countersign", pk=self.contract.pk)


class CountersignListView(LoginRequiredMixin, TemplateView):
    """« À contresigner »: the contracts waiting for this délégué(e)'s countersignature."""

    template_name = "agreements/countersign_list.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.is_cnfpt_staff(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["contracts"] = list(selectors.contracts_awaiting_countersignature(self.request.user))
        return context


class CountersignView(CountersignMixin, View):
    template_name = "agreements/countersign.html"

    def get(self, request, pk):
        self.load()
        request_ = self.signature_request
        context = {"contract": self.contract, "signature_request": request_, "verified": self.is_verified()}
        reason = signing.refusal_reason(request_)
        if reason:
            context["reason"] = reason
        elif context["verified"]:
            context["sign_form"] = SignForm(
                signature_request=request_,
                initial={
                    "name": request.user.get_full_name() or request_.signer_name,
                    "function": request_.signer_function,
                    "document_sha256": request_.document.sha256,
                },
            )
        else:
            context["code_form"] = CodeForm()
        return render(request, self.template_name, context)


class CountersignSendCodeView(CountersignMixin, View):
    def post(self, request, pk):
        self.load()
        send_code_step(request, self.signature_request, self.client())
        return self.back()


class CountersignVerifyCodeView(CountersignMixin, View):
    def post(self, request, pk):
        self.load()
        if verify_code_step(request, self.signature_request, self.client()):
            messages.success(request, "Identité confirmée. Relisez le contrat, puis contresignez-le.")
        return self.back()


class CountersignSignView(CountersignMixin, View):
    def post(self, request, pk):
        try:
            self.load()
        except Http404:
            # A second click on « Contresigner » once the first has gone through: say so, on the contract.
            if selectors.contracts_countersigned_by(request.user).filter(pk=pk).exists():
                messages.info(request, "Vous avez déjà contresigné ce contrat.")
                return redirect("agreements:contract_detail", pk=pk)
            raise
        if not self.is_verified():
            messages.error(request, "Confirmez d'abord votre identité avec le code reçu par e-mail.")
            return self.back()
        form = SignForm(request.POST, signature_request=self.signature_request)
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
            return self.back()
        try:
            signing.signature_request_sign(request=self.signature_request, client=self.client(), **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return self.back()
        messages.success(
            request,
            "Votre contre-signature est enregistrée : le contrat est signé. Son PDF signé et scellé sera "
            "disponible sur cette page dans quelques instants et envoyé par e-mail à toutes les parties.",
        )
        return redirect("agreements:contract_detail", pk=self.contract.pk)
