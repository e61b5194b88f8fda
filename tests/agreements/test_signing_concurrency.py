"""Simultaneous signatures on PostgreSQL: one signature per request, one step change per contract."""

import pytest
from django.core import mail
from django.utils import timezone

from agreements.enums import ContractStatus, SignatureRequestStatus
from agreements.models import AuditEvent
from agreements.signing.services import completion, sending, signatures
from tests.agreements.factories import make_contract
from tests.concurrency import run_concurrently
from tests.factories import CommuneFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def _send(actor, collectivities):
    contract = make_contract(actor=actor, collectivities=collectivities)
    sending.contract_send_for_signature(contract=contract, actor=actor)
    contract.refresh_from_db()
    contract.signature_requests.filter(step=1).update(code_verified_at=timezone.now())
    return contract


def _signer(request, contract):
    document = contract.documents.get(kind="for_signature")

    def sign():
        return signatures.signature_request_sign(
            request=request,
            name="Signataire",
            function="Maire",
            consent=True,
            document_sha256=document.sha256,
            client=sending.Client(ip_address="127.0.0.1", user_agent="test"),
        )

    return sign


def test_same_signature_from_three_tabs_is_recorded_once(delegation_staff, commune):
    contract = _send(delegation_staff, [commune])
    request = contract.signature_requests.get(step=1)
    _results, errors = run_concurrently([_signer(request, contract) for _ in range(3)])
    assert sum(e is None for e in errors) == 1
    assert AuditEvent.objects.filter(request=request, kind="signed").count() == 1
    contract.refresh_from_db()
    assert contract.status == ContractStatus.SIGNED_BY_COLLECTIVITY


def test_union_members_signing_together_open_the_countersignature_once(delegation_staff, delegation):
    department = delegation.departments.first()
    contract = _send(delegation_staff, [CommuneFactory(department=department) for _ in range(3)])
    requests = list(contract.signature_requests.filter(step=1))
    mail.outbox.clear()
    _results, errors = run_concurrently([_signer(r, contract) for r in requests])
    assert errors == [None, None, None]
    contract.refresh_from_db()
    assert contract.status == ContractStatus.SIGNED_BY_COLLECTIVITY
    assert contract.transitions.filter(to_status=ContractStatus.SIGNED_BY_COLLECTIVITY).count() == 1
    countersign = contract.signature_requests.get(step=2)
    assert countersign.status == SignatureRequestStatus.SENT
    assert len([m for m in mail.outbox if countersign.signer_email in m.to]) == 1


def test_countersignature_from_the_app_and_the_link_at_once_is_recorded_once(delegation_staff, commune):
    contract = _send(delegation_staff, [commune])
    _signer(contract.signature_requests.get(step=1), contract)()
    request = contract.signature_requests.get(step=2)
    request.refresh_from_db()
    assert request.status == SignatureRequestStatus.SENT
    type(request).objects.filter(pk=request.pk).update(code_verified_at=timezone.now())
    document = contract.documents.get(kind="for_signature")

    def countersign(client):
        return lambda: signatures.signature_request_sign(
            request=request,
            name="Délégué",
            function="Délégué régional",
            consent=True,
            document_sha256=document.sha256,
            client=client,
        )

    in_app = sending.Client(ip_address="127.0.0.1", user_agent="app", account=delegation_staff)
    by_link = sending.Client(ip_address="127.0.0.1", user_agent="portail")
    _results, errors = run_concurrently([countersign(in_app), countersign(by_link)])
    assert sum(e is None for e in errors) == 1
    assert AuditEvent.objects.filter(request=request, kind="signed").count() == 1
    assert AuditEvent.objects.filter(contract=contract, kind="completed").count() == 1
    assert contract.documents.filter(kind="signed").count() == 1


def test_two_finalisations_at_once_store_one_sealed_pdf(delegation_staff, commune):
    contract = make_contract(actor=delegation_staff, collectivities=[commune], status=ContractStatus.SIGNED)
    _results, errors = run_concurrently([lambda: completion.contract_finalize(contract_id=contract.pk)] * 2)
    assert errors == [None, None]
    assert contract.documents.filter(kind="signed").count() == 1
    assert AuditEvent.objects.filter(contract=contract, kind="sealed").count() == 1
