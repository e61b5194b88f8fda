"""The contract form sent back with errors lists them all at its top, each a link to its field: the Paris
refusal of a party, halfway down a long form, is read first. The form is valid HTML; the contract's page
writes its figures in one format."""

from decimal import Decimal

import pytest

from agreements.models import PartnershipContract
from tests.agreements.factories import make_contract
from tests.factories import CommuneFactory, DepartmentFactory
from tests.trainings.factories import ThemeFactory

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def test_the_contract_form_lists_its_errors_at_the_top_with_links_to_the_fields(django_app, delegation_staff, commune):
    department = DepartmentFactory(code="75", name="Paris", region=delegation_staff.delegation.region)
    CommuneFactory(code="75056", siren="217500016", name="Paris", department=department, population=2103778)
    theme = ThemeFactory()
    page = django_app.get("/contrats/nouveau/", user=delegation_staff)
    assert page.html.select("[data-error-summary]") == []
    form = page.forms["contract-form"]
    form["title"] = "Plan de formation"
    form["start_date"] = "2027-01-01"
    form["end_date"] = "2026-01-01"
    form["parties-0-collectivity"] = "75056"
    form["parties-0-signatory_name"] = "Odile Marcheval"
    form["parties-0-signatory_function"] = "Maire"
    form["parties-0-signatory_email"] = "pas-une-adresse"
    form["lines-0-year"] = "2027"
    form["lines-0-theme"] = str(theme.pk)
    form["lines-0-title"] = "Accueil des nouveaux agents"
    form["lines-0-planned_days"] = "2"
    form["lines-0-planned_trainees"] = "12"

    response = form.submit(status=400)

    summary = response.html.select_one("#contract-form [data-error-summary]")
    # The summary comes first in the form, before any field.
    markup = str(response.html.select_one("#contract-form"))
    assert markup.index("data-error-summary") < markup.index('id="id_title"')
    assert summary.h2.get_text(strip=True) == f"Le contrat n'a pas été enregistré{NBSP}: 3 erreurs à corriger"
    links = [(a.get_text(" ", strip=True), a["href"]) for a in summary.select("li a")]
    assert links == [
        ("Date de fin : La date de fin doit être postérieure à la date de début.", "#id_end_date"),
        (
            "Collectivité 1 — Collectivité : Paris n'est pas couverte par le CNFPT (« à l'exception du département "
            f"et de la ville de Paris »){NBSP}: elle ne peut pas être partie à un contrat de partenariat.",
            "#id_parties-0-collectivity",
        ),
        (
            "Collectivité 1 — E-mail du signataire : Saisissez une adresse e-mail valide.",
            "#id_parties-0-signatory_email",
        ),
    ]
    # Each link leads to an input of the page.
    assert all(response.html.select_one(href) is not None for _text, href in links)
    assert PartnershipContract.objects.count() == 0
    # Nothing typed is lost.
    again = response.forms["contract-form"]
    assert (again["title"].value, again["parties-0-signatory_name"].value, again["lines-0-title"].value) == (
        "Plan de formation",
        "Odile Marcheval",
        "Accueil des nouveaux agents",
    )


def test_the_contract_form_puts_size_only_where_html_allows_it(django_app, delegation_staff):
    # The Nu HTML checker (vnu) refused « Attribute “size” not allowed on element “div” » (the advisers).
    page = django_app.get("/contrats/nouveau/", user=delegation_staff)
    assert [tag.name for tag in page.html.select("[size]") if tag.name not in ("input", "select")] == []


def test_the_programme_writes_planned_and_delivered_trainee_days_alike(django_app, delegation_staff, commune):
    # « Jours-stagiaires prévus 36,0 » beside « réalisés 0 »: one format for both, as the session page.
    contract = make_contract(actor=delegation_staff, collectivities=[commune])
    contract.programme_lines.update(planned_days=Decimal("3.0"), planned_trainees=12)
    page = django_app.get(f"/contrats/{contract.pk}/", user=delegation_staff)
    row = page.html.select_one("#programme").find_next("tbody").select_one("tr")
    assert [cell.get_text(strip=True) for cell in row.select("td.text-end")] == ["3", "12", "36", "0"]
