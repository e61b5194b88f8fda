"""Evidence that lasts (issue #23): the sealed contract reaches PAdES-B-LTA against a real test PKI (TSA, OCSP
and CRL over HTTP, ``tests/pki``), is an archival PDF/A-3 carrying its audit trail, and outside tools
(pyHanko's CLI, poppler's ``pdfsig``) agree."""

import datetime
import html
import io
import json
import re
import subprocess
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader
from webtest import Upload

from agreements.enums import AuditEventKind, ContractStatus, DocumentKind, SealingStatus
from agreements.models import ContractSeal
from agreements.signing import archive, evidence, report, sealing, verification
from agreements.signing.services import completion, sending
from agreements.signing.verification import VerdictKind
from tests import pki
from tests.agreements.factories import make_contract
from tests.agreements.signing_helpers import collectivities_sign, sign_request

PYHANKO = str(Path(__file__).resolve().parents[2] / ".venv" / "bin" / "pyhanko")


def sealed_bytes(contract) -> bytes:
    with contract.documents.get(kind=DocumentKind.SIGNED).file.open("rb") as handle:
        return handle.read()


@pytest.fixture
def sealed(timestamped_seal, countersign):
    contract = countersign()
    return contract, sealed_bytes(contract)


def run(*command, tmp_path, content: bytes) -> subprocess.CompletedProcess:
    path = tmp_path / "contrat-signe.pdf"
    path.write_bytes(content)
    return subprocess.run([*command, str(path)], capture_output=True, text=True, timeout=120)


def test_outside_tools_judge_the_sealed_contract_valid_with_a_trusted_timestamp(sealed, timestamped_seal, tmp_path):
    _contract, content = sealed
    trust = ["--trust", str(timestamped_seal.root), "--trust-replace"]

    validated = run(PYHANKO, "sign", "validate", "--pretty-print", *trust, tmp_path=tmp_path, content=content)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert 'Certificate subject: "Common Name: Cachet de la plateforme (test)' in validated.stdout
    assert "Signature timestamp token: " in validated.stdout
    assert "This timestamp is backed by a time stamping authority." in validated.stdout
    assert "The TSA certificate is trusted." in validated.stdout
    assert "All modifications relate to signature maintenance" in validated.stdout
    assert "The signature is judged VALID." in validated.stdout
    # ETSI EN 319 102-1 validation of a signature with long-term availability (B-LTA): pyHanko's AdES mode.
    ades = run(PYHANKO, "sign", "adesverify", "--executive-summary", *trust, tmp_path=tmp_path, content=content)
    assert ades.returncode == 0, ades.stdout + ades.stderr
    assert ades.stdout.strip().endswith("VALID"), ades.stdout

    signatures = run("pdfsig", tmp_path=tmp_path, content=content).stdout
    assert "Signature Field Name: CachetPlateformePartenariat" in signatures
    assert "Signature Validation: Signature is Valid." in signatures
    # The document timestamp: an RFC 3161 token signed by the TSA, over everything before it.
    assert re.search(r"Signature #2:\n  - Signature Field Name: Timestamp-", signatures), signatures
    assert "Signer Certificate Common Name: Horodatage de test" in signatures

    assert report.seal_structure(content).level == report.Level.B_LTA


def _xmp(content: bytes) -> str:
    return PdfReader(io.BytesIO(content)).trailer["/Root"]["/Metadata"].get_object().get_data().decode()


def test_the_sealed_pdf_is_a_tagged_pdfa3_carrying_its_signed_document_and_audit_trail(sealed):
    contract, content = sealed
    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    assert root["/OutputIntents"][0]["/S"] == "/GTS_PDFA1"  # the sRGB output intent PDF/A requires
    xmp = _xmp(content)
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="U"' in xmp
    assert root["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "fr"
    title = f"Contrat {contract.reference} signé"
    assert reader.metadata.title == title and f'<rdf:li xml:lang="x-default">{title}</rdf:li>' in xmp
    # PDF/A: the document information says what the XMP says (pyHanko would have appended itself).
    producer = re.search(r'pdf:Producer="([^"]+)"', xmp).group(1)
    assert reader.metadata.producer == producer

    associated = {spec.get_object()["/F"]: spec.get_object()["/AFRelationship"] for spec in root["/AF"]}
    assert associated == {
        f"{contract.reference}-document-signe.pdf": "/Source",
        "piste-audit.json": "/Supplement",
    }
    presented = contract.documents.get(kind=DocumentKind.FOR_SIGNATURE)
    assert reader.attachments[f"{contract.reference}-document-signe.pdf"] == [presented.file.read()]

    trail = json.loads(reader.attachments["piste-audit.json"][0])
    events = list(contract.audit_events.order_by("sequence"))
    assert (trail["format"], trail["version"]) == ("partenariat-cnfpt-amf/piste-audit", 1)
    assert trail["signed_document"]["sha256"] == presented.sha256
    assert [s["name"] for s in trail["signers"]] == [contract.parties.get().signatory_name, "Bernard Roux"]
    assert trail["signers"][0]["consent"] == (
        f"J'ai lu le contrat {contract.reference} et j'accepte de le signer électroniquement au nom de la "
        f"commune de {contract.parties.get().collectivity.name}, en qualité de maire."
    )
    assert trail["signers"][0]["ip_address"] == "192.0.2.1"
    assert trail["signers"][0]["user_agent"] == "tests"
    # Numbered for this contract; the platform's chain numbers and hashes beside them. Everything up to
    # the completion is inside: the seal's own event comes after the file was built.
    assert [e["number"] for e in trail["events"]] == list(range(1, len(events)))
    assert [e["sequence"] for e in trail["events"]] == [e.sequence for e in events[:-1]]
    assert [e["hash"] for e in trail["events"]] == [e.hash for e in events[:-1]]
    assert trail["events"][-1]["kind"] == AuditEventKind.COMPLETED
    assert events[-1].kind == AuditEventKind.SEALED


def test_the_seal_is_recorded_with_its_level_and_renewal_deadline(sealed, timestamped_seal):
    contract, _content = sealed
    seal = ContractSeal.objects.get(contract=contract)
    assert (seal.level, seal.timestamp_authority, seal.renewals, seal.renewal_status) == (
        "PAdES-B-LTA",
        "Horodatage de test, PKI de test du partenariat CNFPT-AMF",
        0,
        "",
    )
    assert seal.renew_before == timestamped_seal.tsa_expires_at
    assert seal.document == contract.documents.get(kind=DocumentKind.SIGNED)


def test_a_changed_byte_is_detected(sealed, django_app):
    _contract, content = sealed
    position = content.index(b"/Title") + 8  # inside the signed revision, not in the signature's own bytes
    altered = content[:position] + bytes([content[position] ^ 1]) + content[position + 1 :]

    verdict = verification.document_verify(content=altered)

    assert verdict.kind == VerdictKind.ALTERED
    assert verdict.report.valid is False and verdict.report.intact is False
    # What the page tells whoever uploads it.
    form = django_app.get(reverse("signing:verify")).forms["verification-form"]
    form["file"] = Upload("contrat.pdf", altered, "application/pdf")
    page = form.submit()
    assert "Document altéré" in html.unescape(page.text)
    facts = _report_text(page)
    assert facts["Conclusion"] == "Cachet non valide\u00a0: le fichier ne correspond plus à ce que le cachet couvre."


def test_a_seal_whose_certificate_expired_still_verifies(sealed, timestamped_seal):
    _contract, content = sealed
    later = timestamped_seal.seal_expires_at + datetime.timedelta(days=365)
    assert later < timestamped_seal.tsa_expires_at

    verdict = verification.document_verify(content=content, at=later, fetcher_backend=pki.fetcher_at(later))

    assert verdict.kind == VerdictKind.GENUINE
    assert (verdict.report.valid, verdict.report.level, verdict.report.problem) == (True, "PAdES-B-LTA", "")
    assert verdict.report.certificate_expires_at == timestamped_seal.seal_expires_at


def test_revocation_after_signing_does_not_invalidate_an_earlier_timestamped_seal(
    settings, timestamped_seal, countersign
):
    for name, value in timestamped_seal.seal_settings(cert="seal-revoked").items():
        setattr(settings, name, value)
    content = sealed_bytes(countersign())
    after = timestamped_seal.revoked_since + datetime.timedelta(days=1)

    timestamped = report.seal_report(content, at=after, fetcher_backend=pki.fetcher_at(after))
    assert (timestamped.valid, timestamped.level) == (True, "PAdES-B-LTA")

    # The same certificate without the timestamp and validation data: valid before the revocation, refused
    # after it, since nothing proves the seal came first.
    settings.SIGNING_TSA_URL = ""
    untimestamped = sealing.seal_pdf(content[: content.index(b"%%EOF") + 5], reason="Contrat signé")
    now = timestamped_seal.revoked_since - datetime.timedelta(hours=1)
    before = report.seal_report(untimestamped, at=now, fetcher_backend=pki.fetcher_at(now))
    assert before.problem == ""
    assert (before.valid, before.level) == (True, "PAdES-B-B")
    bare = report.seal_report(untimestamped, at=after, fetcher_backend=pki.fetcher_at(after))
    assert (bare.valid, bare.level) == (False, "PAdES-B-B")


def test_the_tsa_down_at_sealing_leaves_the_contract_to_seal_then_a_visible_failure(
    settings, timestamped_seal, countersign, django_app, delegation_staff, django_capture_on_commit_callbacks
):
    settings.SIGNING_TSA_URL = f"http://127.0.0.1:{pki.free_port()}/tsa"  # nothing listens there
    contract = countersign()

    assert contract.status == ContractStatus.SIGNED
    assert contract.sealing_status == SealingStatus.FAILED
    assert contract.sealing_attempts == 6
    assert contract.sealing_error.startswith("TimestampRequestError"), contract.sealing_error
    assert not contract.documents.filter(kind=DocumentKind.SIGNED).exists()
    assert not ContractSeal.objects.filter(contract=contract).exists()
    assert not contract.audit_events.filter(kind=AuditEventKind.SEALED).exists()
    assert not [m for m in mail.outbox if "signé par toutes les parties" in m.subject]
    page = django_app.get(reverse("agreements:contract_detail", args=[contract.pk]), user=delegation_staff)
    assert "Le PDF signé et scellé n'a pas pu être produit." in html.unescape(page.text)

    # The TSA answers again: the periodic sweep seals it, timestamped.
    settings.SIGNING_TSA_URL = timestamped_seal.tsa_url
    later = contract.sealing_attempted_at + completion.FINALIZE_SWEEP_GRACE + datetime.timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert completion.contracts_finalize_missing(now=later) == 1
    contract.refresh_from_db()
    assert contract.sealing_status == SealingStatus.SEALED
    assert report.seal_structure(sealed_bytes(contract)).level == report.Level.B_LTA


def test_the_renewal_adds_a_document_timestamp_before_the_tsa_certificate_expires(settings, sealed, timestamped_seal):
    contract, first = sealed
    seal = ContractSeal.objects.get(contract=contract)
    # The authority has rolled its key over: new timestamps come from a certificate valid 20 years.
    settings.SIGNING_TSA_URL = timestamped_seal.tsa("tsa-next")
    not_yet = seal.renew_before - datetime.timedelta(days=settings.SIGNING_TIMESTAMP_RENEWAL_DAYS + 1)
    assert archive.seals_renew_timestamps(now=not_yet) == {"renewed": 0, "failed": 0}

    due = seal.renew_before - datetime.timedelta(days=settings.SIGNING_TIMESTAMP_RENEWAL_DAYS - 1)
    assert archive.seals_renew_timestamps(now=due) == {"renewed": 1, "failed": 0}
    # Idempotent: the new deadline is years away.
    assert archive.seals_renew_timestamps(now=due) == {"renewed": 0, "failed": 0}

    seal.refresh_from_db()
    second = sealed_bytes_latest(contract)
    assert second.startswith(first) and len(second) > len(first)  # the same file, extended
    xmp = _xmp(second)  # still an archival PDF, its metadata in agreement
    assert 'pdfaid:part="3"' in xmp
    assert PdfReader(io.BytesIO(second)).metadata.producer == re.search(r'pdf:Producer="([^"]+)"', xmp).group(1)
    assert (seal.renewals, seal.renewal_status, seal.level) == (1, "", "PAdES-B-LTA")
    assert seal.renew_before == timestamped_seal.now + pki.TSA_NEXT_VALIDITY
    assert [t.authority.split(",")[0] for t in report.seal_structure(second).document_timestamps] == [
        "Horodatage de test",
        "Horodatage de test (nouvelle clé)",
    ]
    renewed = contract.audit_events.get(kind=AuditEventKind.TIMESTAMP_RENEWED)
    assert renewed.document_sha256 == seal.document.sha256

    # Past the first authority's expiry, only the renewed copy still verifies; both stay genuine copies.
    later = timestamped_seal.tsa_expires_at + datetime.timedelta(days=30)
    fetcher = pki.fetcher_at(later)
    assert verification.document_verify(content=second, at=later, fetcher_backend=fetcher).report.valid is True
    old = verification.document_verify(content=first, at=later, fetcher_backend=pki.fetcher_at(later))
    assert (old.kind, old.report.valid) == (VerdictKind.GENUINE, False)


def sealed_bytes_latest(contract) -> bytes:
    with contract.documents.filter(kind=DocumentKind.SIGNED).latest("pk").file.open("rb") as handle:
        return handle.read()


def test_a_failed_renewal_is_visible_and_writes_nothing(
    settings, sealed, timestamped_seal, django_app, delegation_staff, amf_staff
):
    contract, _content = sealed
    seal = ContractSeal.objects.get(contract=contract)
    settings.SIGNING_TSA_URL = f"http://127.0.0.1:{pki.free_port()}/tsa"
    due = seal.renew_before - datetime.timedelta(days=1)

    assert archive.seals_renew_timestamps(now=due) == {"renewed": 0, "failed": 1}

    seal.refresh_from_db()
    assert (seal.renewal_status, seal.renewal_attempts, seal.renewals) == ("failed", 1, 0)
    assert seal.renewal_error.startswith("TimestampRequestError"), seal.renewal_error
    assert contract.documents.filter(kind=DocumentKind.SIGNED).count() == 1
    assert not contract.audit_events.filter(kind=AuditEventKind.TIMESTAMP_RENEWED).exists()
    page = django_app.get(reverse("agreements:contract_detail", args=[contract.pk]), user=delegation_staff)
    assert "Le renouvellement de l'horodatage du PDF scellé a échoué." in html.unescape(page.text)
    listing = django_app.get("/admin/agreements/contractseal/?renewal_status__exact=failed", user=amf_staff)
    assert contract.reference in listing.text

    # A run that overlaps another (the seal is being renewed right now) leaves it alone.
    type(seal).objects.filter(pk=seal.pk).update(renewal_status="running", renewal_attempted_at=due)
    assert archive.seals_renew_timestamps(now=due) == {"renewed": 0, "failed": 0}


def test_the_renewal_is_scheduled(settings):
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["agreements.signing.tasks.seals_renew_timestamps"] == 86400.0


def _report_text(page) -> dict[str, str]:
    section = re.search(r'<section aria-labelledby="rapport".*?</section>', page.text, re.S).group(0)
    terms = re.findall(r"<dt>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", section, re.S)
    return {
        html.unescape(term): re.sub(r"[ \t\n]+", " ", html.unescape(re.sub(r"<[^>]+>", "", dd))).strip()
        for term, dd in terms
    }


def test_the_verification_page_reads_like_an_experts_report(sealed, django_app):
    contract, content = sealed
    form = django_app.get(reverse("signing:verify")).forms["verification-form"]
    form["file"] = Upload("contrat.pdf", content, "application/pdf")
    page = form.submit()

    facts = _report_text(page)
    seal = ContractSeal.objects.get(contract=contract)
    assert facts["Conclusion"] == "Cachet valide\u00a0: niveau PAdES-B-LTA."
    assert facts["Cachet"].startswith("Cachet de la plateforme (test), PKI de test du partenariat CNFPT-AMF, ")
    assert facts["Heure de signature"].endswith(
        "(heure de Paris), certifiée par l'autorité d'horodatage Horodatage de test, "
        "PKI de test du partenariat CNFPT-AMF (jeton RFC\u00a03161)."
    )
    assert facts["Données de validation"].startswith("intégrées au fichier")
    assert facts["Vérifiable jusqu'au"].startswith(f"{seal.renew_before.day} ")
    assert facts["Modifié après le cachet\u00a0?"].startswith("Non\u00a0: seuls des données de validation")
    assert f"a coché «\u00a0J'ai lu le contrat {contract.reference} et j'accepte" in facts["Preuves jointes"]
    assert "identique à celui que la piste d'audit désigne" in facts["Preuves jointes"]
    assert "Document authentique" in html.unescape(page.text)


def test_without_a_tsa_the_page_says_the_time_is_the_servers_own(countersign, django_app, settings):
    assert not settings.SIGNING_TSA_URL  # the development default
    contract = countersign()
    form = django_app.get(reverse("signing:verify")).forms["verification-form"]
    form["file"] = Upload("contrat.pdf", sealed_bytes(contract), "application/pdf")

    facts = _report_text(form.submit())

    assert facts["Heure de signature"].startswith("horodatage\u00a0: absent (développement).")
    assert facts["Vérifiable jusqu'au"].startswith("aucun horodatage de document")
    assert ContractSeal.objects.get(contract=contract).level == "PAdES-B-B"
    # The JSON trail travels in development too.
    assert evidence.read_embedded_evidence(sealed_bytes(contract)).trail["contract"]["reference"] == contract.reference


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_certificate_numbers_the_events_of_its_own_contract(countersign, other_commune):
    countersign(other_commune)  # another contract first: the platform's chain is already long
    contract = countersign()
    events = list(contract.audit_events.order_by("sequence"))
    assert events[0].sequence > 1

    text = _pdf_text(sealed_bytes(contract))
    chronology = text[text.index("Chronologie (piste d'audit chaînée)") :]
    numbers = [int(n) for n in re.findall(r"^(\d+) \d\d/\d\d/\d{4}$", chronology, re.M)]

    # Every event up to the completion (the seal's own comes after the file is built), numbered from 1.
    assert numbers == list(range(1, len(events)))
    assert (
        f"dans la piste d'audit de la plateforme, chaînée d'un contrat à l'autre, ils portent les n° "
        f"{events[0].sequence} à {events[-2].sequence}." in " ".join(chronology.split())
    )


def test_what_a_door_adds_to_the_signature_travels_in_the_signer_evidence(
    delegation_staff, commune, django_capture_on_commit_callbacks
):
    contract = make_contract(actor=delegation_staff, collectivities=[commune])
    collectivities_sign(contract, django_capture_on_commit_callbacks)
    countersignature = contract.signature_requests.get(step=2)
    in_the_application = sending.Client(ip_address="192.0.2.7", user_agent="tests", account=contract.delegate)
    with django_capture_on_commit_callbacks(execute=True):
        sign_request(countersignature, name="Bernard Roux", function="Délégué régional", client=in_the_application)

    trail = evidence.read_embedded_evidence(sealed_bytes(contract)).trail

    assert [signer["evidence"] for signer in trail["signers"]] == [
        {},
        {"via": "application", "account_id": contract.delegate.pk},
    ]
