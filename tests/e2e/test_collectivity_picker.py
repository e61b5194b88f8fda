"""The collectivité picker in a real browser: typed the way people type, chosen with the keyboard, Paris refused."""

import re

import pytest

from agreements.models import PartnershipContract
from partnership.forms import collectivity_label
from tests.events.factories import EventFactory
from tests.factories import CommuneFactory, DepartmentFactory, EpciFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def paris_and_metropole(delegation):
    department = DepartmentFactory(code="75", name="Paris", region=delegation.region)
    delegation.departments.add(department)
    paris = CommuneFactory(code="75056", siren="217500016", name="Paris", department=department, population=2103778)
    metropole = EpciFactory(
        code="200054781",
        siren="200054781",
        name="Métropole du Grand Paris",
        department=delegation.departments.exclude(code="75").first(),
        population=7000000,
    )
    metropole.members.set([paris])
    return paris, metropole


def test_contract_picker_marks_paris_and_picks_with_the_keyboard(journey, delegation_staff, paris_and_metropole):
    paris, metropole = paris_and_metropole
    run = journey("picker-contrat-paris")
    page = run.login(delegation_staff)
    run.goto(page, "/contrats/nouveau/")
    picker = page.get_by_role("combobox", name=re.compile("Collectivité"))
    picker.press_sequentially("paris", delay=30)
    listbox = page.locator(f"#{picker.get_attribute('id')}-options")
    listbox.wait_for()
    options = listbox.get_by_role("option")
    # The exact name first.
    assert [options.nth(i).get_attribute("data-label") for i in range(options.count())] == [
        collectivity_label(paris),
        collectivity_label(metropole),
    ]
    paris_option = page.locator(f"[role=option][data-label='{collectivity_label(paris)}']")
    assert paris_option.get_attribute("aria-disabled") == "true"
    assert "non couverte par le CNFPT" in paris_option.inner_text()
    assert picker.get_attribute("aria-expanded") == "true"
    run.step(page, "paris non couverte")

    # Paris cannot be chosen: the input keeps what was typed.
    picker.press("ArrowDown")
    picker.press("Enter")
    assert picker.input_value() == "paris"
    status = page.locator(f"#{picker.get_attribute('id')}-status")
    assert (
        status.inner_text() == f"{collectivity_label(paris)} ne peut pas être choisie\u00a0: non couverte par le CNFPT."
    )
    assert PartnershipContract.objects.count() == 0

    # The Métropole du Grand Paris can.
    picker.press("ArrowDown")
    picker.press("Enter")
    assert picker.input_value() == collectivity_label(metropole)
    assert picker.get_attribute("aria-expanded") == "false"
    run.step(page, "metropole choisie")
    run.assert_accessible()


def test_event_picker_lets_paris_be_chosen(journey, paris_and_metropole):
    paris, _metropole = paris_and_metropole
    event = EventFactory(capacity=10)
    run = journey("picker-evenement-paris")
    page = run.new_page()
    run.goto(page, f"/evenements/{event.pk}/")
    picker = page.get_by_role("combobox", name=re.compile("Votre collectivité"))
    picker.press_sequentially("Paris", delay=30)
    paris_option = page.locator(f"[role=option][data-label='{collectivity_label(paris)}']")
    paris_option.wait_for()
    assert paris_option.get_attribute("aria-disabled") is None
    assert "non couverte par le CNFPT" in paris_option.inner_text()
    run.step(page, "paris proposee")
    paris_option.click()
    assert picker.input_value() == collectivity_label(paris)
    run.assert_accessible()
