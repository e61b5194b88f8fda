"""The demo: real territorial data, one account per role, each with its own navigation; idempotent."""

import datetime
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from agreements.enums import COUNTERSIGNED_STATUSES, ContractStatus, DocumentKind, SealingStatus
from agreements.models import AuditEvent, PartnershipContract
from agreements.signing.report import seal_structure
from agreements.signing.sealing import SealState, inspect_seal
from agreements.signing.selectors import contracts_awaiting_countersignature
from partnership.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, seed
from partnership.models import User
from tests.helpers import text


@pytest.fixture
def demo(db, settings, timestamped_seal, django_capture_on_commit_callbacks):
    # Sealed as in production: the test PKI's seal, TSA, OCSP and CRL (PAdES-B-LTA).
    call_command("import_territories", verbosity=0)
    with django_capture_on_commit_callbacks(execute=True):
        seed()


def _counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_seed_is_idempotent(demo, django_capture_on_commit_callbacks):
    before = _counts()
    with django_capture_on_commit_callbacks(execute=True):
        seed()
    assert _counts() == before


def test_demo_has_contracts_in_every_state(demo):
    states = set(PartnershipContract.objects.values_list("status", flat=True))
    assert states == set(ContractStatus.values)


EXPECTED_MENU = {
    "national": {"Contrats", "Formations", "Événements", "Intervenants", "Stages et études", "Statistiques"},
    "delegation": {"Contrats", "Formations", "Événements", "Intervenants", "Stages et études", "Statistiques"},
    "amf": {
        "Contrats",
        "Formations",
        "Événements",
        "Intervenants",
        "Stages et études",
        "Statistiques",
        "Administration",
    },
    "signatory": {"Mes contrats", "Formations", "Événements", "Statistiques"},
    "hr": {"Formations", "Événements", "Statistiques"},
    "speaker": {"Mon profil d'intervenant", "Formations", "Événements", "Statistiques"},
}
ALL_ENTRIES = set().union(*EXPECTED_MENU.values())


def test_each_demo_account_logs_in_and_sees_its_menu(client, demo):
    # One test for all accounts: the demo fixture (import + seed) is the slow part.

    for account in (a for a in DEMO_ACCOUNTS if a.key in EXPECTED_MENU):
        response = client.post("/connexion/", {"username": account.email, "password": DEMO_PASSWORD}, follow=True)
        page = text(response)
        assert response.wsgi_request.user == User.objects.get(email=account.email)
        menu = re.search(r'<ul class="navbar-nav[^"]*">(.*?)</ul>', page, re.S).group(1)
        labels = {label.strip() for label in re.findall(r'<a class="nav-link[^"]*"[^>]*>([^<]+)</a>', menu)}
        assert labels & ALL_ENTRIES == EXPECTED_MENU[account.key], account.key
        # Every entry of the menu opens for this account.
        for href in re.findall(r'<a class="nav-link[^"]*" href="([^"]+)"', menu):
            assert client.get(href).status_code == 200, (account.key, href)
        client.logout()


def test_demo_signed_contracts_went_through_the_real_signing_flow(demo, client):
    """Signed, active, expired and terminated demo contracts carry their sealed PDF and audit trail."""

    countersigned = PartnershipContract.objects.filter(status__in=COUNTERSIGNED_STATUSES).order_by("signed_at")
    assert sorted(countersigned.values_list("status", flat=True)) == sorted(
        ["expired", "active", "terminated", "active", "signed", "active"]  # the last: ending soon, for the reminders
    )
    for contract in countersigned:
        final = contract.documents.get(kind=DocumentKind.SIGNED)
        assert inspect_seal(final.file.read()).state == SealState.INTACT, contract.title
        assert contract.sealing_status == SealingStatus.SEALED
        kinds = set(contract.audit_events.values_list("kind", flat=True))
        assert kinds == {"sent", "opened", "code_sent", "code_verified", "signed", "completed", "sealed"}
        assert contract.signature_requests.filter(status="signed").count() == 2

    # Signed through the real flow at the real time; the business dates stay in the contract.
    expired = countersigned.get(title="Lutte contre l'illettrisme 2021-2023")
    today = timezone.localdate()
    assert expired.reference == f"PFP{today:%y}42001"
    assert timezone.localtime(expired.signed_at).date() == today
    assert (expired.start_date, expired.end_date) == (datetime.date(2021, 1, 1), datetime.date(2023, 12, 31))
    assert expired.parties.get().deliberation_date == datetime.date(2020, 11, 2)
    final = expired.documents.get(kind=DocumentKind.SIGNED)
    structure = seal_structure(final.file.read())
    assert structure.level == "PAdES-B-LTA"
    assert abs(structure.signature_timestamp.at - expired.signed_at) < datetime.timedelta(minutes=5)
    assert list(expired.transitions.values_list("to_status", flat=True)) == [
        "draft",
        "ready_for_signature",
        "signed_by_collectivity",
        "signed",
        "active",
        "expired",
    ]
    moments = list(AuditEvent.objects.order_by("sequence").values_list("at", flat=True))
    assert moments == sorted(moments)
    out = io.StringIO()
    call_command("verify_audit_trail", stdout=out)
    assert f"Piste d'audit intègre : {len(moments)} événements vérifiés." in out.getvalue()

    # The public verification page recognises the demo's sealed PDFs.
    final = expired.documents.get(kind=DocumentKind.SIGNED)
    response = client.post("/verification/", {"file": SimpleUploadedFile("contrat.pdf", final.file.read())})
    assert "Document authentique" in text(response)

    # The délégué has the contract the collectivité signed, waiting for them.
    delegate = User.objects.get(email="delegue.ara@demo.cnfpt.fr")
    assert [c.title for c in contracts_awaiting_countersignature(delegate)] == ["Égalité des chances et handicap"]


def test_pyhanko_judges_a_sealed_demo_contract_valid_at_pades_b_lta(demo, timestamped_seal, tmp_path):
    """The issue's « done when »: outside tools, the test PKI's root as the only trust anchor."""
    contract = PartnershipContract.objects.get(title="Santé au travail")
    path = tmp_path / f"{contract.reference}-signe.pdf"
    path.write_bytes(contract.documents.get(kind=DocumentKind.SIGNED).file.read())
    pyhanko = Path(sys.executable).parent / "pyhanko"
    trust = ["--trust", str(timestamped_seal.root), "--trust-replace"]

    validated = subprocess.run(
        [pyhanko, "sign", "validate", "--pretty-print", *trust, path], capture_output=True, text=True, timeout=120
    )
    ades = subprocess.run(
        [pyhanko, "sign", "adesverify", "--pretty-print", *trust, path], capture_output=True, text=True, timeout=120
    )
    signatures = subprocess.run(["pdfsig", path], capture_output=True, text=True, timeout=60).stdout

    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "The TSA certificate is trusted." in validated.stdout
    assert "The signature is judged VALID." in validated.stdout
    assert ades.returncode == 0, ades.stdout + ades.stderr  # ETSI EN 319 102-1, long-term availability (LTA)
    assert "Signer Certificate Common Name: Horodatage de test" in signatures  # the document timestamp
    assert seal_structure(path.read_bytes()).level == "PAdES-B-LTA"
