"""Countersigning from the application: the délégué(e), logged in, confirms their identity with a
one-time code sent by e-mail, reads the exact document and signs.

A second door onto the portal's services (``agreements.signing.services``): the same request, the same code,
consent and signature rules, the same audit events and the same guard against double submission.
Only the way in differs: the account instead of the e-mailed link, which keeps working.

Workspace views like the others (``partnership.viewutils``): the gate says who may ever countersign
(CNFPT staff, else 403); a contract that does not await this user's countersignature does not exist (404).
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from partnership import permissions
from partnership.viewutils import add_error_messages, form_error_messages, gate, run_service

from .. import phrases, selectors
from ..forms import CodeForm, SignForm
from ..services import sending, signatures
from .portal import SESSION_KEY, request_client, send_code_step, verify_code_step


def _awaiting(request, pk):
    """(contract, signature request) of the countersignature ``request.user`` owes on contract ``pk``; else 404."""
    contract = get_object_or_404(selectors.contracts_awaiting_countersignature(request.user), pk=pk)
    signature_request = selectors.countersignature_request_for(request.user, contract)
    if signature_request is None:
        raise Http404
    return contract, signature_request


def _client(request) -> sending.Client:
    return sending.Client(**{**request_client(request).__dict__, "account": request.user})


def _is_verified(request, signature_request) -> bool:
    """Has this browser session confirmed the code of this request, and is that still the current confirmation?"""
    verified_at = signature_request.code_verified_at
    return (
        verified_at is not None
        and request.session.get(SESSION_KEY.format(pk=signature_request.pk)) == verified_at.isoformat()
    )


@gate(permissions.can_manage_contracts)
def countersign_list(request):
    """« À contresigner »: the contracts waiting for this délégué(e)'s countersignature."""
    contracts = list(selectors.contracts_awaiting_countersignature(request.user))
    return render(request, "agreements/countersign_list.html", {"contracts": contracts})


@gate(permissions.can_manage_contracts)
def countersign(request, pk):
    contract, signature_request = _awaiting(request, pk)
    context = {
        "contract": contract,
        "signature_request": signature_request,
        "verified": _is_verified(request, signature_request),
    }
    reason = signatures.refusal_reason(signature_request)
    if reason:
        context["reason"] = reason
    elif context["verified"]:
        context["sign_form"] = SignForm(
            signature_request=signature_request,
            initial={
                "name": request.user.get_full_name() or signature_request.signer_name,
                "function": signature_request.signer_function,
                "document_sha256": signature_request.document.sha256,
            },
        )
    else:
        context["code_form"] = CodeForm()
    return render(request, "agreements/countersign.html", context)


@require_POST
@gate(permissions.can_manage_contracts)
def countersign_send_code(request, pk):
    _contract, signature_request = _awaiting(request, pk)
    send_code_step(request, signature_request, _client(request))
    return redirect("agreements:countersign", pk=pk)


@require_POST
@gate(permissions.can_manage_contracts)
def countersign_verify_code(request, pk):
    _contract, signature_request = _awaiting(request, pk)
    if verify_code_step(request, signature_request, _client(request)):
        messages.success(request, "Identité confirmée. Relisez le contrat, puis contresignez-le.")
    return redirect("agreements:countersign", pk=pk)


@require_POST
@gate(permissions.can_manage_contracts)
def countersign_sign(request, pk):
    try:
        contract, signature_request = _awaiting(request, pk)
    except Http404:
        # A second click on « Contresigner » once the first has gone through: say so, on the contract.
        if selectors.contracts_countersigned_by(request.user).filter(pk=pk).exists():
            messages.info(request, "Vous avez déjà contresigné ce contrat.")
            return redirect("agreements:contract_detail", pk=pk)
        raise
    if not _is_verified(request, signature_request):
        messages.error(request, phrases.IDENTITY_FIRST)
        return redirect("agreements:countersign", pk=pk)
    form = SignForm(request.POST, signature_request=signature_request)
    if not form.is_valid():
        add_error_messages(request, form_error_messages(form))
        return redirect("agreements:countersign", pk=pk)
    call = run_service(
        request,
        signatures.signature_request_sign,
        request=signature_request,
        client=_client(request),
        **form.cleaned_data,
    )
    if not call.ok:
        return redirect("agreements:countersign", pk=pk)
    messages.success(
        request,
        "Votre contre-signature est enregistrée : le contrat est signé. Son PDF signé et scellé sera "
        "disponible sur cette page dans quelques instants et envoyé par e-mail à toutes les parties.",
    )
    return redirect("agreements:contract_detail", pk=contract.pk)
