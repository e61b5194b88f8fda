"""Inputs that used to answer 500, each now answered with a clear French message and nothing saved."""

import datetime
import re

import pytest
import weasyprint
from django.core.exceptions import ValidationError
from django.utils import timezone
from webtest import Upload

from agreements.models import PartnershipContract, ProgrammeLine
from agreements.services import drafting
from agreements.signing.sealing import seal_pdf
from tests.agreements.factories import line, party
from tests.factories import CommuneFactory, ThemeFactory


def _contract_form(django_app, user, commune, **values):
    theme = ThemeFactory()
    page = django_app.get("/contrats/nouveau/", user=user)
    form = next(form for form in page.forms.values() if "title" in form.fields)
    form["title"] = "Contrat de Saint-Étienne"
    form["start_date"] = "2027-01-01"
    form["parties-0-collectivity"] = f"{commune.code} – {commune.name} ({commune.department.code})"
    form["parties-0-signatory_name"] = "Mireille Fontanel"
    form["parties-0-signatory_function"] = "Maire"
    form["parties-0-signatory_email"] = "maire@example.fr"
    form["lines-0-year"] = "2027"
    form["lines-0-theme"] = str(theme.pk)
    form["lines-0-title"] = "Accueil des travailleurs handicapés"
    form["lines-0-planned_days"] = "2"
    form["lines-0-planned_trainees"] = "15"
    for name, value in values.items():
        form[name] = value
    return form


def test_contract_form_as_sent_by_the_browser_is_saved(django_app, delegation_staff, commune):
    response = _contract_form(django_app, delegation_staff, commune).submit()
    assert response.status_code == 302
    assert ProgrammeLine.objects.get().planned_trainees == 15


@pytest.mark.parametrize("huge", [str(2**31), str(2**63), "9" * 40])
def test_contract_programme_refuses_integers_beyond_the_database_range(django_app, delegation_staff, commune, huge):
    form = _contract_form(django_app, delegation_staff, commune, **{"lines-0-planned_trainees": huge})
    response = form.submit(status=400)
    assert "Assurez-vous que cette valeur est inférieure ou égale à 100000." in response.text
    assert (PartnershipContract.objects.count(), ProgrammeLine.objects.count()) == (0, 0)


@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01"])
def test_contract_start_date_out_of_range_without_end_date_is_refused(django_app, delegation_staff, commune, start):
    response = _contract_form(django_app, delegation_staff, commune, start_date=start).submit(status=400)
    assert "Indiquez une date comprise entre 2000 et 2100." in response.text
    assert PartnershipContract.objects.count() == 0


def test_contract_service_refuses_out_of_range_dates_whoever_calls_it(delegation_staff, commune):

    with pytest.raises(ValidationError) as refused:
        drafting.contract_create(
            actor=delegation_staff,
            delegation=delegation_staff.delegation,
            title="Contrat",
            start_date=datetime.date(9999, 12, 31),
            parties=[party(commune)],
            lines=[line(year=2027)],
        )
    assert refused.value.message_dict == {"start_date": ["Indiquez une date comprise entre 2000 et 2100."]}


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "9999-13", "2027-00"])
def test_calendar_month_out_of_range_shows_the_current_month(django_app, delegation_staff, month):
    response = django_app.get(f"/formations/calendrier/?mois={month}", user=delegation_staff)
    assert response.status_code == 200
    today = timezone.localdate()
    assert f'href="?mois={(today.replace(day=1) - timezone.timedelta(days=1)):%Y-%m}"' in response.text


def test_nul_character_in_a_query_parameter_is_read_as_a_separator(django_app, delegation_staff, delegation):
    CommuneFactory(name="Saint-Étienne", department=delegation.departments.first())
    response = django_app.get("/collectivites/recherche/?q=saint%00etienne", user=delegation_staff)
    (result,) = response.json["results"]
    assert "Saint-Étienne" in result["label"]


@pytest.mark.parametrize("url", ["/formations/?periode=%00", "/contrats/?q=%00", "/evenements/?page=%00"])
def test_nul_character_never_reaches_the_database(django_app, delegation_staff, url):
    assert django_app.get(url, user=delegation_staff).status_code == 200


@pytest.mark.django_db
def test_verification_of_a_seal_whose_signature_bytes_were_altered_gives_a_verdict(django_app):
    sealed = seal_pdf(weasyprint.HTML(string="<p>Contrat</p>").write_pdf(), reason="Contrat signé")
    contents = re.search(rb"/Contents\s*<([0-9a-fA-F]+)>", sealed)
    # Inside the CMS structure, where the signer's certificate is described: pyHanko cannot read it.
    offset = contents.start(1) + 40
    altered = sealed[:offset] + (b"0" if sealed[offset : offset + 1] != b"0" else b"1") + sealed[offset + 1 :]
    form = django_app.get("/verification/").forms[0]
    form["file"] = Upload("contrat.pdf", altered, "application/pdf")
    response = form.submit()
    assert response.status_code == 200
    assert re.search(r'<h2 id="resultat" class="h4">([^<]+)</h2>', response.text).group(1) in (
        "Document illisible ou altéré",
        "Document altéré",
    )
