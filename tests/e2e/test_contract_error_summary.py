"""A delegation agent names Paris as a party, far down the contract form: on a desktop and on a phone, the
page comes back with the error summary at the top, focused, whose link leads to the refused field."""

import re

import pytest

from tests.e2e.login import log_in
from tests.factories import CommuneFactory, DepartmentFactory
from tests.trainings.factories import ThemeFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("phone", [False, True], ids=["bureau", "telephone"])
def test_contract_form_errors_are_summarised_at_the_top(journey, delegation, delegation_staff, phone):
    department = DepartmentFactory(code="75", name="Paris", region=delegation.region)
    CommuneFactory(code="75056", siren="217500016", name="Paris", department=department, population=2103778)
    theme = ThemeFactory()
    run = journey(f"contrat-erreurs-{'telephone' if phone else 'bureau'}")
    page = log_in(run, delegation_staff, phone=phone, next_path="/contrats/nouveau/")
    page.get_by_label(re.compile("Intitulé")).fill("Plan de formation")
    page.get_by_label(re.compile("Date de début")).fill("2027-01-01")
    page.locator("[name='parties-0-collectivity']").fill("75056")
    page.locator("[name='parties-0-signatory_name']").fill("Odile Marcheval")
    page.locator("[name='parties-0-signatory_function']").fill("Maire")
    page.locator("[name='parties-0-signatory_email']").fill("maire@ville-e2e.example.fr")
    page.locator("[name='lines-0-year']").fill("2027")
    page.locator("[name='lines-0-theme']").select_option(value=str(theme.pk))
    page.locator("[name='lines-0-title']").fill("Accueil des nouveaux agents")
    page.locator("[name='lines-0-planned_days']").fill("2")
    page.locator("[name='lines-0-planned_trainees']").fill("12")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.wait_for_load_state("load")

    summary = page.locator("[data-error-summary]")
    assert summary.evaluate("element => element === document.activeElement")
    assert summary.get_by_role("heading").inner_text() == "Le contrat n'a pas été enregistré\u00a0: 1 erreur à corriger"
    run.step(page, "erreurs en tete du formulaire")
    summary.get_by_role("link", name=re.compile("^Collectivité 1 — Collectivité : Paris n'est pas couverte")).click()
    assert page.evaluate("document.activeElement.name") == "parties-0-collectivity"
    assert page.locator("[name='parties-0-collectivity']").input_value() == "75056"
    run.step(page, "champ refuse")
    run.assert_accessible()
