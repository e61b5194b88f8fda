"""Fixtures shared by the agreements tests."""

import pytest

from tests.agreements.factories import make_contract
from tests.agreements.signing_helpers import collectivities_sign, sign_request


@pytest.fixture
def countersign(delegation_staff, commune, django_capture_on_commit_callbacks):
    """Bring a new contract (with ``collectivity``, the commune by default) to the délégué's countersignature
    and record it; the worker's finalisation runs (the seal); return the contract."""

    def run(collectivity=None):
        contract = make_contract(actor=delegation_staff, collectivities=[collectivity or commune])
        collectivities_sign(contract, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            sign_request(contract.signature_requests.get(step=2), name="Bernard Roux", function="Délégué régional")
        contract.refresh_from_db()
        return contract

    return run
