"""The delegation workspace for partnership contracts."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from partnership import permissions
from partnership.history import history_for
from partnership.viewutils import Confirmation, is_confirmed, render_confirmation
from trainings.selectors import delivered_trainee_days_by_line

from . import selectors, services
from .enums import COUNTERSIGNED_STATUSES, OPEN_REQUEST_STATUSES, ContractStatus, DocumentKind, SignatureRequestStatus
from .forms import (
    AmendmentForm,
    AttachmentForm,
    ContractFilterForm,
    ContractForm,
    LineFormSet,
    PartyFormSet,
    ReasonForm,
    TerminateForm,
    line_initial,
    party_initial,
)
from .pdf import render_contract_pdf
from .signing import selectors as signing_selectors
from .signing import services as signing
from .signing.forms import ReplaceSignerForm


class WorkspaceMixin(LoginRequiredMixin):
    """CNFPT staff (national or delegation) and AMF staff read contracts; others are refused."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not (
            permissions.is_cnfpt_staff(request.user) or permissions.is_amf_staff(request.user)
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ManageMixin(LoginRequiredMixin):
    """Only CNFPT staff change contracts; the contract must be within their delegation (else 404)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.is_cnfpt_staff(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_contract(self):
        return get_object_or_404(
            selectors.contracts_manageable_by(self.request.user).select_related("delegation"), pk=self.kwargs["pk"]
        )


def _error_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [message for messages_ in error.message_dict.values() for message in messages_]
    return list(error.messages)


class ContractListView(WorkspaceMixin, ListView):
    template_name = "agreements/contract_list.html"
    context_object_name = "contracts"
    paginate_by = 25

    def get_queryset(self):
        self.filter_form = ContractFilterForm(self.request.GET or None)
        filters = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        contracts = selectors.contract_list(
            self.request.user,
            search=filters.get("q") or "",
            status=filters.get("status") or "",
            department=(filters.get("department") or "").upper(),
            theme=str(filters["theme"].pk) if filters.get("theme") else "",
            year=str(filters.get("year") or ""),
        )
        return contracts.order_by(filters.get("sort") or "-created_at", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        context["can_create"] = permissions.is_cnfpt_staff(self.request.user)
        context["awaiting_countersignature"] = signing_selectors.contracts_awaiting_countersignature(
            self.request.user
        ).count()
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        return context


class ContractFormMixin:
    template_name = "agreements/contract_form.html"

    def forms(self, data=None, *, contract=None):
        user = self.request.user
        delegation = (
            contract.delegation if contract else user.delegation if permissions.is_delegation_staff(user) else None
        )
        initial = {}
        if contract is not None:
            initial = {
                "title": contract.title,
                "start_date": contract.start_date,
                "end_date": contract.end_date,
                "delegate": contract.delegate_id,
                "advisers": [a.pk for a in contract.advisers.all()],
                "objectives": contract.objectives,
                "specific_clauses": contract.specific_clauses,
                "version": contract.version,
            }
        themes = selectors.themes_offered(contract)
        # The rows come from the database only to render the page. A submission stands on its own: its
        # rows carry their ids, and the database may have changed since the page was rendered (the
        # service then refuses the stale version rather than mistake a blank extra row for a changed one).
        rendering = contract is not None and data is None
        return (
            ContractForm(data, user=user, delegation=delegation, initial=initial, contract=contract),
            PartyFormSet(data, prefix="parties", initial=party_initial(contract) if rendering else None),
            LineFormSet(
                data,
                prefix="lines",
                initial=line_initial(contract) if rendering else None,
                form_kwargs={"themes": themes},
            ),
        )

    def render_forms(self, form, parties, lines, *, contract=None, status=200):
        return render(
            self.request,
            self.template_name,
            {"form": form, "parties": parties, "lines": lines, "contract": contract},
            status=status,
        )

    def service_kwargs(self, form, parties, lines) -> dict:
        data = form.cleaned_data
        return {
            "actor": self.request.user,
            "title": data["title"],
            "start_date": data["start_date"],
            "end_date": data.get("end_date"),
            "objectives": data.get("objectives", ""),
            "specific_clauses": data.get("specific_clauses", ""),
            "delegate": data.get("delegate"),
            "advisers": data.get("advisers") or [],
            "parties": [f.to_data() for f in parties.filled_forms()],
            "lines": [f.to_data() for f in lines.filled_forms()],
        }

    def removed_rows(self, parties, lines) -> dict:
        return {"removed_parties": parties.removed_ids(), "removed_lines": lines.removed_ids()}


class ContractCreateView(ManageMixin, ContractFormMixin, View):
    def get(self, request):
        return self.render_forms(*self.forms())

    def post(self, request):
        form, parties, lines = self.forms(request.POST)
        if not (form.is_valid() and parties.is_valid() and lines.is_valid()):
            return self.render_forms(form, parties, lines, status=400)
        delegation = form.chosen_delegation()
        try:
            contract = services.contract_create(delegation=delegation, **self.service_kwargs(form, parties, lines))
        except ValidationError as error:
            for message in _error_messages(error):
                form.add_error(None, message)
            return self.render_forms(form, parties, lines, status=400)
        messages.success(request, "Le brouillon de contrat est enregistré.")
        return redirect("agreements:contract_detail", pk=contract.pk)


class ContractUpdateView(ManageMixin, ContractFormMixin, View):
    def get(self, request, pk):
        contract = self.get_contract()
        if not contract.is_draft:
            messages.error(request, "Ce contrat n'est plus un brouillon : il ne peut plus être modifié.")
            return redirect("agreements:contract_detail", pk=contract.pk)
        return self.render_forms(*self.forms(contract=contract), contract=contract)

    def post(self, request, pk):
        contract = self.get_contract()
        form, parties, lines = self.forms(request.POST, contract=contract)
        if not (form.is_valid() and parties.is_valid() and lines.is_valid()):
            return self.render_forms(form, parties, lines, contract=contract, status=400)
        kwargs = self.service_kwargs(form, parties, lines)
        try:
            services.contract_update(
                contract=contract,
                expected_version=form.cleaned_data.get("version") or 0,
                **kwargs,
                **self.removed_rows(parties, lines),
            )
        except ValidationError as error:
            for message in _error_messages(error):
                form.add_error(None, message)
            return self.render_forms(form, parties, lines, contract=contract, status=409)
        messages.success(request, "Les modifications du contrat sont enregistrées.")
        return redirect("agreements:contract_detail", pk=contract.pk)


class ContractDetailView(LoginRequiredMixin, DetailView):
    template_name = "agreements/contract_detail.html"
    context_object_name = "contract"

    def get_queryset(self):
        return selectors.contract_detail_queryset(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract = self.object
        user = self.request.user
        can_manage = permissions.can_manage_delegation(user, contract.delegation_id)
        lines = list(contract.programme_lines.all())
        delivered = delivered_trainee_days_by_line(contract)
        for line in lines:
            line.delivered_trainee_days = delivered.get(line.pk, 0)
        documents = list(contract.documents.all())
        context.update(
            {
                "can_manage": can_manage,
                "countersigned": contract.status in COUNTERSIGNED_STATUSES,
                "final_document": next((d for d in reversed(documents) if d.kind == DocumentKind.SIGNED), None),
                "my_countersignature": signing_selectors.countersignature_request_for(user, contract),
                "lines": lines,
                "documents": documents,
                "signature_document": next(
                    (d for d in reversed(documents) if d.kind == DocumentKind.FOR_SIGNATURE), None
                ),
                "readiness_problems": services.readiness_problems(contract) if contract.is_draft else [],
                "reason_form": ReasonForm(),
                "terminate_form": TerminateForm(),
                "amendment_form": AmendmentForm(),
                "attachment_form": AttachmentForm(),
                "Status": ContractStatus,
                "signature_requests": signing_selectors.signature_requests_of(contract),
                "replace_form": ReplaceSignerForm(),
                "history": history_for(contract, user=user),
            }
        )
        return context


class ContractPdfView(LoginRequiredMixin, View):
    """« Le PDF du contrat »: once countersigned, the sealed final PDF and nothing else; while out for
    signature, the exact document presented; while a draft, a live preview.

    The version presented for signature of a signed contract stays in its documents, under that name.
    """

    def get(self, request, pk):
        contract = get_object_or_404(selectors.contracts_visible_to(request.user).select_related("delegation"), pk=pk)
        if contract.status in COUNTERSIGNED_STATUSES:
            final = signing_selectors.final_document_of(contract)
            if final is None:
                messages.info(
                    request,
                    "Le PDF signé et scellé de ce contrat est en cours de préparation : il sera disponible ici "
                    "dans quelques minutes. La version soumise à signature reste disponible parmi les documents.",
                )
                return redirect("agreements:contract_detail", pk=contract.pk)
            return FileResponse(
                final.file.open("rb"),
                content_type="application/pdf",
                as_attachment=True,
                filename=f"{contract.reference}-signe.pdf",
            )
        document = signing_selectors.current_document_for_signature(contract)
        if document is not None and not contract.is_draft:
            return FileResponse(
                document.file.open("rb"),
                content_type="application/pdf",
                as_attachment=True,
                filename=f"{contract.reference}.pdf",
            )
        if not permissions.can_manage_delegation(
            request.user, contract.delegation_id
        ) and not permissions.can_read_everything(request.user):
            raise Http404

        response = HttpResponse(render_contract_pdf(contract), content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="contrat-brouillon.pdf"'
        return response


class DocumentDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk, document_pk):
        contract = get_object_or_404(selectors.contracts_visible_to(request.user), pk=pk)
        document = get_object_or_404(contract.documents, pk=document_pk)
        return FileResponse(
            document.file.open("rb"), as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1]
        )


class ContractActionView(ManageMixin, View):
    """POST-only actions on a contract: each parses a form, calls one service, redirects."""

    form_class = None
    success_message = ""

    def call_service(self, contract, data):
        raise NotImplementedError

    def confirmation(self, contract, data) -> Confirmation | None:
        """What a destructive action asks before acting; ``None``: the action needs no confirmation."""
        return None

    def post(self, request, pk, **kwargs):
        contract = self.get_contract()
        form = self.form_class(request.POST, request.FILES) if self.form_class else None
        if form is not None and not form.is_valid():
            for field_errors in form.errors.values():
                for message in field_errors:
                    messages.error(request, message)
            return redirect("agreements:contract_detail", pk=contract.pk)
        data = form.cleaned_data if form else {}
        if not is_confirmed(request) and (confirmation := self.confirmation(contract, data)) is not None:
            return render_confirmation(request, confirmation)
        try:
            self.call_service(contract, data)
        except ValidationError as error:
            for message in _error_messages(error):
                messages.error(request, message)
        else:
            messages.success(request, self.success_message)
        return redirect("agreements:contract_detail", pk=contract.pk)


class ContractSubmitView(ContractActionView):
    success_message = (
        "Le contrat est envoyé à la signature : sa référence est attribuée, son PDF figé, "
        "et chaque signataire de collectivité a reçu son lien personnel par e-mail."
    )

    def call_service(self, contract, data):
        signing.contract_send_for_signature(contract=contract, actor=self.request.user)


class ContractReturnToDraftView(ContractActionView):
    form_class = ReasonForm
    success_message = (
        "Les demandes de signature en attente sont annulées ; le contrat est revenu à l'état de brouillon."
    )

    def call_service(self, contract, data):
        signing.signature_process_cancel(contract=contract, actor=self.request.user, reason=data["reason"])

    def confirmation(self, contract, data):
        pending = list(
            contract.signature_requests.filter(status__in=OPEN_REQUEST_STATUSES).values_list("signer_name", flat=True)
        )
        consequences = []
        if pending:
            consequences.append(
                f"Les demandes de signature en attente seront annulées ({', '.join(pending)}) : "
                "les liens déjà envoyés ne permettront plus de signer."
            )
        consequences += [
            f"Le contrat {contract.reference} reviendra à l'état de brouillon ; une fois modifié, il devra être "
            "de nouveau envoyé à la signature de chacun des signataires.",
            f"Motif inscrit dans l'historique du contrat : « {data['reason'].strip()} ».",
        ]
        return Confirmation(
            title=f"Retirer le contrat {contract.reference} de la signature ?",
            consequences=consequences,
            confirm_label="Oui, retirer de la signature",
            cancel_url=contract.get_absolute_url(),
        )


class ContractTerminateView(ContractActionView):
    form_class = TerminateForm
    success_message = "Le contrat est résilié."

    def call_service(self, contract, data):
        services.contract_terminate(
            contract=contract, actor=self.request.user, reason=data["reason"], on_date=data["on_date"]
        )

    def confirmation(self, contract, data):
        return Confirmation(
            title=f"Résilier le contrat {contract.reference} ?",
            consequences=[
                f"Le contrat {contract.reference} (« {contract.title} ») sera résilié à la date du "
                f"{data['on_date']:%d/%m/%Y}.",
                f"Motif inscrit dans l'historique du contrat : « {data['reason'].strip()} ».",
                "La résiliation est définitive : le contrat ne pourra plus être modifié, prolongé par avenant "
                "ni remis en vigueur.",
            ],
            confirm_label="Oui, résilier le contrat",
            cancel_url=contract.get_absolute_url(),
        )


class AmendmentCreateView(ContractActionView):
    form_class = AmendmentForm
    success_message = "L'avenant est enregistré."

    def call_service(self, contract, data):
        services.contract_add_amendment(contract=contract, actor=self.request.user, **data)


class AttachmentUploadView(ContractActionView):
    form_class = AttachmentForm
    success_message = "Le document est joint au contrat."

    def call_service(self, contract, data):
        services.contract_attach_document(
            contract=contract, actor=self.request.user, title=data["title"], uploaded_file=data["file"]
        )


class SignatureResendView(ContractActionView):
    success_message = "Un nouveau lien de signature a été envoyé."

    def call_service(self, contract, data):
        signing.signature_request_resend(
            contract=contract, request_id=self.kwargs["request_pk"], actor=self.request.user
        )


class SignatureReplaceView(ContractActionView):
    form_class = ReplaceSignerForm
    success_message = "Le signataire est remplacé ; le nouveau signataire a reçu son lien."

    def call_service(self, contract, data):
        signing.signature_request_replace_signer(
            contract=contract, request_id=self.kwargs["request_pk"], actor=self.request.user, **data
        )

    def confirmation(self, contract, data):
        old = contract.signature_requests.filter(pk=self.kwargs["request_pk"], status__in=OPEN_REQUEST_STATUSES).first()
        if old is None:
            return None  # nothing pending to replace: the service says so
        newcomer = f"{data['name'].strip()} ({data['email'].strip().lower()}), {data['function'].strip()},"
        if old.status == SignatureRequestStatus.SENT:
            arrival = f"{newcomer} signera à sa place et recevra son lien personnel par e-mail."
        else:
            arrival = (
                f"{newcomer} signera à sa place et recevra son lien à son tour, après les signatures qui précèdent."
            )
        return Confirmation(
            title=f"Remplacer {old.signer_name} comme signataire ?",
            consequences=[
                f"La demande de signature adressée à {old.signer_name} ({old.signer_email}) sera retirée : "
                "son lien ne permettra plus de signer.",
                arrival,
            ],
            confirm_label="Oui, remplacer le signataire",
            cancel_url=contract.get_absolute_url(),
        )


class MyContractsView(LoginRequiredMixin, TemplateView):
    """A signatory's contracts: those of their collectivité, once sent for signature."""

    template_name = "agreements/my_contracts.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.is_signatory(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["contracts"] = (
            selectors.contracts_visible_to(self.request.user)
            .select_related("delegation")
            .prefetch_related(selectors.parties_prefetch())
            .order_by("-submitted_at")
        )
        return context
