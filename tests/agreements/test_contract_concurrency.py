"""Numbering and transitions under concurrent submissions (real row locks: PostgreSQL only)."""

import pytest
from django.core.exceptions import ValidationError

from agreements.enums import ContractStatus
from agreements.models import PartnershipContract
from agreements.services import lifecycle
from agreements.signing.services import sending
from tests.agreements.factories import make_contract
from tests.concurrency import run_concurrently
from tests.factories import CommuneFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def test_parallel_submissions_get_distinct_sequential_references(delegation_staff, delegation):
    department = delegation.departments.first()
    drafts = [
        make_contract(actor=delegation_staff, collectivities=[CommuneFactory(department=department)], title=f"C{i}")
        for i in range(6)
    ]

    def submitter(contract):
        return lambda: lifecycle.contract_submit_for_signature(contract=contract, actor=delegation_staff).reference

    results, errors = run_concurrently([submitter(c) for c in drafts])
    assert errors == [None] * 6
    assert sorted(r[-3:] for r in results) == ["001", "002", "003", "004", "005", "006"]
    assert PartnershipContract.objects.filter(status=ContractStatus.READY_FOR_SIGNATURE).count() == 6


def test_double_submission_of_one_contract_records_one_transition(delegation_staff, commune):
    contract = make_contract(actor=delegation_staff, collectivities=[commune])

    def submit():
        return sending.contract_send_for_signature(contract=contract, actor=delegation_staff)

    _results, errors = run_concurrently([submit, submit, submit])
    assert sum(1 for e in errors if e is None) == 1
    assert all(isinstance(e, ValidationError) for e in errors if e is not None)
    contract.refresh_from_db()
    assert contract.reference.endswith("001")
    assert contract.transitions.filter(to_status=ContractStatus.READY_FOR_SIGNATURE).count() == 1
    assert contract.documents.count() == 1


def test_overlapping_drafts_cannot_both_be_sent(delegation_staff, commune):
    first = make_contract(actor=delegation_staff, collectivities=[commune], title="Premier")
    second = make_contract(actor=delegation_staff, collectivities=[commune], title="Second")

    def sender(contract):
        return lambda: lifecycle.contract_submit_for_signature(contract=contract, actor=delegation_staff)

    _results, errors = run_concurrently([sender(first), sender(second)])
    assert sorted(e is None for e in errors) == [False, True]
    failure = next(e for e in errors if e is not None)
    assert "lie déjà la délégation" in failure.messages[0]
    assert PartnershipContract.objects.filter(status=ContractStatus.READY_FOR_SIGNATURE).count() == 1
