import datetime
import hashlib
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from agreements.enums import ContractStatus, DocumentKind
from agreements.models import ContractTransition, PartnershipContract
from agreements.services import drafting, lifecycle
from agreements.signing.services import sending
from tests.agreements.factories import line, make_contract, party
from tests.factories import CommuneFactory


def test_create_draft_with_default_three_year_period(delegation_staff, commune):
    contract = make_contract(actor=delegation_staff, collectivities=[commune])
    assert contract.status == ContractStatus.DRAFT
    assert contract.reference is None
    assert contract.end_date == datetime.date(2029, 12, 31)
    assert [p.collectivity for p in contract.parties.all()] == [commune]
    assert list(contract.transitions.values_list("from_status", "to_status")) == [("", "draft")]


def test_create_refuses_end_before_start(delegation_staff, commune):
    with pytest.raises(ValidationError) as error:
        drafting.contract_create(
            actor=delegation_staff,
            delegation=delegation_staff.delegation,
            title="x",
            start_date=datetime.date(2027, 1, 1),
            end_date=datetime.date(2026, 1, 1),
            parties=[party(commune)],
        )
    assert error.value.message_dict == {"end_date": ["La date de fin doit être postérieure à la date de début."]}
    assert PartnershipContract.objects.count() == 0


def test_create_refuses_collectivity_outside_territory(delegation_staff, other_delegation):
    elsewhere = CommuneFactory(department=other_delegation.departments.first(), name="Ailleurs")
    with pytest.raises(ValidationError, match="n'est pas sur le territoire"):
        make_contract(actor=delegation_staff, collectivities=[elsewhere])
    assert PartnershipContract.objects.count() == 0


def test_create_refuses_other_delegation_staff(other_delegation_staff, delegation, commune):
    with pytest.raises(ValidationError, match="Vous ne pouvez pas gérer"):
        drafting.contract_create(
            actor=other_delegation_staff,
            delegation=delegation,
            title="x",
            start_date=datetime.date(2027, 1, 1),
            parties=[party(commune)],
        )


def test_overlapping_binding_contract_is_refused(delegation_staff, commune):
    make_contract(actor=delegation_staff, collectivities=[commune], status=ContractStatus.READY_FOR_SIGNATURE)
    with pytest.raises(ValidationError, match="lie déjà la délégation"):
        make_contract(actor=delegation_staff, collectivities=[commune], start=datetime.date(2028, 1, 1))
    # After the first one ends, a new period is fine.
    later = make_contract(actor=delegation_staff, collectivities=[commune], start=datetime.date(2030, 1, 1))
    assert later.status == ContractStatus.DRAFT


def test_programme_line_outside_period_is_refused(delegation_staff, commune):
    with pytest.raises(ValidationError, match="hors de la période"):
        drafting.contract_create(
            actor=delegation_staff,
            delegation=delegation_staff.delegation,
            title="x",
            start_date=datetime.date(2027, 1, 1),
            parties=[party(commune)],
            lines=[line(year=2035)],
        )


def test_send_for_signature_gives_reference_and_freezes_pdf(delegation_staff, commune):
    contract = make_contract(actor=delegation_staff, collectivities=[commune])
    sending.contract_send_for_signature(contract=contract, actor=delegation_staff)
    contract.refresh_from_db()
    year = datetime.date.today().year % 100
    assert contract.status == ContractStatus.READY_FOR_SIGNATURE
    assert contract.reference == f"PFP{year:02d}{commune.department.code}001"
    document = contract.documents.get(kind=DocumentKind.FOR_SIGNATURE)
    content = document.file.read()
    assert content.startswith(b"%PDF-")
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size == len(content)
    assert {request.document_id for request in contract.signature_requests.all()} == {document.pk}


def test_reference_sequence_per_department_and_year(delegation_staff, commune, other_commune):
    first = make_contract(actor=delegation_staff, collectivities=[commune], status=ContractStatus.READY_FOR_SIGNATURE)
    second = make_contract(
        actor=delegation_staff, collectivities=[other_commune], status=ContractStatus.READY_FOR_SIGNATURE
    )
    assert re.fullmatch(r"PFP\d{2}\w{2,3}001", first.reference)
    assert second.reference[:-3] == first.reference[:-3]
    assert second.reference.endswith("002")


def test_submit_refuses_incomplete_draft(delegation_staff, commune):
    contract = drafting.contract_create(
        actor=delegation_staff,
        delegation=delegation_staff.delegation,
        title="Sans programme",
        start_date=datetime.date(2027, 1, 1),
        parties=[party(commune, deliberation_date=None)],
    )
    with pytest.raises(ValidationError) as error:
        lifecycle.contract_submit_for_signature(contract=contract, actor=delegation_staff)
    assert error.value.messages == [
        f"La date de la délibération de {commune.name} n'est pas renseignée.",
        "Le programme ne comporte aucune action.",
        "Le délégué régional signataire n'est pas désigné.",
    ]
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT
    assert contract.reference is None


def test_illegal_transition_is_refused_with_message(delegation_staff, commune):
    contract = make_contract(actor=delegation_staff, collectivities=[commune])
    with pytest.raises(ValidationError) as error:
        lifecycle.contract_mark_signed(contract=contract)
    assert error.value.messages == ["Un contrat « Brouillon » ne peut pas passer à « Signé »."]
    with pytest.raises(ValidationError, match="ne peut pas passer"):
        lifecycle.contract_terminate(contract=contract, actor=delegation_staff, reason="x")


def test_update_refused_once_not_draft(delegation_staff, commune):
    contract = make_contract(
        actor=delegation_staff, collectivities=[commune], status=ContractStatus.READY_FOR_SIGNATURE
    )
    with pytest.raises(ValidationError, match="n'est plus un brouillon"):
        drafting.contract_update(
            contract=contract,
            actor=delegation_staff,
            expected_version=contract.version,
            title="Nouveau titre",
            start_date=contract.start_date,
            end_date=contract.end_date,
            parties=[party(commune)],
        )
    contract.refresh_from_db()
    assert contract.title == "Contrat de test"


def test_update_with_stale_version_is_refused_and_changes_nothing(delegation_staff, commune, other_commune):
    contract = make_contract(actor=delegation_staff, collectivities=[commune])
    stale_version = contract.version
    drafting.contract_update(
        contract=contract,
        actor=delegation_staff,
        expected_version=stale_version,
        title="Première modification",
        start_date=contract.start_date,
        end_date=contract.end_date,
        parties=[party(commune)],
    )
    with pytest.raises(ValidationError, match="Quelqu'un a enregistré ce contrat"):
        drafting.contract_update(
            contract=contract,
            actor=delegation_staff,
            expected_version=stale_version,
            title="Seconde modification",
            start_date=contract.start_date,
            end_date=contract.end_date,
            parties=[party(other_commune)],
        )
    contract.refresh_from_db()
    assert contract.title == "Première modification"
    assert [p.collectivity for p in contract.parties.all()] == [commune]


def test_full_lifecycle_is_recorded_in_history(delegation_staff, commune):
    contract = make_contract(actor=delegation_staff, collectivities=[commune], status=ContractStatus.ACTIVE)
    lifecycle.contract_terminate(contract=contract, actor=delegation_staff, reason="Fusion de communes")
    contract.refresh_from_db()
    assert contract.status == ContractStatus.TERMINATED
    assert contract.termination_reason == "Fusion de communes"
    assert list(contract.transitions.values_list("from_status", "to_status")) == [
        ("", "draft"),
        ("draft", "ready_for_signature"),
        ("ready_for_signature", "signed_by_collectivity"),
        ("signed_by_collectivity", "signed"),
        ("signed", "active"),
        ("active", "terminated"),
    ]


def test_history_is_append_only(delegation_staff, commune):
    contract = make_contract(actor=delegation_staff, collectivities=[commune])
    entry = contract.transitions.get()
    entry.comment = "réécrit"
    with pytest.raises(ValueError, match="ne se modifie pas"):
        entry.save()
    with pytest.raises(ValueError, match="ne se supprime pas"):
        entry.delete()
    assert ContractTransition.objects.get(pk=entry.pk).comment == "Création"


def test_periods_update_activates_and_expires(delegation_staff, commune, other_commune):
    signed = make_contract(actor=delegation_staff, collectivities=[commune], status=ContractStatus.SIGNED)
    assert signed.status == ContractStatus.SIGNED
    counts = lifecycle.contracts_update_periods(today=datetime.date(2027, 1, 1))
    signed.refresh_from_db()
    assert counts == {"activated": 1, "expired": 0}
    assert signed.status == ContractStatus.ACTIVE
    counts = lifecycle.contracts_update_periods(today=datetime.date(2030, 1, 1))
    signed.refresh_from_db()
    assert counts == {"activated": 0, "expired": 1}
    assert signed.status == ContractStatus.EXPIRED


def test_amendment_only_on_signed_contract_and_extends_end(delegation_staff, commune):
    draft = make_contract(actor=delegation_staff, collectivities=[commune])
    with pytest.raises(ValidationError, match="Seul un contrat signé"):
        lifecycle.contract_add_amendment(contract=draft, actor=delegation_staff, title="x", summary="y")
    draft.delete()
    signed = make_contract(actor=delegation_staff, collectivities=[commune], status=ContractStatus.SIGNED)
    amendment = lifecycle.contract_add_amendment(
        contract=signed,
        actor=delegation_staff,
        title="Prolongation",
        summary="Un an de plus",
        new_end_date=datetime.date(2030, 12, 31),
    )
    signed.refresh_from_db()
    assert amendment.number == 1
    assert signed.end_date == datetime.date(2030, 12, 31)


def test_return_to_draft_keeps_reference(delegation_staff, commune):
    contract = make_contract(
        actor=delegation_staff, collectivities=[commune], status=ContractStatus.READY_FOR_SIGNATURE
    )
    reference = contract.reference
    lifecycle.contract_return_to_draft(contract=contract, actor=delegation_staff, reason="Erreur de programme")
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT
    assert contract.reference == reference
    sending.contract_send_for_signature(contract=contract, actor=delegation_staff)
    contract.refresh_from_db()
    assert contract.reference == reference
    assert contract.documents.filter(kind=DocumentKind.FOR_SIGNATURE).count() == 2


def test_attachment_checks_type_and_size(delegation_staff, commune):
    contract = make_contract(actor=delegation_staff, collectivities=[commune])
    fake = SimpleUploadedFile("deliberation.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        lifecycle.contract_attach_document(
            contract=contract, actor=delegation_staff, title="Délibération", uploaded_file=fake
        )
    assert error.value.message_dict == {"file": ["Le contenu du fichier ne correspond pas à son extension."]}
    script = SimpleUploadedFile("script.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError) as error:
        lifecycle.contract_attach_document(contract=contract, actor=delegation_staff, title="x", uploaded_file=script)
    assert error.value.message_dict == {
        "file": ["Format refusé : le document doit être un fichier PDF, DOCX, XLSX, ODT, ODS, PNG ou JPG."]
    }
    good = SimpleUploadedFile("deliberation.pdf", b"%PDF-1.4 minimal", content_type="application/pdf")
    document = lifecycle.contract_attach_document(
        contract=contract, actor=delegation_staff, title="Délibération", uploaded_file=good
    )
    assert document.kind == DocumentKind.ATTACHMENT
    assert document.sha256 == hashlib.sha256(b"%PDF-1.4 minimal").hexdigest()
    assert contract.documents.count() == 1
