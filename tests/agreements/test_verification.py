"""The verdict of the public verification page, decided by one service (``document_verify``) the page renders."""

import hashlib

import pytest
import weasyprint
from django.core.files.uploadedfile import SimpleUploadedFile

from agreements.enums import DocumentKind
from agreements.signing import sealing, verification
from agreements.signing.forms import VerificationForm
from agreements.signing.verification import Verdict, VerdictKind
from tests.agreements.factories import make_contract
from tests.agreements.signing_helpers import collectivities_sign, sign_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_contract(delegation_staff, commune, django_capture_on_commit_callbacks):
    contract = make_contract(actor=delegation_staff, collectivities=[commune])
    collectivities_sign(contract, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        sign_request(contract.signature_requests.get(step=2), name="Bernard Roux", function="Délégué régional")
    contract.refresh_from_db()
    return contract


def test_the_stored_sealed_copy_is_genuine_and_names_its_contract_and_signers(signed_contract):
    document = signed_contract.documents.get(kind=DocumentKind.SIGNED)
    with document.file.open("rb") as handle:
        content = handle.read()

    verdict = verification.document_verify(content=content)

    assert (verdict.kind, verdict.sha256, verdict.document, verdict.contract) == (
        VerdictKind.GENUINE,
        document.sha256,
        document,
        signed_contract,
    )
    assert [party.collectivity.name for party in verdict.parties] == [
        party.collectivity.name for party in signed_contract.parties.all()
    ]
    assert [signer.step for signer in verdict.signers] == [1, 2]


def test_a_file_sealed_here_but_not_stored_is_altered():
    sealed = sealing.seal_pdf(weasyprint.HTML(string="<p>Contrat</p>").write_pdf(), reason="Contrat signé")

    verdict = verification.document_verify(content=sealed)

    assert (verdict.kind, verdict.contract, verdict.signers) == (VerdictKind.ALTERED, None, ())


@pytest.mark.parametrize(
    ("content", "kind"),
    [(b"ceci n'est pas un PDF", VerdictKind.UNREADABLE), (None, VerdictKind.UNKNOWN)],
)
def test_unreadable_and_unknown_files(content, kind):
    content = content if content is not None else weasyprint.HTML(string="<p>Un autre PDF</p>").write_pdf()

    assert verification.document_verify(content=content) == Verdict(
        kind=kind, sha256=hashlib.sha256(content).hexdigest()
    )


def test_a_file_over_20_mb_is_refused_before_it_is_read():
    form = VerificationForm(files={"file": SimpleUploadedFile("gros.pdf", b"%PDF" + b"0" * (20 * 1024 * 1024))})

    assert form.errors == {"file": ["Le fichier dépasse 20 Mo : ce n'est pas un contrat de la plateforme."]}
