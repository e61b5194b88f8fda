"""Journey: a visitor reads the coverage map with the keyboard; the page passes axe-core."""

import pytest

from agreements.enums import ContractStatus
from stats import views
from tests.agreements.factories import make_contract
from tests.factories import CommuneFactory, DepartmentFactory
from tests.stats.map_data import realistic_department_rows

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# One département with covered communes (Rhône, 50 %): a single class. The factory region is none of the map's.
LEGEND_DEPARTMENTS = ["50,0\u202f%", "Paris, hors CNFPT", "hors du périmètre affiché"]
LEGEND_REGIONS = ["hors du périmètre affiché"]


def test_coverage_map_is_drawn_focusable_and_accessible(journey, delegation, delegation_staff):
    rhone = DepartmentFactory(code="69", name="Rhône", region=delegation.region)
    delegation.departments.add(rhone)
    covered = CommuneFactory(department=rhone, population=1200)
    CommuneFactory(department=rhone, population=800)
    make_contract(actor=delegation_staff, collectivities=[covered], status=ContractStatus.ACTIVE)
    run = journey("carte-couverture")
    page = run.new_page()
    run.goto(page, "/statistiques/#couverture")
    maps = page.locator("figure.stat-map svg.stat-map-svg")
    assert maps.count() == 2
    # Every metropolitan département and region is drawn, and the five overseas ones as insets with
    # their own outlines, each focusable with its figures.
    for figure, mainland in (
        (page.locator("figure.stat-map").nth(0), 96),
        (page.locator("figure.stat-map").nth(1), 13),
    ):
        assert figure.locator("path").count() == mainland + 5
        insets = figure.locator("g.stat-map-inset")
        assert insets.count() == 5
        assert insets.locator("text").evaluate_all("nodes => nodes.map(n => n.textContent)") == [
            "Guadeloupe",
            "Martinique",
            "Guyane",
            "La Réunion",
            "Mayotte",
        ]
        assert all(
            len(d) > 300 for d in insets.locator("path").evaluate_all("nodes => nodes.map(n => n.getAttribute('d'))")
        )
    reunion = page.locator("figure.stat-map").nth(0).locator("g.stat-map-inset").nth(3).locator("path")
    assert reunion.evaluate("node => node.closest('[aria-label]').getAttribute('aria-label')") == (
        "La Réunion (974) : hors du périmètre affiché"
    )
    link = page.locator('svg a[href="#couverture-departement-69"]')
    link.focus()
    assert link.get_attribute("aria-label") == (
        "Rhône (69) : 50,0\u202f% des communes (1 sur 2), 60,0\u202f% de la population"
    )
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#couverture-departement-69"
    page.keyboard.press("Enter")
    page.wait_for_url("**/statistiques/#couverture-departement-69")  # following a link is asynchronous
    assert page.locator("#couverture-departement-69").count() == 1
    # Paris is drawn apart, never as covered.
    paris = page.locator("figure.stat-map").nth(0).locator("path.map-excluded")
    assert paris.count() == 1
    assert page.locator("figure.stat-map").nth(1).locator(".map-excluded").count() == 0  # region 75 is not Paris
    assert "ne relève pas du CNFPT" in paris.first.evaluate("node => node.closest('a').getAttribute('aria-label')")
    assert page.get_by_text("licence CC BY 4.0").count() >= 1
    # Paris is named on the map, and each legend names its classes, drawn from the figures shown.
    assert page.locator(".stat-map-callout text").text_content() == "Paris\u00a0: hors CNFPT"
    assert page.locator(".stat-map-callout text").is_visible()
    legends = page.locator("ul.stat-map-legend")
    assert [text.strip() for text in legends.nth(0).locator("li").all_inner_texts()] == LEGEND_DEPARTMENTS
    assert [text.strip() for text in legends.nth(1).locator("li").all_inner_texts()] == LEGEND_REGIONS
    assert page.locator(".stat-map-method").all_inner_texts() == [
        "Classes par seuils naturels (Jenks), calculées sur 1 département affiché.",
        "Aucun territoire de ce périmètre n'a de commune\u00a0: pas de classe de couleur.",
    ]
    assert page.get_by_text("Ce que disent les couleurs").is_visible()
    run.step(page, "carte de couverture")
    run.assert_accessible()


def test_statistics_page_on_a_phone_never_scrolls_sideways(journey, delegation, delegation_staff):
    """At 390 px, the wide tables scroll within their own focusable frame; the maps shrink to the screen."""
    make_contract(
        actor=delegation_staff,
        collectivities=[CommuneFactory(department=delegation.departments.first())],
        status=ContractStatus.ACTIVE,
    )
    run = journey("statistiques-telephone")
    page = run.new_page(phone=True)
    run.goto(page, "/statistiques/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    frames = page.locator("div.table-responsive[role=region][tabindex='0']")
    assert frames.count() >= 10
    # The table of coverage by region is wider than the phone: its frame scrolls, the page does not.
    frame = frames.filter(has=page.locator("caption", has_text="par région")).first
    assert frame.evaluate("node => node.scrollWidth > node.clientWidth")
    maps = page.locator("figure.stat-map svg.stat-map-svg")
    assert all(box["width"] <= 390 for box in (maps.nth(i).bounding_box() for i in range(maps.count())))
    run.step(page, "statistiques sur téléphone")
    run.assert_accessible()


def test_coverage_map_on_realistic_figures_spreads_the_colours(journey, monkeypatch):
    """On figures shaped like the real ones (most départements under 20 %), every class has its areas."""
    real = views.dashboard_cached

    def realistic(**kwargs):
        return {**real(**kwargs), "coverage_by_department": realistic_department_rows()}

    monkeypatch.setattr(views, "dashboard_cached", realistic)
    run = journey("carte-couverture-realiste")
    for phone in (False, True):
        page = run.new_page(phone=phone)
        run.goto(page, "/statistiques/#couverture")
        departments = page.locator("figure.stat-map").nth(0)
        counts = {step: departments.locator(f"svg.stat-map-svg path.map-step-{step}").count() for step in range(5)}
        assert counts == {0: 10, 1: 41, 2: 24, 3: 20, 4: 5}
        assert [text.strip() for text in departments.locator("ul.stat-map-legend li").all_inner_texts()] == [
            "aucune commune couverte",
            "0,2 à 3,2\u202f%",
            "3,5 à 7,4\u202f%",
            "7,8 à 11,7\u202f%",
            "24,0 à 31,6\u202f%",
            "Paris, hors CNFPT",
        ]
        assert page.locator(".stat-map-callout text").is_visible()
        departments.scroll_into_view_if_needed()
        run.step(page, "carte realiste" + (" telephone" if phone else ""))
    run.assert_accessible()
