"""The action log of contracts (draft edits, attachments, amendments) and of axis 5 (internships, studies)."""

import hashlib

import pytest
from webtest import Upload

from agreements.enums import ContractStatus, StudyStatus
from partnership.enums import HistoryAction
from partnership.models import ActionLogEntry
from tests.agreements.factories import make_contract
from tests.forms.browser import browser_form
from tests.forms.edit_forms import contract_draft, internship, study
from tests.helpers import form_to, history_rows, text

pytestmark = pytest.mark.django_db


def _entries(obj) -> list[ActionLogEntry]:
    return list(ActionLogEntry.objects.filter(object_id=obj.pk, content_type__model=obj._meta.model_name))


def _author(user) -> str:
    return f"{user.get_full_name()} ({user.get_role_display()})"


def test_editing_a_draft_records_its_fields_parties_and_lines_and_the_contract_page_shows_them(django_app, persona):
    target = contract_draft(persona)
    contract, staff = target.rows["contract"], target.user
    party = target.rows["party1"]
    removed = contract.programme_lines.get(title="Prévention des risques psychosociaux")
    changed = contract.programme_lines.get(title="Élaboration du plan de formation")
    form = browser_form(django_app.get(target.url, user=staff), "contract-form")
    assert (form["lines-0-title"].value, form["lines-1-title"].value) == (removed.title, changed.title)
    form["title"] = "Contrat de partenariat 2027-2029"
    form["parties-1-deliberation_date"] = "2026-09-15"
    form["lines-1-planned_trainees"] = "30"
    form["lines-0-DELETE"] = True

    form.submit().follow()

    entries = _entries(contract)
    assert [(e.action, e.subject, e.changes) for e in entries] == [
        (
            HistoryAction.UPDATED,
            "",
            [
                [
                    "Intitulé",
                    "Contrat de partenariat de formation professionnelle territorialisée",
                    "Contrat de partenariat 2027-2029",
                ]
            ],
        ),
        (
            HistoryAction.REMOVED,
            "Ligne de programme «\u00a0Prévention des risques psychosociaux\u00a0» (2027)",
            [
                ["Année", "2027", None],
                ["Thème", str(removed.theme), None],
                ["Action prévue", "Prévention des risques psychosociaux", None],
                ["Jours de formation prévus", "2", None],
                ["Stagiaires prévus", str(removed.planned_trainees), None],
            ],
        ),
        (
            HistoryAction.UPDATED,
            "Ligne de programme «\u00a0Élaboration du plan de formation\u00a0» (2027)",
            [["Stagiaires prévus", str(changed.planned_trainees), "30"]],
        ),
        (
            HistoryAction.UPDATED,
            f"Partie\u00a0: {party.collectivity}",
            [["Date de la délibération autorisant la signature", None, "15 septembre 2026"]],
        ),
    ]
    assert {e.actor for e in entries} == {staff}
    rows = history_rows(django_app.get(f"/contrats/{contract.pk}/", user=staff))
    assert [row[:2] for row in rows] == [
        (_author(staff), "Modification"),
        (_author(staff), "Retrait Ligne de programme « Prévention des risques psychosociaux » (2027)"),
        (_author(staff), "Modification Ligne de programme « Élaboration du plan de formation » (2027)"),
        (_author(staff), f"Modification Partie : {party.collectivity}"),
    ]


def test_a_stale_save_is_refused_and_records_nothing(django_app, persona):
    target = contract_draft(persona)
    first = browser_form(django_app.get(target.url, user=target.user), "contract-form")
    second = browser_form(django_app.get(target.url, user=target.user), "contract-form")
    first["title"] = "Premier onglet"
    first.submit().follow()
    second["title"] = "Second onglet"

    refused = second.submit(status=409)

    assert "Quelqu'un a enregistré ce contrat pendant que vous le modifiiez." in text(refused)
    assert [e.changes[0][2] for e in _entries(target.rows["contract"])] == ["Premier onglet"]


def test_an_attachment_is_in_the_journal_which_a_signatory_does_not_see(
    django_app, delegation_staff, signatory, commune
):
    contract = make_contract(
        actor=delegation_staff, collectivities=[commune], status=ContractStatus.READY_FOR_SIGNATURE
    )
    page = django_app.get(f"/contrats/{contract.pk}/", user=delegation_staff)
    form = form_to(page, f"/contrats/{contract.pk}/documents/")
    form["title"] = "Délibération du conseil municipal"
    form["file"] = Upload("deliberation.pdf", b"%PDF-1.4 minimal", "application/pdf")

    page = form.submit().follow()

    sha256 = hashlib.sha256(b"%PDF-1.4 minimal").hexdigest()
    assert history_rows(page) == [
        (
            _author(delegation_staff),
            "Document joint Document « Délibération du conseil municipal »",
            f"Fichier : — → devient deliberation.pdf Empreinte SHA-256 : — → devient {sha256}",
        )
    ]
    seen_by_signatory = django_app.get(f"/contrats/{contract.pk}/", user=signatory)
    assert "Délibération du conseil municipal" in text(seen_by_signatory)
    assert history_rows(seen_by_signatory) == []
    assert "Journal des modifications" not in text(seen_by_signatory)


def test_an_internship_edit_and_its_transitions_are_in_its_history(django_app, persona):
    target = internship(persona)
    item, staff = target.rows["internship"], target.user
    form = browser_form(django_app.get(target.url, user=staff), "axis5-form")
    form["tutor"] = "Service juridique"
    form.submit().follow()
    page = django_app.get(f"/stages-etudes/stages/{item.pk}/", user=staff)
    start = next(f for f in page.forms.values() if f.action.endswith("/statut/") and f["target"].value == "in_progress")
    start.submit().follow()

    rows = history_rows(django_app.get(f"/stages-etudes/stages/{item.pk}/", user=staff))

    assert rows == [
        (_author(staff), "Changement de statut", "Statut : Prévu → devient En cours"),
        (_author(staff), "Modification", "Tuteur à l'AMF : Direction des études → devient Service juridique"),
    ]


def test_a_refused_transition_records_nothing(client, amf_staff):
    item = internship(lambda name: amf_staff).rows["internship"]
    client.force_login(amf_staff)

    response = client.post(f"/stages-etudes/stages/{item.pk}/statut/", {"target": "completed"}, follow=True)

    assert "Transition impossible" in text(response)
    assert _entries(item) == []


def test_a_study_delivery_is_in_its_history_and_beneath_its_admin_form(django_app, persona, amf_staff):
    item = study(persona).rows["study"]
    item.status = StudyStatus.IN_PROGRESS
    item.save(update_fields=["status"])
    page = django_app.get(f"/stages-etudes/etudes/{item.pk}/", user=amf_staff)
    form = form_to(page, f"/stages-etudes/etudes/{item.pk}/livrer/")
    form["delivered_on"] = "2027-02-26"
    form["deliverable"] = Upload("etude.pdf", b"%PDF-1.7\n...", "application/pdf")
    form.submit().follow()

    admin_page = django_app.get(f"/admin/agreements/study/{item.pk}/change/", user=amf_staff)

    [(author, action, changes)] = history_rows(admin_page)
    assert (author, action) == (_author(amf_staff), "Livraison")
    assert changes == (
        "Statut : En cours → devient Livrée Livrée le : — → devient 26 février 2027 Livrable : — → devient etude.pdf"
    )


def test_an_amendment_that_extends_the_contract_records_the_new_end_date(django_app, delegation_staff, commune):
    contract = make_contract(actor=delegation_staff, collectivities=[commune], status=ContractStatus.SIGNED)
    page = django_app.get(f"/contrats/{contract.pk}/", user=delegation_staff)
    form = form_to(page, f"/contrats/{contract.pk}/avenants/")
    form["title"] = "Prolongation d'un an"
    form["summary"] = "Le programme 2029 est reporté à 2030."
    form["new_end_date"] = "2030-12-31"

    page = form.submit().follow()

    assert history_rows(page) == [
        (
            _author(delegation_staff),
            "Modification Avenant n° 1",
            "Date de fin : 31 décembre 2029 → devient 31 décembre 2030",
        )
    ]
    assert "Avenant n° 1 : Prolongation d'un an" in text(page)  # the transition, as before
