"""Two renewal runs at once on PostgreSQL (two beat schedulers by mistake, a retried task): one renewal."""

import datetime
from contextlib import nullcontext

import pytest

from agreements.enums import AuditEventKind, DocumentKind
from agreements.models import ContractSeal
from agreements.signing import archive
from tests.agreements.factories import make_contract
from tests.agreements.signing_helpers import collectivities_sign, sign_request
from tests.concurrency import run_concurrently

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def test_two_renewal_runs_at_once_renew_a_seal_once(settings, timestamped_seal, delegation_staff, commune):
    contract = make_contract(actor=delegation_staff, collectivities=[commune])
    collectivities_sign(contract, lambda **kwargs: nullcontext())
    sign_request(contract.signature_requests.get(step=2), name="Bernard Roux", function="Délégué régional")
    seal = ContractSeal.objects.get(contract=contract)
    settings.SIGNING_TSA_URL = timestamped_seal.tsa("tsa-next")
    due = seal.renew_before - datetime.timedelta(days=1)

    results, errors = run_concurrently([lambda: archive.seals_renew_timestamps(now=due)] * 2)

    assert errors == [None, None]
    assert sorted(result["renewed"] for result in results) == [0, 1]
    seal.refresh_from_db()
    assert (seal.renewals, seal.renewal_status, seal.renewal_attempts) == (1, "", 1)
    assert contract.documents.filter(kind=DocumentKind.SIGNED).count() == 2
    assert contract.audit_events.filter(kind=AuditEventKind.TIMESTAMP_RENEWED).count() == 1
