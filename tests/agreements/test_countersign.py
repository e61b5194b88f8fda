"""The délégué(e) countersigns from the application: « À contresigner », a one-time code, consent, signature."""

import datetime
import html

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from agreements.enums import AuditEventKind, ContractStatus, DocumentKind, SealingStatus, SignatureRequestStatus
from agreements.models import AuditEvent
from agreements.signing import selectors
from agreements.signing.services import sending
from tests.agreements.factories import make_contract
from tests.agreements.signing_helpers import (
    CODE,
    collectivities_sign,
    contract_named,
    last_mail_to,
    link_token_for,
    portal,
    sign,
    verify_identity,
)
from tests.factories import CommuneFactory, UserFactory
from tests.querycount import assert_constant_queries


def seen(page) -> str:
    """The page as a reader sees it (HTML entities unescaped)."""
    return html.unescape(page.text)


COUNTERSIGN_URLS = ["countersign", "countersign_send_code", "countersign_verify_code", "countersign_sign"]


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
def awaiting(delegation_staff, commune, delegate, django_capture_on_commit_callbacks):
    """A contract the collectivité has signed, waiting for the délégué."""
    contract = make_contract(actor=delegation_staff, collectivities=[commune], delegate=delegate)
    collectivities_sign(contract, django_capture_on_commit_callbacks)
    assert contract.status == ContractStatus.SIGNED_BY_COLLECTIVITY
    return contract


def _verify_identity(django_app, contract, delegate, capture):
    page = django_app.get(reverse("agreements:countersign", args=[contract.pk]), user=delegate)
    with capture(execute=True):
        page = page.forms["send-code-form"].submit().follow()
    assert f"Un code à 6 chiffres vient d'être envoyé à {delegate.email}." in seen(page)
    code = CODE.search(last_mail_to(delegate.email).body).group(1)
    form = page.forms["verify-code-form"]
    form["code"] = code
    page = form.submit().follow()
    assert "Identité confirmée. Relisez le contrat, puis contresignez-le." in seen(page)
    return page


def test_delegate_countersigns_from_the_app_and_gets_the_sealed_pdf(
    django_app, awaiting, delegate, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    # The contract list points to « À contresigner », which lists the contract.
    contracts = django_app.get(reverse("agreements:contract_list"), user=delegate)
    listing = contracts.click(r"À contresigner \(1\)")
    assert [a.text for a in listing.html.select("tbody td:first-child a")] == [awaiting.reference]
    detail = django_app.get(reverse("agreements:contract_detail", args=[awaiting.pk]), user=delegate)
    assert "ce contrat attend votre contre-signature" in seen(detail)

    page = _verify_identity(django_app, awaiting, delegate, capture)
    form = page.forms["countersign-form"]
    assert form["name"].value == "Bernard Roux"
    form["consent"] = True
    with capture(execute=True):
        response = form.submit()
    assert response.location == reverse("agreements:contract_detail", args=[awaiting.pk])
    detail = response.follow()
    assert "Votre contre-signature est enregistrée : le contrat est signé." in seen(detail)

    awaiting.refresh_from_db()
    assert awaiting.status == ContractStatus.SIGNED
    assert awaiting.sealing_status == SealingStatus.SEALED
    countersignature = awaiting.signature_requests.get(step=2)
    assert countersignature.status == SignatureRequestStatus.SIGNED
    assert countersignature.signed_name == "Bernard Roux"
    # The same audit entries as the portal, naming the logged-in account.
    events = list(
        AuditEvent.objects.filter(request=countersignature)
        .exclude(kind=AuditEventKind.SENT)
        .values_list("kind", "actor", "detail")
    )
    in_app = {"via": "application", "account_id": delegate.pk}
    assert [(kind, actor) for kind, actor, _ in events] == [
        ("code_sent", "Bernard Roux <delegue@cnfpt.example>"),
        ("code_verified", "Bernard Roux <delegue@cnfpt.example>"),
        ("signed", "Bernard Roux <delegue@cnfpt.example>"),
    ]
    assert all(detail.items() >= in_app.items() for _, _, detail in events)

    # « Le PDF du contrat » is now the sealed final PDF.
    final = awaiting.documents.get(kind=DocumentKind.SIGNED)
    detail = django_app.get(reverse("agreements:contract_detail", args=[awaiting.pk]), user=delegate)
    pdf = detail.click(r"Télécharger le contrat signé \(PDF\)")
    assert pdf.body == final.file.read()
    assert pdf.headers["Content-Disposition"] == f'attachment; filename="{awaiting.reference}-signe.pdf"'
    assert detail.click("Vérifier son authenticité").request.path == reverse("signing:verify")
    assert list(selectors.contracts_awaiting_countersignature(delegate)) == []


def test_a_second_click_records_one_countersignature(
    django_app, awaiting, delegate, django_capture_on_commit_callbacks
):
    page = _verify_identity(django_app, awaiting, delegate, django_capture_on_commit_callbacks)
    form = page.forms["countersign-form"]
    form["consent"] = True
    with django_capture_on_commit_callbacks(execute=True):
        form.submit()
    again = form.submit()
    assert again.location == reverse("agreements:contract_detail", args=[awaiting.pk])
    assert "Vous avez déjà contresigné ce contrat." in seen(again.follow())
    assert AuditEvent.objects.filter(contract=awaiting, kind=AuditEventKind.SIGNED).count() == 2  # mayor, délégué
    assert awaiting.documents.filter(kind=DocumentKind.SIGNED).count() == 1


def test_identity_is_confirmed_in_this_browser_session(
    django_app_factory, awaiting, delegate, django_capture_on_commit_callbacks
):
    first = django_app_factory(csrf_checks=True)
    page = _verify_identity(first, awaiting, delegate, django_capture_on_commit_callbacks)
    form = page.forms["countersign-form"]
    form["consent"] = True
    # Another browser of the same account has not typed the code: it is asked for one.
    second = django_app_factory(csrf_checks=True)
    other = second.get(reverse("agreements:countersign", args=[awaiting.pk]), user=delegate)
    assert "countersign-form" not in other.forms and "send-code-form" in other.forms
    # Once it types a newer code, the first browser's confirmation no longer holds.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        _verify_identity(second, awaiting, delegate, django_capture_on_commit_callbacks)
        refused = form.submit().follow()
    assert "Confirmez d'abord votre identité avec le code reçu par e-mail." in seen(refused)
    awaiting.refresh_from_db()
    assert awaiting.status == ContractStatus.SIGNED_BY_COLLECTIVITY


def test_wrong_code_is_refused_with_attempts_left(django_app, awaiting, delegate, django_capture_on_commit_callbacks):
    page = django_app.get(reverse("agreements:countersign", args=[awaiting.pk]), user=delegate)
    with django_capture_on_commit_callbacks(execute=True):
        page = page.forms["send-code-form"].submit().follow()
    form = page.forms["verify-code-form"]
    form["code"] = "000000" if CODE.search(last_mail_to(delegate.email).body).group(1) != "000000" else "111111"
    page = form.submit().follow()
    assert "Code incorrect. Il vous reste 4 essais." in seen(page)
    assert "countersign-form" not in page.forms


def test_the_emailed_link_keeps_working_and_mentions_the_app(awaiting, delegate):
    message = last_mail_to(delegate.email)
    assert message.subject == f"{contract_named(awaiting)}\u00a0: à contresigner"
    assert f"/contrats/{awaiting.pk}/contresigner/" in message.body
    assert "/signature/" in message.body


@pytest.mark.parametrize("name", COUNTERSIGN_URLS)
@pytest.mark.parametrize(
    "persona, expected",
    [
        ("delegation_staff", 404),  # an agent of the same delegation who is not the délégué
        ("other_delegation_staff", 404),
        ("national_staff", 404),
        ("amf_staff", 403),
        ("signatory", 403),
        ("hr_contact", 403),
    ],
)
def test_only_the_delegate_reaches_the_countersignature(client, awaiting, persona, expected, name, request):
    client.force_login(request.getfixturevalue(persona))
    url = reverse(f"agreements:{name}", args=[awaiting.pk])
    response = client.get(url) if name == "countersign" else client.post(url)
    assert response.status_code == expected
    awaiting.refresh_from_db()
    assert awaiting.status == ContractStatus.SIGNED_BY_COLLECTIVITY
    assert awaiting.signature_requests.get(step=2).codes_sent == 0


def test_anonymous_is_sent_to_login(client, awaiting):
    response = client.get(reverse("agreements:countersign", args=[awaiting.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_nothing_to_countersign_before_the_collectivities_have_signed(
    client, delegation_staff, commune, delegate, django_capture_on_commit_callbacks
):
    contract = make_contract(actor=delegation_staff, collectivities=[commune], delegate=delegate)
    with django_capture_on_commit_callbacks(execute=True):
        sending.contract_send_for_signature(contract=contract, actor=delegation_staff)
    client.force_login(delegate)
    assert client.get(reverse("agreements:countersign", args=[contract.pk])).status_code == 404
    assert list(selectors.contracts_awaiting_countersignature(delegate)) == []


def test_a_replaced_countersigner_follows_the_new_account(
    awaiting, delegate, delegation, delegation_staff, django_capture_on_commit_callbacks
):
    deputy = UserFactory(role="delegation_staff", delegation=delegation, email="adjointe@cnfpt.example")
    request_id = awaiting.signature_requests.get(step=2).pk
    with django_capture_on_commit_callbacks(execute=True):
        sending.signature_request_replace_signer(
            contract=awaiting,
            request_id=request_id,
            actor=delegation_staff,
            name="Adjointe",
            email="Adjointe@cnfpt.example",
            function="Déléguée adjointe",
        )
    assert list(selectors.contracts_awaiting_countersignature(delegate)) == []
    assert list(selectors.contracts_awaiting_countersignature(deputy)) == [awaiting]


def test_countersign_list_queries_do_not_grow_with_rows(
    client, delegation, delegation_staff, delegate, django_capture_on_commit_callbacks
):
    def add_contract():
        contract = make_contract(
            actor=delegation_staff,
            collectivities=[CommuneFactory(department=delegation.departments.first())],
            delegate=delegate,
        )
        collectivities_sign(contract, django_capture_on_commit_callbacks)

    client.force_login(delegate)
    add_contract()

    def grow():
        for _ in range(3):
            add_contract()

    shown = assert_constant_queries(
        client,
        reverse("agreements:countersign_list"),
        grow,
        rows=lambda page: page.content.decode().count("Contresigner<span"),
    )
    assert shown == (1, 4)


def test_the_emailed_link_still_countersigns_and_the_app_then_has_nothing_to_do(
    django_app, client, awaiting, delegate, django_capture_on_commit_callbacks
):
    """One request, two doors: the délégué may still use the e-mailed link; the app page then disappears."""
    capture = django_capture_on_commit_callbacks
    page = django_app.get(reverse("agreements:countersign", args=[awaiting.pk]), user=delegate)
    assert "send-code-form" in page.forms
    token = link_token_for(delegate.email)
    verify_identity(client, token, delegate.email, capture)
    sign(client, token, awaiting, name="Bernard Roux", function="Délégué régional", capture=capture)
    awaiting.refresh_from_db()
    assert awaiting.status == ContractStatus.SIGNED
    assert awaiting.documents.filter(kind=DocumentKind.SIGNED).count() == 1
    assert (
        django_app.get(reverse("agreements:countersign", args=[awaiting.pk]), user=delegate, status=404).status_code
        == 404
    )
    assert f"Vous avez signé le contrat {awaiting.reference}" in client.get(portal(token)).content.decode()
