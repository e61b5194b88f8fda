"""Journey: a visitor reads the coverage map with the keyboard; the page passes axe-core."""

import pytest

from agreements.enums import ContractStatus
from tests.agreements.factories import make_contract
from tests.factories import CommuneFactory, DepartmentFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_coverage_map_is_drawn_focusable_and_accessible(journey, delegation, delegation_staff):
    rhone = DepartmentFactory(code="69", name="Rhône", region=delegation.region)
    delegation.departments.add(rhone)
    covered = CommuneFactory(department=rhone, population=1200)
    CommuneFactory(department=rhone, population=800)
    make_contract(actor=delegation_staff, collectivities=[covered], status=ContractStatus.ACTIVE)
    run = journey("carte-couverture")
    page = run.new_page()
    run.goto(page, "/statistiques/#couverture")
    maps = page.locator("figure.stat-map svg")
    assert maps.count() == 2
    # Every metropolitan département and region, plus the overseas insets, is drawn.
    assert page.locator("figure.stat-map").nth(0).locator("path").count() == 96
    assert page.locator("figure.stat-map").nth(1).locator("path").count() == 13
    link = page.locator('svg a[href="#couverture-departement-69"]')
    link.focus()
    assert link.get_attribute("aria-label") == (
        "Rhône (69) : 50,0\u202f% des communes (1 sur 2), 60,0\u202f% de la population"
    )
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#couverture-departement-69"
    page.keyboard.press("Enter")
    assert page.url.endswith("#couverture-departement-69")
    # Paris is drawn apart, never as covered.
    paris = page.locator("figure.stat-map").nth(0).locator("path.map-excluded")
    assert paris.count() == 1
    assert page.locator("figure.stat-map").nth(1).locator(".map-excluded").count() == 0  # region 75 is not Paris
    assert "ne relève pas du CNFPT" in paris.first.evaluate("node => node.closest('a').getAttribute('aria-label')")
    assert page.get_by_text("licence CC BY 4.0").count() >= 1
    run.step(page, "carte de couverture")
    run.assert_accessible()
