"""Walk the signing portal as a signer does: the link and the code are read from the e-mails sent."""

import re

from django.core import mail
from django.urls import reverse

from agreements.signing.services import sending, signatures

LINK = re.compile(r"http://[^\s]+/signature/([A-Za-z0-9_\-]+)/")
CODE = re.compile(r"Votre code de signature est : (\d{6})")


def last_mail_to(address: str):
    messages = [m for m in mail.outbox if address in m.to]
    assert messages, f"aucun e-mail envoyé à {address}"
    return messages[-1]


def link_token_for(address: str) -> str:
    return LINK.search(last_mail_to(address).body).group(1)


def portal(token: str, name: str = "portal") -> str:
    return reverse(f"signing:{name}", args=[token])


def verify_identity(client, token: str, address: str, capture) -> None:
    with capture(execute=True):
        client.post(portal(token, "send_code"))
    code = CODE.search(last_mail_to(address).body).group(1)
    with capture(execute=True):
        response = client.post(portal(token, "verify_code"), {"code": code})
    assert response.status_code == 302


def sign(client, token: str, contract, *, name="Signataire", function="Maire", capture):
    document = contract.documents.filter(kind="for_signature").order_by("-pk").first()
    with capture(execute=True):
        return client.post(
            portal(token, "sign"),
            {"consent": "on", "name": name, "function": function, "document_sha256": document.sha256},
        )


def sign_request(request, *, name: str, function: str = "Maire", client=None) -> None:
    """A signer's whole part through the signing services: code (read as the signer would), consent, signature."""
    client = client or sending.Client(ip_address="192.0.2.1", user_agent="tests")
    codes = []
    signatures.signature_request_send_code(request=request, client=client, deliver=lambda _r, code: codes.append(code))
    assert signatures.signature_request_verify_code(request=request, code=codes[-1], client=client) is None
    request.refresh_from_db()
    signatures.signature_request_sign(
        request=request,
        name=name,
        function=function,
        consent=True,
        document_sha256=request.document.sha256,
        client=client,
    )


def collectivities_sign(contract, capture) -> None:
    """Send ``contract`` for signature (it must be a draft) and have every collectivité sign it."""
    with capture(execute=True):
        sending.contract_send_for_signature(contract=contract, actor=contract.created_by)
    with capture(execute=True):
        for request in contract.signature_requests.filter(step=1):
            sign_request(request, name=request.signer_name)
    contract.refresh_from_db()


def contract_named(contract) -> str:
    """How every signing e-mail's subject names ``contract`` (one collectivité), before « : what »."""
    party = contract.parties.get()
    return f"Contrat {contract.reference} «\u00a0{contract.title}\u00a0» – {party.collectivity.name}"
