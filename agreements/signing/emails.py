"""The e-mails of contract signing. They carry links and short facts, never the document's content,
except the final signed PDF sent to the parties once everything is signed."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from partnership.text import french_date

from ..enums import SignerRole
from ..selectors import delegation_recipients
from .phrases import NBSP, contract_subject

REMINDER = f"Rappel{NBSP}: "
LAST_REMINDER = f"Dernier rappel{NBSP}: "


def _send(subject: str, template: str, context: dict, to: list[str], attachments=()) -> None:
    body = render_to_string(template, {**context, "site_url": settings.SITE_URL})
    message = EmailMessage(subject=subject, body=body, to=to)
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    message.send()


def portal_url(token: str) -> str:
    return settings.SITE_URL + reverse("signing:portal", args=[token])


def send_signature_link(request, token: str, *, reminder: bool) -> None:
    contract = request.contract
    _send(
        signature_link_subject(request, prefix=REMINDER if reminder else ""),
        "agreements/emails/signature_link.txt",
        {
            "request": request,
            "contract": contract,
            "url": portal_url(token),
            "reminder": reminder,
            "countersign_url": settings.SITE_URL + reverse("agreements:countersign", args=[contract.pk])
            if request.role == SignerRole.DELEGATION
            else "",
        },
        [request.signer_email],
    )


def signature_link_subject(request, *, prefix: str = "", until=None) -> str:
    """« Contrat … : à signer » (« à contresigner » for the délégué), « avant le … » when ``until`` is
    given; ``prefix`` is « Rappel : » or « Dernier rappel : » on a reminder."""
    what = "à contresigner" if request.role == SignerRole.DELEGATION else "à signer"
    if until is not None:
        what += f" avant le {french_date(until)}"
    return contract_subject(request.contract, what, prefix=prefix)


def send_signature_code(request, code: str) -> None:
    _send(
        contract_subject(request.contract, "votre code de signature"),
        "agreements/emails/signature_code.txt",
        {"request": request, "code": code, "minutes": settings.SIGNATURE_CODE_VALIDITY_MINUTES},
        [request.signer_email],
    )


def send_delegation_notice(request, kind: str) -> None:
    contract = request.contract
    subjects = {
        "declined": f"refus de signature de {request.signer_name}",
        "locked": f"lien de signature de {request.signer_name} bloqué",
        "expired": f"lien de signature de {request.signer_name} expiré",
    }
    url = settings.SITE_URL + contract.get_absolute_url()
    _send(
        contract_subject(contract, subjects[kind]),
        "agreements/emails/delegation_notice.txt",
        {"request": request, "contract": contract, "kind": kind, "url": url},
        delegation_recipients(contract),
    )


def final_document_recipients(contract) -> list[str]:
    """Every signer and the delegation's staff, each address once (case aside), in a stable order."""
    addresses = [r.signer_email for r in contract.signature_requests.filter(status="signed").order_by("step", "pk")]
    addresses += delegation_recipients(contract)
    unique = {}
    for address in addresses:
        unique.setdefault(address.strip().lower(), address.strip())
    return sorted(unique.values(), key=str.lower)


def send_final_document(contract, document) -> None:
    """One e-mail per recipient: a mayor's address is not shown to the other parties."""
    with document.file.open("rb") as handle:
        content = handle.read()
    for recipient in final_document_recipients(contract):
        _send(
            contract_subject(contract, "signé par toutes les parties"),
            "agreements/emails/final_document.txt",
            {
                "contract": contract,
                "document": document,
                "verification_url": settings.SITE_URL + reverse("signing:verify"),
                "contract_url": settings.SITE_URL + contract.get_absolute_url(),
            },
            [recipient],
            attachments=[(f"{contract.reference}-signe.pdf", content, "application/pdf")],
        )
