"""The whole signing journey, from the delegation's click to the public verification of the sealed PDF."""

import io

import pytest
from asn1crypto import pem, x509
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from agreements.enums import ContractStatus, DocumentKind, SignatureRequestStatus
from agreements.models import AuditEvent
from agreements.pdf import render_contract_pdf
from agreements.signing.emails import final_document_recipients
from agreements.signing.sealing import platform_certificate_pem
from tests.agreements.factories import make_contract
from tests.agreements.signing_helpers import contract_named, link_token_for, portal, sign, verify_identity
from tests.factories import UserFactory
from tests.helpers import text


@pytest.fixture
def delegate(delegation):
    return UserFactory(
        role="delegation_staff", delegation=delegation, function="Délégué régional", email="delegue@cnfpt.example"
    )


@pytest.fixture
def draft(delegation_staff, commune, delegate):
    return make_contract(actor=delegation_staff, collectivities=[commune], delegate=delegate)


def _send(client, delegation_staff, contract, capture):
    client.force_login(delegation_staff)
    with capture(execute=True):
        response = client.post(reverse("agreements:contract_submit", args=[contract.pk]), {"confirmation": "oui"})
    assert response.status_code == 302
    client.logout()


def test_mayor_signs_then_delegate_countersigns_and_pdf_verifies(
    client, delegation_staff, draft, delegate, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    mayor_email = draft.parties.get().signatory_email
    _send(client, delegation_staff, draft, capture)
    draft.refresh_from_db()
    assert draft.status == ContractStatus.READY_FOR_SIGNATURE
    # Only the collectivité's signatory is asked first; the délégué waits.
    assert [m.to for m in mail.outbox] == [[mayor_email]]

    mayor = Client()
    token = link_token_for(mayor_email)
    assert "Confirmer votre identité" in text(mayor.get(portal(token)))
    assert mayor.get(portal(token, "document")).status_code == 404  # not before the code
    verify_identity(mayor, token, mayor_email, capture)
    page = text(mayor.get(portal(token)))
    # The contract's text reads on the page (any screen), beside the exact PDF being signed.
    assert f"Lire le contrat {draft.reference}" in page
    assert "Article 5 – Programme prévisionnel" in page and "Élaboration du plan de formation" in page
    document = draft.documents.get(kind=DocumentKind.FOR_SIGNATURE)
    assert document.sha256 in page
    shown = b"".join(mayor.get(portal(token, "document")).streaming_content)
    assert shown == document.file.read()
    sign(mayor, token, draft, name="Marie Martin", function="Maire", capture=capture)
    draft.refresh_from_db()
    assert draft.status == ContractStatus.SIGNED_BY_COLLECTIVITY
    assert f"Vous avez signé le contrat {draft.reference}" in text(mayor.get(portal(token)))

    countersigner = Client()
    delegate_token = link_token_for(delegate.email)
    verify_identity(countersigner, delegate_token, delegate.email, capture)
    sign(countersigner, delegate_token, draft, name="Bernard Roux", function="Délégué régional", capture=capture)
    draft.refresh_from_db()
    assert draft.status in (ContractStatus.SIGNED, ContractStatus.ACTIVE)

    final = draft.documents.get(kind=DocumentKind.SIGNED)
    final_bytes = final.file.read()
    final_mail = [m for m in mail.outbox if m.subject == f"{contract_named(draft)}\u00a0: signé par toutes les parties"]
    # One e-mail per person: nobody sees the others' addresses.
    assert [message.to for message in final_mail] == [[address] for address in final_document_recipients(draft)]
    assert {mayor_email, delegate.email, delegation_staff.email} <= {message.to[0] for message in final_mail}
    assert all(not message.cc and not message.bcc for message in final_mail)
    assert {message.attachments[0][1] for message in final_mail} == {final_bytes}

    # The public verification page recognises it...
    anonymous = Client()

    response = anonymous.post(reverse("signing:verify"), {"file": SimpleUploadedFile("contrat.pdf", final_bytes)})
    page = text(response)
    assert "Document authentique" in page
    assert draft.reference in page and "Marie Martin" in page and "Bernard Roux" in page
    # ...and one byte changed makes it altered.
    altered = bytearray(final_bytes)
    middle = len(altered) // 2
    altered[middle] = (altered[middle] + 1) % 256
    response = anonymous.post(reverse("signing:verify"), {"file": SimpleUploadedFile("contrat.pdf", bytes(altered))})
    page = text(response)
    assert "Document authentique" not in page
    assert "Document altéré" in page

    # The seal validates in pyHanko against the platform certificate.

    root = x509.Certificate.load(pem.unarmor(platform_certificate_pem())[2])
    signature = PdfFileReader(io.BytesIO(final_bytes)).embedded_signatures[0]
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE

    kinds = list(AuditEvent.objects.filter(contract=draft).values_list("kind", flat=True))
    for expected in ("sent", "opened", "code_sent", "code_verified", "signed", "completed", "sealed"):
        assert expected in kinds
    out = io.StringIO()
    call_command("verify_audit_trail", stdout=out)
    assert "Piste d'audit intègre" in out.getvalue()


def test_unsigned_pdf_is_unknown_and_garbage_is_unreadable(client, delegation_staff, commune):

    unsigned = render_contract_pdf(make_contract(actor=delegation_staff, collectivities=[commune]))
    response = client.post(reverse("signing:verify"), {"file": SimpleUploadedFile("x.pdf", unsigned)})
    assert "Document inconnu" in text(response)
    response = client.post(reverse("signing:verify"), {"file": SimpleUploadedFile("x.pdf", b"ceci n'est pas un PDF")})
    assert "Document illisible ou altéré" in text(response)


def test_delegate_cannot_sign_before_collectivity(
    delegation_staff, draft, delegate, client, django_capture_on_commit_callbacks
):
    _send(client, delegation_staff, draft, django_capture_on_commit_callbacks)
    countersign = draft.signature_requests.get(step=2)
    assert countersign.status == SignatureRequestStatus.WAITING
    assert countersign.token_hash is None
    assert not [m for m in mail.outbox if delegate.email in m.to]
