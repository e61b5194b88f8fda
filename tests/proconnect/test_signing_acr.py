"""Stretch: a signatory who signs after a ProConnect login has its level (acr) beside the one-time code."""

import html

import pytest
from django.urls import reverse
from webtest import Upload

from agreements.enums import DocumentKind
from agreements.signing.models import AuditEvent
from agreements.signing.services import sending
from partnership.enums import Role
from tests.agreements.factories import make_contract
from tests.agreements.signing_helpers import link_token_for, sign, sign_request, verify_identity
from tests.factories import UserFactory

CERTIFIED_LEADER = "https://proconnect.gouv.fr/assurance/certification-dirigeant"  # ProConnect's own value


@pytest.fixture
def out_for_signature(commune, delegation_staff, django_capture_on_commit_callbacks):
    contract = make_contract(actor=delegation_staff, collectivities=[commune])
    with django_capture_on_commit_callbacks(execute=True):
        sending.contract_send_for_signature(contract=contract, actor=delegation_staff)
    contract.refresh_from_db()
    return contract


def _sign_logged_in_as(client, contract, user, acr, capture):
    request = contract.signature_requests.get(step=1)
    client.force_login(user)
    session = client.session
    session["proconnect_acr"] = acr
    session.save()
    token = link_token_for(request.signer_email)
    verify_identity(client, token, request.signer_email, capture)
    sign(client, token, contract, capture=capture)
    return AuditEvent.objects.get(request=request, kind="signed").detail


def test_the_signer_s_proconnect_level_is_recorded_beside_the_code(
    client, commune, out_for_signature, django_capture_on_commit_callbacks
):
    request = out_for_signature.signature_requests.get(step=1)
    mayor = UserFactory(role=Role.SIGNATORY, collectivity=commune, email=request.signer_email.upper())

    detail = _sign_logged_in_as(client, out_for_signature, mayor, CERTIFIED_LEADER, django_capture_on_commit_callbacks)

    assert detail["proconnect_acr"] == CERTIFIED_LEADER


def test_someone_else_s_login_in_the_browser_is_not_recorded(
    client, out_for_signature, hr_contact, django_capture_on_commit_callbacks
):
    detail = _sign_logged_in_as(
        client, out_for_signature, hr_contact, CERTIFIED_LEADER, django_capture_on_commit_callbacks
    )

    assert "proconnect_acr" not in detail


def test_the_verification_report_says_the_signer_was_a_certified_leader_from_the_file_alone(
    django_app, out_for_signature, django_capture_on_commit_callbacks
):
    """The level travels in the sealed file's embedded audit trail; /verification/ reads it back from the file."""
    mayor_request = out_for_signature.signature_requests.get(step=1)
    proconnect_browser = sending.Client(
        ip_address="192.0.2.1",
        user_agent="tests",
        login_acr=CERTIFIED_LEADER,
        login_email=mayor_request.signer_email,
    )
    with django_capture_on_commit_callbacks(execute=True):
        sign_request(mayor_request, name=mayor_request.signer_name, client=proconnect_browser)
    with django_capture_on_commit_callbacks(execute=True):
        sign_request(out_for_signature.signature_requests.get(step=2), name="Bernard Roux", function="Délégué régional")
    with out_for_signature.documents.get(kind=DocumentKind.SIGNED).file.open("rb") as handle:
        sealed = handle.read()

    form = django_app.get(reverse("signing:verify")).forms["verification-form"]
    form["file"] = Upload("contrat.pdf", sealed, "application/pdf")
    report = html.unescape(form.submit().text)

    assert (
        "connecté(e) avec ProConnect\u00a0: qualité de dirigeant de son organisation certifiée par ProConnect "
        "(« certification dirigeant »)" in report
    )
    # The delegation's countersignature came without ProConnect: its line says nothing of it.
    assert report.count("connecté(e) avec ProConnect") == 1
