"""The e-mails of contract signing. They carry links and short facts, never the document's content,
except the final signed PDF sent to the parties once everything is signed."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from ..enums import SignerRole
from ..selectors import delegation_recipients


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
    subject = f"{'Rappel : ' if reminder else ''}Contrat {contract.reference} à signer – {contract.delegation.name}"
    _send(
        subject,
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


def send_signature_code(request, code: str) -> None:
    _send(
        "Votre code de signature",
        "agreements/emails/signature_code.txt",
        {"request": request, "code": code, "minutes": settings.SIGNATURE_CODE_VALIDITY_MINUTES},
        [request.signer_email],
    )


def send_delegation_notice(request, kind: str) -> None:
    contract = request.contract
    subjects = {
        "declined": f"Refus de signature du contrat {contract.reference}",
        "locked": f"Lien de signature bloqué – contrat {contract.reference}",
        "expired": f"Lien de signature expiré – contrat {contract.reference}",
    }
    url = settings.SITE_URL + reverse("agreements:contract_detail", args=[contract.pk])
    _send(
        subjects[kind],
        "agreements/emails/delegation_notice.txt",
        {"request": request, "contract": contract, "kind": kind, "url": url},
        delegation_recipients(contract),
    )


def send_final_document(contract, document) -> None:
    recipients = {r.signer_email for r in contract.signature_requests.filter(status="signed")}
    recipients.update(delegation_recipients(contract))
    with document.file.open("rb") as handle:
        content = handle.read()
    _send(
        f"Contrat {contract.reference} signé",
        "agreements/emails/final_document.txt",
        {
            "contract": contract,
            "document": document,
            "verification_url": settings.SITE_URL + reverse("signing:verify"),
            "contract_url": settings.SITE_URL + reverse("agreements:contract_detail", args=[contract.pk]),
        },
        sorted(recipients),
        attachments=[(f"{contract.reference}-signe.pdf", content, "application/pdf")],
    )
