"""The delegation workspace for partnership contracts."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from partnership import permissions
from partnership.models import Collectivity
from partnership.text import normalize_search

from . import selectors, services, signing
from .enums import ContractStatus, DocumentKind
from .forms import (
    AmendmentForm,
    AttachmentForm,
    ContractFilterForm,
    ContractForm,
    LineFormSet,
    PartyFormSet,
    ReasonForm,
    ReplaceSignerForm,
    TerminateForm,
    collectivity_label,
    line_initial,
    party_initial,
)
from .models import Theme


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
        themes = Theme.objects.filter(is_active=True)
        if contract is not None:
            # A theme retired since keeps its existing lines: offered again, else they would come back blank.
            themes = Theme.objects.filter(
                Q(is_active=True) | Q(pk__in=contract.programme_lines.values("theme_id"))
            ).order_by("family", "position", "label")
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
        from django.shortcuts import render

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
        kwargs["end_date"] = kwargs["end_date"] or services.default_end_date(kwargs["start_date"])
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
        delivered = _delivered_by_line(contract)
        for line in lines:
            line.delivered_trainee_days = delivered.get(line.pk, 0)
        documents = list(contract.documents.all())
        context.update(
            {
                "can_manage": can_manage,
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
                "signature_requests": signing.signature_requests_of(contract),
                "replace_form": ReplaceSignerForm(),
            }
        )
        return context


def _delivered_by_line(contract) -> dict:
    """Trainee-days delivered per programme line, once the trainings app provides them."""
    try:
        from trainings.selectors import delivered_trainee_days_by_line
    except ImportError:
        return {}
    return delivered_trainee_days_by_line(contract)


class ContractPdfView(LoginRequiredMixin, View):
    """The contract PDF: the stored document once sent for signature, a live preview while a draft."""

    def get(self, request, pk):
        contract = get_object_or_404(selectors.contracts_visible_to(request.user).select_related("delegation"), pk=pk)
        document = services.current_document_for_signature(contract)
        if document is not None and not contract.is_draft:
            return FileResponse(
                document.file.open("rb"), content_type="application/pdf", filename=f"{contract.reference}.pdf"
            )
        if not permissions.can_manage_delegation(
            request.user, contract.delegation_id
        ) and not permissions.can_read_everything(request.user):
            raise Http404
        from .pdf import render_contract_pdf

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

    def post(self, request, pk, **kwargs):
        contract = self.get_contract()
        form = self.form_class(request.POST, request.FILES) if self.form_class else None
        if form is not None and not form.is_valid():
            for field_errors in form.errors.values():
                for message in field_errors:
                    messages.error(request, message)
            return redirect("agreements:contract_detail", pk=contract.pk)
        try:
            self.call_service(contract, form.cleaned_data if form else {})
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


class ContractTerminateView(ContractActionView):
    form_class = TerminateForm
    success_message = "Le contrat est résilié."

    def call_service(self, contract, data):
        services.contract_terminate(
            contract=contract, actor=self.request.user, reason=data["reason"], on_date=data["on_date"]
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


class CollectivitySearchView(LoginRequiredMixin, View):
    """Search-as-you-type over every commune and EPCI: name (accents, case and hyphens ignored), INSEE or SIREN."""

    limit = 20

    def get(self, request):
        if not permissions.is_cnfpt_staff(request.user):
            raise PermissionDenied
        query = request.GET.get("q", "").strip()
        if len(query) < 2:
            return JsonResponse({"results": []})
        folded = normalize_search(query)
        results = (
            Collectivity.objects.search(query)
            .select_related("department")
            .annotate(
                rank=Case(
                    When(search_name__startswith=folded, then=Value(0)), default=Value(1), output_field=IntegerField()
                )
                if folded
                else Value(0)
            )
            .order_by("rank", "-population", "name")[: self.limit]
        )
        return JsonResponse(
            {
                "results": [
                    {
                        "code": c.code,
                        "kind": c.get_kind_display(),
                        "label": collectivity_label(c),
                        "population": c.population,
                    }
                    for c in results
                ]
            }
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
