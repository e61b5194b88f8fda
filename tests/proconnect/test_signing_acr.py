"""Stretch: a signatory who signs after a ProConnect login has its level (acr) beside the one-time code."""

import pytest

from agreements.signing.models import AuditEvent
from agreements.signing.services import sending
from partnership.enums import Role
from tests.agreements.factories import make_contract
from tests.agreements.signing_helpers import link_token_for, sign, verify_identity
from tests.factories import UserFactory

CERTIFIED_LEADER = "https://proconnect.gouv.fr/assurance/certification-dirigeant"


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
