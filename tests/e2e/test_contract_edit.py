"""A delegation agent opens « Modifier » on a draft with a programme, saves it unchanged, then fills in
the missing délibération date: in Chromium, the programme stays whole and the contract goes to signature."""

import re

import pytest

from tests.agreements.factories import make_programmed_draft

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def programme(contract):
    return list(
        contract.programme_lines.values_list("pk", "year", "theme_id", "title", "planned_days", "planned_trainees")
    )


def test_saving_a_draft_in_the_browser_keeps_its_programme(journey, delegation_staff, commune, other_commune):
    contract = make_programmed_draft(actor=delegation_staff, collectivities=[commune, other_commune])
    lines = programme(contract)
    run = journey("contrat-modifier-sans-perte")
    page = run.login(delegation_staff)

    run.goto(page, f"/contrats/{contract.pk}/")
    run.step(page, "brouillon avec son programme")
    page.get_by_role("link", name="Modifier").click()
    page.wait_for_load_state("load")
    run.step(page, "formulaire de modification")
    titles = page.locator("[name$='-title'][name^='lines-']")
    assert titles.evaluate_all("inputs => inputs.map(i => i.value).filter(Boolean)") == [line[3] for line in lines]
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.get_by_text("Les modifications du contrat sont enregistrées.").wait_for()
    run.step(page, "enregistre sans changement")
    assert programme(contract) == lines
    # One row of the programme table per line, its title in the row (beside « Programmer une action »).
    programme_rows = page.get_by_role("table", name="Programme : prévu et réalisé").get_by_role("row")
    titled = [programme_rows.filter(has_text=re.compile(re.escape(line[3]))).count() for line in lines]
    assert titled == [1] * len(lines)

    page.get_by_role("link", name="Modifier").click()
    page.wait_for_load_state("load")
    page.locator("[name='parties-1-deliberation_date']").fill("2026-09-15")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.get_by_text("Les modifications du contrat sont enregistrées.").wait_for()
    run.step(page, "deliberation renseignee")
    assert programme(contract) == lines

    page.get_by_role("button", name="Envoyer à la signature").click()
    page.get_by_text("Ce qui va se passer").wait_for()
    run.step(page, "confirmation de l'envoi")
    page.get_by_role("button", name="Oui, envoyer à la signature").click()
    page.get_by_text(re.compile("Le contrat est envoyé à la signature")).wait_for()
    run.step(page, "envoye a la signature")
    contract.refresh_from_db()
    assert (contract.status, programme(contract)) == ("ready_for_signature", lines)
    run.assert_accessible()
