"""What signers read, decided once (``agreements.signing.phrases``): the consent sentence fits who signs and
for whom, on the portal and in the application, and the trail keeps it; every signing e-mail names the contract."""

import pytest
from django.core import mail
from django.urls import reverse

from agreements.enums import AuditEventKind
from agreements.models import AuditEvent
from agreements.signing.phrases import consent_statement
from agreements.signing.services import sending, signatures
from tests.agreements.factories import make_contract
from tests.agreements.signing_helpers import CODE, last_mail_to, sign_request
from tests.factories import CommuneFactory, EpciFactory, UserFactory

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


@pytest.fixture
def delegate(delegation):
    return UserFactory(
        role="delegation_staff",
        delegation=delegation,
        function="Délégué régional",
        email="delegue@cnfpt.example",
        first_name="Bernard",
        last_name="Roux",
    )


@pytest.fixture
def send(delegation, delegation_staff, delegate, django_capture_on_commit_callbacks):
    def send(collectivity, **party_overrides):
        contract = make_contract(
            actor=delegation_staff, collectivities=[collectivity], delegate=delegate, title="Formation des agents"
        )
        if party_overrides:
            contract.parties.update(**party_overrides)
        with django_capture_on_commit_callbacks(execute=True):
            sending.contract_send_for_signature(contract=contract, actor=delegation_staff)
        contract.refresh_from_db()
        return contract

    return send


def test_a_mayor_consents_for_the_commune(send, delegation):
    contract = send(CommuneFactory(name="Arles-sur-Tech", department=delegation.departments.first()))
    assert consent_statement(contract.signature_requests.get(step=1)) == (
        f"J'ai lu le contrat {contract.reference} et j'accepte de le signer électroniquement au nom de la commune "
        "d'Arles-sur-Tech, en qualité de maire."
    )


def test_an_epci_president_consents_for_the_epci(send, delegation):
    epci = EpciFactory(name="CC du Pays de Fayence", department=delegation.departments.first())
    contract = send(epci, signatory_function="Présidente")
    assert consent_statement(contract.signature_requests.get(step=1)) == (
        f"J'ai lu le contrat {contract.reference} et j'accepte de le signer électroniquement au nom de la communauté "
        "de communes du Pays de Fayence, en qualité de présidente."
    )


def test_a_replacing_signer_consents_in_the_capacity_the_delegation_gave(
    send, delegation, delegation_staff, django_capture_on_commit_callbacks
):
    contract = send(CommuneFactory(name="Le Mans", department=delegation.departments.first()))
    with django_capture_on_commit_callbacks(execute=True):
        deputy = sending.signature_request_replace_signer(
            contract=contract,
            request_id=contract.signature_requests.get(step=1).pk,
            actor=delegation_staff,
            name="Paul Adjoint",
            email="adjoint@example.fr",
            function="Premier adjoint, par délégation du maire",
        )
    assert consent_statement(deputy) == (
        f"J'ai lu le contrat {contract.reference} et j'accepte de le signer électroniquement au nom de la commune "
        "du Mans, en qualité de premier adjoint, par délégation du maire."
    )


def test_the_delegue_consents_for_the_cnfpt_on_the_portal_and_in_the_application(
    django_app, send, commune, delegate, delegation, django_capture_on_commit_callbacks
):
    contract = send(commune)
    with django_capture_on_commit_callbacks(execute=True):
        sign_request(contract.signature_requests.get(step=1), name="Marie Martin")
    countersignature = contract.signature_requests.get(step=2)
    expected = (
        f"J'ai lu le contrat {contract.reference} et j'accepte de le contresigner électroniquement au nom du CNFPT, "
        f"délégation {delegation.name.removeprefix('Délégation ')}, en qualité de délégué régional."
    )
    assert consent_statement(countersignature) == expected

    # The countersign page of the application ticks the same sentence.
    page = django_app.get(reverse("agreements:countersign", args=[contract.pk]), user=delegate)
    with django_capture_on_commit_callbacks(execute=True):
        page = page.forms["send-code-form"].submit().follow()
    form = page.forms["verify-code-form"]
    form["code"] = CODE.search(last_mail_to(delegate.email).body).group(1)
    page = form.submit().follow()
    label = page.html.select_one("#countersign-form label[for=id_consent]").get_text(" ", strip=True)
    assert label == f"{expected} *"


def test_the_audit_trail_keeps_the_sentence_the_signer_ticked(send, commune, django_capture_on_commit_callbacks):
    contract = send(commune)
    request = contract.signature_requests.get(step=1)
    with django_capture_on_commit_callbacks(execute=True):
        sign_request(request, name="Marie Martin")
    event = AuditEvent.objects.get(request=request, kind=AuditEventKind.SIGNED)
    assert event.detail["consent"] == consent_statement(request)
    assert event.detail["consent"].endswith(f"au nom de la commune de {commune.name}, en qualité de maire.")


def test_every_signing_email_names_the_contract(send, delegation, delegate, django_capture_on_commit_callbacks):
    trifouilly = CommuneFactory(name="Trifouilly", department=delegation.departments.first())
    contract = send(trifouilly)
    mayor = contract.parties.get().signatory_email
    with django_capture_on_commit_callbacks(execute=True):
        sign_request(contract.signature_requests.get(step=1), name="Marie Martin")
    with django_capture_on_commit_callbacks(execute=True):
        sign_request(contract.signature_requests.get(step=2), name="Bernard Roux", function="Délégué régional")

    named = f"Contrat {contract.reference} «{NBSP}Formation des agents{NBSP}» – Trifouilly{NBSP}:"
    subjects = [(message.to, message.subject) for message in mail.outbox]
    assert subjects[:2] == [([mayor], f"{named} à signer"), ([delegate.email], f"{named} à contresigner")]
    final = [message for message in mail.outbox if mayor in message.to and message.attachments]
    assert [message.subject for message in final] == [f"{named} signé par toutes les parties"]


def test_the_code_email_names_the_contract(client, send, commune, django_capture_on_commit_callbacks):
    contract = send(commune)
    request = contract.signature_requests.get(step=1)
    with django_capture_on_commit_callbacks(execute=True):
        signatures.signature_request_send_code(request=request, client=sending.PLATFORM)
    assert last_mail_to(request.signer_email).subject == (
        f"Contrat {contract.reference} «{NBSP}Formation des agents{NBSP}» – {commune.name}{NBSP}: votre code de "
        "signature"
    )
