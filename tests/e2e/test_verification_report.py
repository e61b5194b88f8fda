"""Journey: someone holding a signed contract checks it on /verification/, on a desktop and on a phone. The seal
comes from the test PKI (TSA, OCSP, CRL over HTTP): the page reads like an expert's report."""

import re
from contextlib import nullcontext

import pytest

from agreements.enums import DocumentKind
from agreements.models import ContractSeal
from tests.agreements.factories import make_contract
from tests.agreements.signing_helpers import collectivities_sign
from tests.e2e.test_signing_portal import assert_fits_a_phone, seen
from tests.e2e.test_signing_second_device import countersign_outside_the_browser_loop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _no_capture(**kwargs):
    """``collectivities_sign`` wants on-commit capture; outside a test transaction, callbacks run at commit."""
    return nullcontext()


def test_the_verification_page_reports_on_a_timestamped_seal(
    journey, timestamped_seal, delegation_staff, commune, tmp_path
):
    contract = make_contract(actor=delegation_staff, collectivities=[commune])
    collectivities_sign(contract, _no_capture)
    countersign_outside_the_browser_loop(contract)
    sealed = contract.documents.get(kind=DocumentKind.SIGNED).file.read()
    (tmp_path / "contrat.pdf").write_bytes(sealed)
    seal = ContractSeal.objects.get(contract=contract)
    run = journey("verification-rapport")

    for phone in (False, True):
        page = run.new_page(phone=phone)
        run.goto(page, "/verification/")
        page.get_by_label(re.compile("Contrat au format PDF")).set_input_files(str(tmp_path / "contrat.pdf"))
        page.get_by_role("button", name="Vérifier").click()
        page.get_by_role("heading", name="Ce que le fichier prouve par lui-même").wait_for()
        assert "Document authentique" in seen(page.locator("#resultat"))
        assert seen(page.locator("#rapport-conclusion")) == "Cachet valide : niveau PAdES-B-LTA."
        assert "certifiée par l'autorité d'horodatage Horodatage de test" in seen(page.locator("#rapport-heure"))
        assert seen(page.locator("#rapport-validation")).startswith("intégrées au fichier")
        until = seen(page.locator("#rapport-jusquau"))
        assert until.startswith(f"{seal.renew_before.day} ") and str(seal.renew_before.year) in until
        assert seen(page.locator("#rapport-modifications")).startswith("Non : seuls des données de validation")
        assert f"la piste d'audit du contrat {contract.reference}" in seen(page.locator("#rapport-preuves"))
        if phone:
            assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
        run.step(page, "telephone rapport" if phone else "bureau rapport")
    assert_fits_a_phone(page)
    run.assert_accessible()
