"""The signing portal (no account: a personal link and a one-time code) and the public verification page."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.clickjacking import xframe_options_sameorigin

from partnership.auth import client_ip
from partnership.ratelimit import allow
from partnership.viewutils import Confirmation, is_confirmed, render_confirmation, run_service

from ...enums import SignerRole
from ...pdf import contract_pdf_context
from .. import phrases, selectors, verification
from ..forms import CodeForm, DeclineForm, SignForm, VerificationForm
from ..phrases import on_behalf_of
from ..services import sending, signatures

SESSION_KEY = "signature-verified-{pk}"


def request_client(request) -> sending.Client:
    """Who is at the other end of this HTTP request, for the audit trail (with the level of a ProConnect login
    in this browser, if any: the service keeps it when that account is the signer's)."""
    acr = request.session.get("proconnect_acr", "") if request.user.is_authenticated else ""
    return sending.Client(
        ip_address=client_ip(request) or None,
        user_agent=request.headers.get("User-Agent", "")[:500],
        login_acr=acr,
        login_email=request.user.email if acr else "",
    )


class PortalMixin:
    """Resolve the token; an unknown token is a 404, whatever the reason."""

    def dispatch(self, request, token, *args, **kwargs):
        self.signature_request = signatures.signature_request_for_token(token)
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

    def may_act(self) -> bool:
        """Identity confirmed in this browser session, and the request still awaits this signer."""
        return self.is_verified() and not signatures.refusal_reason(self.signature_request)

    def context(self, **extra) -> dict:
        signature_request = self.signature_request
        return {
            "signature_request": signature_request,
            "contract": signature_request.contract,
            "sender": signature_request.contract.delegation,
            "countersigning": signature_request.role == SignerRole.DELEGATION,
            "token": self.token,
            **extra,
        }

    def render(self, template: str, status: int = 200, **extra):
        return render(self.request, f"agreements/portal/{template}.html", self.context(**extra), status=status)

    def back(self):
        return redirect("signing:portal", token=self.token)

    def sign_form(self, data=None) -> SignForm:
        signature_request = self.signature_request
        return SignForm(
            data,
            signature_request=signature_request,
            initial={
                "name": signature_request.signer_name,
                "function": signature_request.signer_function,
                "document_sha256": signature_request.document.sha256,
            },
        )


class PortalView(PortalMixin, View):
    """The link's page: step 1 (code), then step 2 (reading); once signed, what happens next."""

    def get(self, request, token):
        signature_request = self.signature_request
        if selectors.signed_documents_available(signature_request):
            return self.render("signed", after=selectors.after_signing(signature_request))
        reason = signatures.refusal_reason(signature_request)
        if reason:
            return self.render("closed", reason=reason)
        opened_key = f"signature-opened-{signature_request.pk}"
        if not request.session.get(opened_key):
            # One "opened" event per browser session, not one per page load.
            signatures.signature_request_open(request=signature_request, client=request_client(request))
            request.session[opened_key] = True
        if not self.is_verified():
            return self.render(
                "identify",
                code_form=CodeForm(),
                code_pending=bool(signature_request.code_hash)
                and signature_request.code_expires_at is not None
                and signature_request.code_expires_at > timezone.now(),
                code_minutes=settings.SIGNATURE_CODE_VALIDITY_MINUTES,
                code_attempts=settings.SIGNATURE_CODE_MAX_ATTEMPTS,
            )
        return self.render("read", **contract_pdf_context(signature_request.contract))


def send_code_step(request, signature_request, client: sending.Client) -> None:
    """The « recevoir un code » step of both doors (portal link, countersigning in the application):
    rate-limited per address, the outcome told in a message."""
    if not allow(f"signature-code-ip:{client_ip(request)}", limit=20, window_seconds=3600):
        messages.error(request, "Trop de demandes de code depuis votre connexion. Réessayez dans une heure.")
        return
    if run_service(request, signatures.signature_request_send_code, request=signature_request, client=client).ok:
        messages.success(request, f"Un code à 6 chiffres vient d'être envoyé à {signature_request.signer_email}.")


def verify_code_step(request, signature_request, client: sending.Client) -> bool:
    """The code step of both doors; ``True`` once the code is confirmed, which this browser session
    remembers (``SESSION_KEY``). A refusal (the service's ``ValidationError``) is told in a message."""
    form = CodeForm(request.POST)
    if not allow(f"signature-verify-ip:{client_ip(request)}", limit=60, window_seconds=3600):
        messages.error(request, "Trop d'essais depuis votre connexion. Réessayez dans une heure.")
        return False
    if not form.is_valid():
        messages.error(request, "Saisissez le code à 6 chiffres reçu par e-mail.")
        return False
    call = run_service(
        request,
        signatures.signature_request_verify_code,
        request=signature_request,
        code=form.cleaned_data["code"],
        client=client,
    )
    if not call.ok:
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


def _pdf(document, filename: str, *, as_attachment: bool) -> FileResponse:
    return FileResponse(
        document.file.open("rb"), content_type="application/pdf", as_attachment=as_attachment, filename=filename
    )


@method_decorator(xframe_options_sameorigin, name="dispatch")
class PortalDocumentView(PortalMixin, View):
    """The exact PDF presented for signature: to read, once the identity is confirmed in this browser
    session; once signed, for as long as the link hands out what was signed. Only through its own link:
    no document id in the address, so one signer's link gives nothing of another contract."""

    def get(self, request, token):
        if not (self.may_act() or selectors.signed_documents_available(self.signature_request)):
            raise Http404
        return _pdf(
            self.signature_request.document,
            f"{self.signature_request.contract.reference}.pdf",
            as_attachment="telecharger" in request.GET,
        )


class PortalFinalDocumentView(PortalMixin, View):
    """The sealed final PDF, from a signed request's link, once the contract is countersigned and sealed."""

    def get(self, request, token):
        if not selectors.signed_documents_available(self.signature_request):
            raise Http404
        final = selectors.after_signing(self.signature_request).final_document
        if final is None:
            raise Http404
        return _pdf(final, f"{self.signature_request.contract.reference}-signe.pdf", as_attachment=True)


class SignView(PortalMixin, View):
    """Step 3: the consent sentence, name and function, « Signer »; « Refuser » follows, secondary."""

    def get(self, request, token):
        if not self.may_act():
            return self.back()
        return self.render("sign", sign_form=self.sign_form())

    def post(self, request, token):
        if not self.is_verified():
            messages.error(request, phrases.IDENTITY_FIRST)
            return self.back()
        form = self.sign_form(request.POST)
        if not form.is_valid():
            return self.render("sign", status=400, sign_form=form)
        run_service(
            request,
            signatures.signature_request_sign,
            request=self.signature_request,
            client=request_client(request),
            **form.cleaned_data,
        )
        # Signed: the link's page now says what happens next and hands out what was signed.
        # Refused: it shows the reason, above the same step.
        return self.back()


class DeclineView(PortalMixin, View):
    """« Refuser de signer »: the reason, then a confirmation that says what follows."""

    def confirmation(self, reason: str) -> Confirmation:
        signature_request = self.signature_request
        contract = signature_request.contract
        on_behalf = f" au nom {on_behalf_of(signature_request)}"
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
            cancel_url=reverse("signing:sign", args=[self.token]),
        )

    def get(self, request, token):
        if not self.may_act():
            return self.back()
        return self.render("decline", decline_form=DeclineForm())

    def post(self, request, token):
        if not self.is_verified():
            messages.error(request, phrases.IDENTITY_FIRST)
            return self.back()
        form = DeclineForm(request.POST)
        if not form.is_valid():
            return self.render("decline", status=400, decline_form=form)
        if not is_confirmed(request):
            return render_confirmation(
                request,
                self.confirmation(form.cleaned_data["reason"]),
                base_template="agreements/portal/base.html",
                context=self.context(),
            )
        call = run_service(
            request,
            signatures.signature_request_decline,
            request=self.signature_request,
            reason=form.cleaned_data["reason"],
            client=request_client(request),
        )
        if call.ok:
            messages.info(request, "Votre refus est enregistré et la délégation en est informée.")
        return self.back()


class VerificationView(View):
    """Public: is this PDF a genuine, unmodified contract signed on this platform?"""

    template_name = "agreements/portal/verification.html"

    def get(self, request):
        return render(request, self.template_name, {"form": VerificationForm()})

    def post(self, request):
        form = VerificationForm(request.POST, request.FILES)
        if not allow(f"verification-ip:{client_ip(request)}", limit=60, window_seconds=3600):
            form.add_error(None, "Trop de vérifications depuis votre connexion. Réessayez dans une heure.")
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        upload = form.cleaned_data["file"]
        verdict = verification.document_verify(content=upload.read())
        return render(
            request,
            self.template_name,
            {
                "form": VerificationForm(),
                "verdict": verdict,
                "file_name": upload.name,
                # Production refuses to start without a TSA: without one, this is a development server.
                "development_without_tsa": not settings.SIGNING_TSA_URL,
            },
        )
