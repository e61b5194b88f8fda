"""The signing portal (no account: a personal link and a one-time code) and the public verification page."""

import hashlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.clickjacking import xframe_options_sameorigin

from partnership.auth import client_ip
from partnership.ratelimit import allow
from partnership.viewutils import Confirmation, is_confirmed, render_confirmation

from ...enums import DocumentKind
from ...models import ContractDocument
from .. import services as signing
from ..forms import CodeForm, DeclineForm, SignForm, VerificationForm
from ..previews import page_count, page_png
from ..sealing import SealState, inspect_seal

SESSION_KEY = "signature-verified-{pk}"


def request_client(request) -> signing.Client:
    """Who is at the other end of this HTTP request, for the audit trail."""
    return signing.Client(ip_address=client_ip(request) or None, user_agent=request.headers.get("User-Agent", "")[:500])


class PortalMixin:
    """Resolve the token; an unknown token is a 404, whatever the reason."""

    def dispatch(self, request, token, *args, **kwargs):
        self.signature_request = signing.signature_request_for_token(token)
        if self.signature_request is None:
            return render(request, "agreements/portal/invalid.html", status=404)
        self.token = token
        return super().dispatch(request, token, *args, **kwargs)

    def is_verified(self) -> bool:
        verified_at = self.signature_request.code_verified_at
        return (
            verified_at is not None
            and self.request.session.get(SESSION_KEY.format(pk=self.signature_request.pk)) == verified_at.isoformat()
        )

    def back(self):
        return redirect("signing:portal", token=self.token)


class PortalView(PortalMixin, View):
    def get(self, request, token):
        signature_request = self.signature_request
        reason = signing.refusal_reason(signature_request)
        context = {"signature_request": signature_request, "contract": signature_request.contract, "token": token}
        if reason:
            return render(request, "agreements/portal/closed.html", {**context, "reason": reason})
        opened_key = f"signature-opened-{signature_request.pk}"
        if not request.session.get(opened_key):
            # One "opened" event per browser session, not one per page load.
            signing.signature_request_open(request=signature_request, client=request_client(request))
            request.session[opened_key] = True
        if not self.is_verified():
            return render(request, "agreements/portal/identify.html", {**context, "code_form": CodeForm()})
        return render(
            request,
            "agreements/portal/sign.html",
            {
                **context,
                "sign_form": SignForm(
                    initial={
                        "name": signature_request.signer_name,
                        "function": signature_request.signer_function,
                        "document_sha256": signature_request.document.sha256,
                    }
                ),
                "decline_form": DeclineForm(),
                "pages": range(1, page_count(signature_request.document) + 1),
            },
        )


def send_code_step(request, signature_request, client: signing.Client) -> None:
    """The « recevoir un code » step of both doors (portal link, countersigning in the application):
    rate-limited per address, the outcome told in a message."""
    if not allow(f"signature-code-ip:{client_ip(request)}", limit=20, window_seconds=3600):
        messages.error(request, "Trop de demandes de code depuis votre connexion. Réessayez dans une heure.")
        return
    try:
        signing.signature_request_send_code(request=signature_request, client=client)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Un code à 6 chiffres vient d'être envoyé à {signature_request.signer_email}.")


def verify_code_step(request, signature_request, client: signing.Client) -> bool:
    """The code step of both doors; ``True`` once the code is confirmed, which this browser session
    remembers (``SESSION_KEY``). A refusal is told in a message."""
    form = CodeForm(request.POST)
    if not allow(f"signature-verify-ip:{client_ip(request)}", limit=60, window_seconds=3600):
        messages.error(request, "Trop d'essais depuis votre connexion. Réessayez dans une heure.")
        return False
    if not form.is_valid():
        messages.error(request, "Saisissez le code à 6 chiffres reçu par e-mail.")
        return False
    problem = signing.signature_request_verify_code(
        request=signature_request, code=form.cleaned_data["code"], client=client
    )
    if problem:
        messages.error(request, problem)
        return False
    signature_request.refresh_from_db()
    request.session[SESSION_KEY.format(pk=signature_request.pk)] = signature_request.code_verified_at.isoformat()
    return True


class SendCodeView(PortalMixin, View):
    def post(self, request, token):
        send_code_step(request, self.signature_request, request_client(request))
        return self.back()


class VerifyCodeView(PortalMixin, View):
    def post(self, request, token):
        if verify_code_step(request, self.signature_request, request_client(request)):
            # A new session key once the identity is proven, as at login.
            request.session.cycle_key()
            messages.success(request, "Identité confirmée. Lisez le contrat, puis signez-le ou refusez-le.")
        return self.back()


@method_decorator(xframe_options_sameorigin, name="dispatch")
class PortalDocumentView(PortalMixin, View):
    """The exact PDF presented for signature, once the signer's identity is confirmed."""

    def get(self, request, token):
        if not self.is_verified() or signing.refusal_reason(self.signature_request):
            raise Http404
        document = self.signature_request.document
        return FileResponse(
            document.file.open("rb"),
            content_type="application/pdf",
            as_attachment="telecharger" in request.GET,
            filename=f"{self.signature_request.contract.reference}.pdf",
        )


class PortalPageImageView(PortalMixin, View):
    """One page of the document as an image, once the signer's identity is confirmed."""

    def get(self, request, token, number):
        if not self.is_verified() or signing.refusal_reason(self.signature_request):
            raise Http404
        content = page_png(self.signature_request.document, number)
        if content is None:
            raise Http404
        return HttpResponse(content, content_type="image/png")


class SignView(PortalMixin, View):
    def post(self, request, token):
        if not self.is_verified():
            messages.error(request, "Confirmez d'abord votre identité avec le code reçu par e-mail.")
            return self.back()
        form = SignForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
            return self.back()
        try:
            signing.signature_request_sign(
                request=self.signature_request, client=request_client(request), **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return self.back()
        messages.success(request, "Votre signature est enregistrée. Vous recevrez le contrat signé par e-mail.")
        return self.back()


class DeclineView(PortalMixin, View):
    def confirmation(self, reason: str) -> Confirmation:
        signature_request = self.signature_request
        contract = signature_request.contract
        on_behalf = f" au nom de {signature_request.party.collectivity}" if signature_request.party_id else ""
        return Confirmation(
            title="Refuser de signer ?",
            consequences=[
                f"Vous refusez de signer le contrat {contract.reference} (« {contract.title} »){on_behalf}.",
                f"La délégation recevra votre motif : « {reason.strip()} ».",
                "La signature s'arrête pour tous les signataires : le contrat retourne à la délégation, qui pourra "
                "le modifier puis l'envoyer de nouveau à la signature.",
                "Ce lien ne permettra plus de signer ce contrat.",
            ],
            confirm_label="Oui, refuser de signer",
            cancel_url=reverse("signing:portal", args=[self.token]),
        )

    def post(self, request, token):
        if not self.is_verified():
            messages.error(request, "Confirmez d'abord votre identité avec le code reçu par e-mail.")
            return self.back()
        form = DeclineForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Indiquez le motif de votre refus.")
            return self.back()
        if not is_confirmed(request):
            return render_confirmation(request, self.confirmation(form.cleaned_data["reason"]))
        try:
            signing.signature_request_decline(
                request=self.signature_request, reason=form.cleaned_data["reason"], client=request_client(request)
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return self.back()
        messages.info(request, "Votre refus est enregistré et la délégation en est informée.")
        return self.back()


class VerificationView(View):
    """Public: is this PDF a genuine, unmodified contract signed on this platform?"""

    template_name = "agreements/portal/verification.html"
    max_bytes = 20 * 1024 * 1024

    def get(self, request):
        return render(request, self.template_name, {"form": VerificationForm()})

    def post(self, request):
        form = VerificationForm(request.POST, request.FILES)
        if not allow(f"verification-ip:{client_ip(request)}", limit=60, window_seconds=3600):
            form.add_error(None, "Trop de vérifications depuis votre connexion. Réessayez dans une heure.")
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        upload = form.cleaned_data["file"]
        if upload.size > self.max_bytes:
            form.add_error("file", "Le fichier dépasse 20 Mo : ce n'est pas un contrat de la plateforme.")
            return render(request, self.template_name, {"form": form}, status=400)
        content = upload.read()
        digest = hashlib.sha256(content).hexdigest()
        document = (
            ContractDocument.objects.filter(kind=DocumentKind.SIGNED, sha256=digest)
            .select_related("contract__delegation")
            .first()
        )
        context = {"form": VerificationForm(), "digest": digest, "file_name": upload.name}
        if document is not None:
            contract = document.contract
            context.update(
                {
                    "verdict": "genuine",
                    "document": document,
                    "contract": contract,
                    "parties": list(contract.parties.select_related("collectivity")),
                    "signers": list(
                        contract.signature_requests.filter(document__contract=contract, status="signed").order_by(
                            "step", "signed_at"
                        )
                    ),
                }
            )
        else:
            state = inspect_seal(content).state
            context["verdict"] = (
                "altered"
                if state in (SealState.MODIFIED, SealState.INTACT)
                else "unreadable"
                if state == SealState.UNREADABLE
                else "unknown"
            )
        return render(request, self.template_name, context)
