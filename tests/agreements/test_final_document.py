"""The sealed final PDF is « le PDF du contrat »; building it is retried, swept, and never fails silently."""

import datetime
import html

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from agreements.enums import ContractStatus, DocumentKind, SealingStatus
from agreements.models import AuditEvent, PartnershipContract
from agreements.signing import sealing, tasks
from agreements.signing.emails import final_document_recipients
from agreements.signing.services import completion, signatures
from tests.agreements.factories import make_contract
from tests.agreements.signing_helpers import contract_named


def seen(page) -> str:
    return html.unescape(page.text)


@pytest.fixture
def failing_seal(monkeypatch):
    """Make sealing fail the first ``n`` times (``n=None``: always)."""
    real = sealing.seal_pdf
    calls = []

    def arm(n=None):
        def seal(pdf_bytes, **kwargs):
            calls.append(1)
            if n is None or len(calls) <= n:
                raise OSError("stockage indisponible")
            return real(pdf_bytes, **kwargs)

        monkeypatch.setattr(sealing, "seal_pdf", seal)
        return calls

    return arm


@pytest.fixture
def countdowns(monkeypatch):
    """The delays the finalisation task asks Celery to wait before each retry."""
    recorded = []
    original = tasks.contract_finalize.retry

    def retry(*args, **kwargs):
        recorded.append(kwargs["countdown"])
        return original(*args, **kwargs)

    monkeypatch.setattr(tasks.contract_finalize, "retry", retry)
    return recorded


def test_every_pdf_of_a_signed_contract_is_the_sealed_pdf(
    django_app, countersign, delegation_staff, signatory, commune
):
    contract = countersign()
    final = contract.documents.get(kind=DocumentKind.SIGNED)
    sealed = final.file.read()
    presented = contract.documents.get(kind=DocumentKind.FOR_SIGNATURE)

    # The contract page's prominent button, and « Mes contrats » for the mayor's account.
    page = django_app.get(reverse("agreements:contract_detail", args=[contract.pk]), user=delegation_staff)
    assert page.click(r"Télécharger le contrat signé \(PDF\)").body == sealed
    mine = django_app.get(reverse("agreements:my_contracts"), user=signatory)
    assert mine.click(href=reverse("agreements:contract_pdf", args=[contract.pk])).body == sealed
    # The e-mail to the parties.
    messages = [
        m for m in mail.outbox if m.subject == f"{contract_named(contract)}\u00a0: signé par toutes les parties"
    ]
    assert [m.to for m in messages] == [[address] for address in final_document_recipients(contract)]
    assert all(m.attachments == [(f"{contract.reference}-signe.pdf", sealed, "application/pdf")] for m in messages)
    # The version presented for signature stays available, under that name.
    version = page.click(f"Contrat {contract.reference} – version soumise à signature")
    assert version.body == presented.file.read() != sealed

    # What was downloaded is authentic for /verification/ (reached from the contract page).
    verification = page.click("Vérifier son authenticité")
    form = verification.forms["verification-form"]
    form["file"] = ("contrat.pdf", sealed, "application/pdf")
    assert "Document authentique" in seen(form.submit())


def test_verification_is_linked_from_the_footer(django_app, db):
    page = django_app.get(reverse("about"))
    assert page.click("Vérifier un contrat signé").request.path == reverse("signing:verify")


def test_finalisation_retries_with_exponential_backoff_then_shows_the_failure(
    django_app, client, countersign, delegation_staff, amf_staff, failing_seal, countdowns
):
    calls = failing_seal()
    contract = countersign()

    assert len(calls) == tasks.FINALIZE_MAX_RETRIES + 1
    assert countdowns == [60, 120, 240, 480, 960]
    assert contract.status == ContractStatus.SIGNED
    assert contract.sealing_status == SealingStatus.FAILED
    assert contract.sealing_attempts == 6
    assert contract.sealing_error == "OSError : stockage indisponible"
    assert not contract.documents.filter(kind=DocumentKind.SIGNED).exists()

    # The delegation sees it on the contract page; « le PDF » does not pass off the unsigned version.
    page = django_app.get(reverse("agreements:contract_detail", args=[contract.pk]), user=delegation_staff)
    assert "Le PDF signé et scellé n'a pas pu être produit." in seen(page)
    assert "6 tentatives" in seen(page)
    response = django_app.get(reverse("agreements:contract_pdf", args=[contract.pk]), user=delegation_staff)
    assert response.location == reverse("agreements:contract_detail", args=[contract.pk])
    assert "Le PDF signé et scellé de ce contrat est en cours de préparation" in seen(response.follow())
    # Staff see it in the admin list, and can filter on it.
    client.force_login(amf_staff)
    listing = client.get("/admin/agreements/partnershipcontract/?sealing_status__exact=failed")
    assert contract.reference in listing.content.decode()
    assert "Échec du scellement du PDF signé" in html.unescape(listing.content.decode())


def test_finalisation_succeeds_on_a_retry(countersign, failing_seal, countdowns):
    calls = failing_seal(n=2)
    contract = countersign()
    assert len(calls) == 3
    assert countdowns == [60, 120]
    assert contract.sealing_status == SealingStatus.SEALED
    assert contract.sealing_attempts == 3
    assert contract.sealing_error == ""
    assert contract.documents.filter(kind=DocumentKind.SIGNED).count() == 1
    assert AuditEvent.objects.filter(contract=contract, kind="sealed").count() == 1


def test_a_second_finalisation_is_a_no_op(countersign, django_capture_on_commit_callbacks):
    contract = countersign()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.contract_finalize.apply(args=[contract.pk]).get() is False
    assert contract.documents.filter(kind=DocumentKind.SIGNED).count() == 1
    final = [m for m in mail.outbox if m.subject == f"{contract_named(contract)}\u00a0: signé par toutes les parties"]
    assert len(final) == len(final_document_recipients(contract))


def test_sweep_completes_signed_contracts_left_without_their_pdf(
    countersign, failing_seal, django_capture_on_commit_callbacks, monkeypatch
):
    failing_seal()
    contract = countersign()
    assert contract.sealing_status == SealingStatus.FAILED
    monkeypatch.undo()  # sealing works again

    # A recent attempt may still be retrying: the sweep leaves it alone.
    with django_capture_on_commit_callbacks(execute=True):
        assert completion.contracts_finalize_missing() == 0
    later = timezone.now() + completion.FINALIZE_SWEEP_GRACE + datetime.timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert completion.contracts_finalize_missing(now=later) == 1
    contract.refresh_from_db()
    assert contract.sealing_status == SealingStatus.SEALED
    assert contract.sealing_error == ""
    assert contract.documents.filter(kind=DocumentKind.SIGNED).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert completion.contracts_finalize_missing(now=later + datetime.timedelta(hours=2)) == 0


def test_sweep_picks_a_contract_whose_task_never_ran(countersign, monkeypatch, django_capture_on_commit_callbacks):
    # The finalisation task is lost (a broker failure between the commit and the send).
    monkeypatch.setattr(signatures, "enqueue", lambda task, *args: None)
    contract = countersign()
    monkeypatch.undo()
    assert contract.sealing_status == SealingStatus.PENDING
    assert contract.sealing_attempted_at is None
    later = contract.signed_at + completion.FINALIZE_SWEEP_GRACE + datetime.timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert completion.contracts_finalize_missing(now=later) == 1
        # A second sweep in the same minute finds it claimed.
        assert completion.contracts_finalize_missing(now=later) == 0
    contract.refresh_from_db()
    assert contract.sealing_status == SealingStatus.SEALED


def test_sweep_leaves_contracts_signed_outside_the_platform_alone(delegation_staff, commune):
    # Signed without online signature requests (as imported history would be): nothing to seal.
    contract = make_contract(actor=delegation_staff, collectivities=[commune], status=ContractStatus.SIGNED)
    PartnershipContract.objects.filter(pk=contract.pk).update(signed_at=timezone.now() - datetime.timedelta(days=2))
    assert completion.contracts_finalize_missing() == 0


def test_sweep_is_scheduled(settings):
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["agreements.signing.tasks.contracts_finalize_missing"] == 900.0
