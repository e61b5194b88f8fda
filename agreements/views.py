"""The delegation workspace for partnership contracts.

Each view has the workspace shape (``partnership.viewutils``): its gate, the contract read through a
scoped selector (out of scope: 404), a form and one service through ``run_service``, then a redirect
to the contract with a message, or the page again with the form's errors.
"""

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from partnership import permissions
from partnership.form_errors import form_errors_summary
from partnership.history import history_for
from partnership.viewutils import (
    Confirmation,
    add_error_messages,
    form_error_messages,
    gate,
    is_confirmed,
    paginate,
    render_confirmation,
    run_service,
)
from trainings.selectors import delivered_trainee_days_by_line

from . import selectors
from .confirmations import send_for_signature_confirmation
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
from .services import drafting, lifecycle
from .signing import selectors as signing_selectors
from .signing.forms import ReplaceSignerForm
from .signing.services import sending

CONTRACTS_PER_PAGE = 25
MY_CONTRACTS_PER_PAGE = 20


def _managed_contract(request, pk: int):
    """A contract ``request.user`` may change: one of their delegation's (national staff: any), else 404."""
    return get_object_or_404(selectors.contracts_manageable_by(request.user).select_related("delegation"), pk=pk)


def _back_to(contract):
    return redirect(contract)


# --- Lists --------------------------------------------------------------------------------------


@require_GET
@gate(permissions.can_use_contracts)
def contract_list(request):
    filter_form = ContractFilterForm(request.GET or None)
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    contracts = selectors.contract_list(
        request.user,
        search=filters.get("q") or "",
        status=filters.get("status") or "",
        department=(filters.get("department") or "").upper(),
        theme=str(filters["theme"].pk) if filters.get("theme") else "",
        year=str(filters.get("year") or ""),
    ).order_by(filters.get("sort") or "-created_at", "pk")
    page = paginate(request, contracts, CONTRACTS_PER_PAGE)
    return render(
        request,
        "agreements/contract_list.html",
        {
            "page": page,
            "contracts": page.object_list,
            "filter_form": filter_form,
            "can_create": permissions.can_manage_contracts(request.user),
            "awaiting_countersignature": signing_selectors.contracts_awaiting_countersignature(request.user).count(),
        },
    )


@require_GET
@gate(permissions.is_signatory)
def my_contracts(request):
    """A signatory's contracts: those of their collectivité, once sent for signature."""
    contracts = (
        selectors.contracts_visible_to(request.user)
        .select_related("delegation")
        .prefetch_related(selectors.parties_prefetch())
        .order_by("-submitted_at", "-pk")
    )
    page = paginate(request, contracts, MY_CONTRACTS_PER_PAGE)
    return render(request, "agreements/my_contracts.html", {"contracts": page.object_list, "page": page})


# --- Create and edit a draft ---------------------------------------------------------------------


def _contract_forms(request, data=None, *, contract=None):
    """The contract's form and its two formsets (parties, programme lines)."""
    user = request.user
    delegation = contract.delegation if contract else user.delegation if permissions.is_delegation_staff(user) else None
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


def _render_contract_form(request, form, parties, lines, *, contract=None, status=200):
    return render(
        request,
        "agreements/contract_form.html",
        {
            "form": form,
            "parties": parties,
            "lines": lines,
            "contract": contract,
            "errors": form_errors_summary(
                form, (parties, "Collectivité {number}"), (lines, "Ligne {number} du programme")
            ),
        },
        status=status,
    )


def _contract_fields(request, form, parties, lines) -> dict:
    data = form.cleaned_data
    return {
        "actor": request.user,
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


@gate(permissions.can_manage_contracts)
def contract_create(request):
    if request.method != "POST":
        return _render_contract_form(request, *_contract_forms(request))
    form, parties, lines = _contract_forms(request, request.POST)
    if not (form.is_valid() and parties.is_valid() and lines.is_valid()):
        return _render_contract_form(request, form, parties, lines, status=400)
    call = run_service(
        request,
        drafting.contract_create,
        form,
        delegation=form.chosen_delegation(),
        **_contract_fields(request, form, parties, lines),
    )
    if not call.ok:
        return _render_contract_form(request, form, parties, lines, status=400)
    messages.success(request, "Le brouillon de contrat est enregistré.")
    return _back_to(call.result)


@gate(permissions.can_manage_contracts)
def contract_update(request, pk: int):
    contract = _managed_contract(request, pk)
    if request.method != "POST":
        if not contract.is_draft:
            messages.error(request, "Ce contrat n'est plus un brouillon : il ne peut plus être modifié.")
            return _back_to(contract)
        return _render_contract_form(request, *_contract_forms(request, contract=contract), contract=contract)
    form, parties, lines = _contract_forms(request, request.POST, contract=contract)
    if not (form.is_valid() and parties.is_valid() and lines.is_valid()):
        return _render_contract_form(request, form, parties, lines, contract=contract, status=400)
    fields = _contract_fields(request, form, parties, lines)
    call = run_service(
        request,
        drafting.contract_update,
        form,
        contract=contract,
        expected_version=form.cleaned_data.get("version") or 0,
        removed_parties=parties.removed_ids(),
        removed_lines=lines.removed_ids(),
        **fields,
    )
    if not call.ok:
        return _render_contract_form(request, form, parties, lines, contract=contract, status=call.status)
    messages.success(request, "Les modifications du contrat sont enregistrées.")
    return _back_to(contract)


# --- The contract's page and files -----------------------------------------------------------------


@require_GET
@gate(permissions.can_read_contracts)
def contract_detail(request, pk: int):
    contract = get_object_or_404(selectors.contract_detail_queryset(request.user), pk=pk)
    user = request.user
    lines = list(contract.programme_lines.all())
    delivered = delivered_trainee_days_by_line(contract)
    for line in lines:
        line.delivered_trainee_days = delivered.get(line.pk, 0)
    documents = list(contract.documents.all())
    return render(
        request,
        "agreements/contract_detail.html",
        {
            "contract": contract,
            "can_manage": permissions.can_manage_delegation(user, contract.delegation_id),
            "countersigned": contract.status in COUNTERSIGNED_STATUSES,
            "final_document": next((d for d in reversed(documents) if d.kind == DocumentKind.SIGNED), None),
            "my_countersignature": signing_selectors.countersignature_request_for(user, contract),
            "lines": lines,
            "documents": documents,
            "signature_document": next((d for d in reversed(documents) if d.kind == DocumentKind.FOR_SIGNATURE), None),
            "readiness_problems": lifecycle.readiness_problems(contract) if contract.is_draft else [],
            "reason_form": ReasonForm(),
            "terminate_form": TerminateForm(),
            "amendment_form": AmendmentForm(),
            "attachment_form": AttachmentForm(),
            "Status": ContractStatus,
            "signature_requests": signing_selectors.signature_requests_of(contract),
            "replace_form": ReplaceSignerForm(),
            "history": history_for(contract, user=user),
        },
    )


@require_GET
@gate(permissions.can_read_contracts)
def contract_pdf(request, pk: int):
    """« Le PDF du contrat »: once countersigned, the sealed final PDF and nothing else; while out for
    signature, the exact document presented; while a draft, a live preview.

    The version presented for signature of a signed contract stays in its documents, under that name.
    """
    contract = get_object_or_404(selectors.contracts_visible_to(request.user).select_related("delegation"), pk=pk)
    if contract.status in COUNTERSIGNED_STATUSES:
        final = signing_selectors.final_document_of(contract)
        if final is None:
            messages.info(
                request,
                "Le PDF signé et scellé de ce contrat est en cours de préparation : il sera disponible ici "
                "dans quelques minutes. La version soumise à signature reste disponible parmi les documents.",
            )
            return _back_to(contract)
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
    # A draft's preview exists only for its delegation (and those who read everything).
    contract = get_object_or_404(selectors.contract_previews_visible_to(request.user), pk=contract.pk)
    response = HttpResponse(render_contract_pdf(contract), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="contrat-brouillon.pdf"'
    return response


@require_GET
@gate(permissions.can_read_contracts)
def document_download(request, pk: int, document_pk: int):
    contract = get_object_or_404(selectors.contracts_visible_to(request.user), pk=pk)
    document = get_object_or_404(contract.documents, pk=document_pk)
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1])


# --- Actions on a contract: POST, one service, back to the contract's page ----------------------------


def _form_refused(request, contract, form):
    """An action's form that does not validate: its errors as messages, on the contract's page."""
    add_error_messages(request, form_error_messages(form))
    return _back_to(contract)


@require_POST
@gate(permissions.can_manage_contracts)
def contract_submit(request, pk: int):
    contract = _managed_contract(request, pk)
    if not is_confirmed(request) and contract.is_draft and not lifecycle.readiness_problems(contract):
        return render_confirmation(request, send_for_signature_confirmation(contract))
    if run_service(request, sending.contract_send_for_signature, contract=contract, actor=request.user).ok:
        messages.success(
            request,
            "Le contrat est envoyé à la signature : sa référence est attribuée, son PDF figé, "
            "et chaque signataire de collectivité a reçu son lien personnel par e-mail.",
        )
    return _back_to(contract)


def _return_to_draft_confirmation(contract, reason: str) -> Confirmation:
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
        f"Motif inscrit dans l'historique du contrat : « {reason.strip()} ».",
    ]
    return Confirmation(
        title=f"Retirer le contrat {contract.reference} de la signature ?",
        consequences=consequences,
        confirm_label="Oui, retirer de la signature",
        cancel_url=contract.get_absolute_url(),
    )


@require_POST
@gate(permissions.can_manage_contracts)
def contract_return_to_draft(request, pk: int):
    contract = _managed_contract(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _form_refused(request, contract, form)
    reason = form.cleaned_data["reason"]
    if not is_confirmed(request):
        return render_confirmation(request, _return_to_draft_confirmation(contract, reason))
    if run_service(request, sending.signature_process_cancel, contract=contract, actor=request.user, reason=reason).ok:
        messages.success(
            request,
            "Les demandes de signature en attente sont annulées ; le contrat est revenu à l'état de brouillon.",
        )
    return _back_to(contract)


def _terminate_confirmation(contract, data) -> Confirmation:
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


@require_POST
@gate(permissions.can_manage_contracts)
def contract_terminate(request, pk: int):
    contract = _managed_contract(request, pk)
    form = TerminateForm(request.POST)
    if not form.is_valid():
        return _form_refused(request, contract, form)
    data = form.cleaned_data
    if not is_confirmed(request):
        return render_confirmation(request, _terminate_confirmation(contract, data))
    if run_service(
        request,
        lifecycle.contract_terminate,
        contract=contract,
        actor=request.user,
        reason=data["reason"],
        on_date=data["on_date"],
    ).ok:
        messages.success(request, "Le contrat est résilié.")
    return _back_to(contract)


@require_POST
@gate(permissions.can_manage_contracts)
def amendment_create(request, pk: int):
    contract = _managed_contract(request, pk)
    form = AmendmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_refused(request, contract, form)
    if run_service(
        request, lifecycle.contract_add_amendment, contract=contract, actor=request.user, **form.cleaned_data
    ).ok:
        messages.success(request, "L'avenant est enregistré.")
    return _back_to(contract)


@require_POST
@gate(permissions.can_manage_contracts)
def attachment_upload(request, pk: int):
    contract = _managed_contract(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_refused(request, contract, form)
    if run_service(
        request,
        lifecycle.contract_attach_document,
        contract=contract,
        actor=request.user,
        title=form.cleaned_data["title"],
        uploaded_file=form.cleaned_data["file"],
    ).ok:
        messages.success(request, "Le document est joint au contrat.")
    return _back_to(contract)


@require_POST
@gate(permissions.can_manage_contracts)
def signature_resend(request, pk: int, request_pk: int):
    contract = _managed_contract(request, pk)
    if run_service(
        request, sending.signature_request_resend, contract=contract, request_id=request_pk, actor=request.user
    ).ok:
        messages.success(request, "Un nouveau lien de signature a été envoyé.")
    return _back_to(contract)


def _replace_signer_confirmation(contract, request_pk: int, data) -> Confirmation | None:
    old = contract.signature_requests.filter(pk=request_pk, status__in=OPEN_REQUEST_STATUSES).first()
    if old is None:
        return None  # nothing pending to replace: the service says so
    newcomer = f"{data['name'].strip()} ({data['email'].strip().lower()}), {data['function'].strip()},"
    if old.status == SignatureRequestStatus.SENT:
        arrival = f"{newcomer} signera à sa place et recevra son lien personnel par e-mail."
    else:
        arrival = f"{newcomer} signera à sa place et recevra son lien à son tour, après les signatures qui précèdent."
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


@require_POST
@gate(permissions.can_manage_contracts)
def signature_replace(request, pk: int, request_pk: int):
    contract = _managed_contract(request, pk)
    form = ReplaceSignerForm(request.POST)
    if not form.is_valid():
        return _form_refused(request, contract, form)
    data = form.cleaned_data
    if not is_confirmed(request) and (confirmation := _replace_signer_confirmation(contract, request_pk, data)):
        return render_confirmation(request, confirmation)
    if run_service(
        request,
        sending.signature_request_replace_signer,
        contract=contract,
        request_id=request_pk,
        actor=request.user,
        **data,
    ).ok:
        messages.success(request, "Le signataire est remplacé ; le nouveau signataire a reçu son lien.")
    return _back_to(contract)
