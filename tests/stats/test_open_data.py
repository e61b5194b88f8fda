"""Open-data conventions: one registry, Table Schemas that every export satisfies, inert formulas, Paris.

Every dataset of the registry is exported (CSV and XLSX) on the known ``world`` and checked: the
CSV against the dataset's Table Schema with the ``frictionless`` package, and both formats for
cells that a spreadsheet would run as formulas (OWASP « CSV injection »).
"""

import csv
import io
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from frictionless import Dialect, Resource, Schema, formats
from openpyxl import load_workbook

from agreements.enums import ContractStatus
from agreements.models import PartnershipContract, Theme
from events.models import Event, Speaker
from partnership.enums import CollectivityKind
from partnership.models import Collectivity, Delegation
from partnership.spreadsheet import FORMULA_TRIGGERS
from stats import datasets, registry, services, tableschema
from stats.api import serializer_for
from stats.files import render_csv, render_xlsx, write_csv
from stats.indicators.coverage import coverage_by_department, department_order, region_order
from stats.models import ExportRequest
from tests.agreements.factories import make_contract
from tests.factories import CommuneFactory, DepartmentFactory, EpciFactory
from trainings.models import TrainingAction, TrainingScheme

pytestmark = pytest.mark.django_db

ALL = list(registry.DATASETS)


def _export(user, key, fmt, capture) -> ExportRequest:
    with capture(execute=True):
        export = services.export_request_create(user=user, dataset=key, format=fmt)
    export.refresh_from_db()
    assert export.status == "done", export.error
    return export


def _validate(content: bytes, dataset, tmp_path) -> list:
    path = tmp_path / f"{dataset.key}.csv"
    path.write_bytes(content)
    resource = Resource(
        path=path.name,
        basepath=str(tmp_path),
        format="csv",
        encoding="utf-8-sig",
        schema=Schema.from_descriptor(tableschema.table_schema(dataset)),
        dialect=Dialect(controls=[formats.CsvControl(delimiter=";")]),
    )
    report = resource.validate()
    return report.flatten(["rowNumber", "fieldName", "type", "note"])


# --- One registry ------------------------------------------------------------------------------------


def test_export_choices_come_from_the_registry():
    assert ExportRequest._meta.get_field("dataset").choices == datasets.dataset_choices()
    assert [key for key, _label in datasets.dataset_choices()] == ALL


@pytest.mark.parametrize("dataset", [d for d in registry.INDICATORS if d.api_path], ids=lambda d: d.key)
def test_api_fields_are_the_registry_columns(
    client, world, dataset, national_staff, django_capture_on_commit_callbacks
):
    _export(national_staff, "contracts_by_status", "csv", django_capture_on_commit_callbacks)
    fields = serializer_for(dataset)().fields
    assert list(fields) == list(dataset.keys)
    assert [field.help_text for field in fields.values()] == [column.help for column in dataset.columns]
    rows = client.get(reverse(dataset.api_name)).json()["results"]
    assert rows
    assert all(list(row) == list(dataset.keys) for row in rows)


def test_api_root_lists_every_endpoint_and_schema(client):
    body = client.get("/api/v1/").json()
    assert [item["url"] for item in body["indicators"]] == [
        f"http://testserver/api/v1/{d.api_path}" for d in registry.INDICATORS if d.api_path
    ]
    assert [item["table_schema"] for item in body["datasets"]] == [
        f"http://testserver/api/v1/schemas/{key}.json" for key in ALL
    ]
    assert body["documentation"] == "http://testserver/api/docs/"


def test_table_schema_is_published_at_a_stable_url(client):
    schema = client.get("/api/v1/schemas/trainees_by_category.json").json()
    assert schema == tableschema.table_schema(registry.DATASETS["trainees_by_category"])
    assert [field["name"] for field in schema["fields"]] == [
        "Code de la catégorie",
        "Catégorie",
        "Stagiaires",
        "Part (%)",
        "Journées-stagiaires réalisées",
    ]
    assert schema["fields"][3]["decimalChar"] == ","
    assert client.get("/api/v1/schemas/inconnu.json").status_code == 404


def test_api_documentation_links_the_table_schemas(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/trainees/by-category/"]["get"]
    assert "/api/v1/schemas/trainees_by_category.json" in operation["description"]


# --- Every export satisfies its Table Schema -------------------------------------------------------


@pytest.mark.parametrize("key", ALL)
def test_every_csv_export_is_valid_against_its_table_schema(
    world, national_staff, key, tmp_path, django_capture_on_commit_callbacks
):
    dataset = registry.DATASETS[key]
    export = _export(national_staff, key, "csv", django_capture_on_commit_callbacks)
    content = export.file.read()
    assert _validate(content, dataset, tmp_path) == []
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == list(dataset.header)
    assert len(rows) - 1 == export.row_count
    assert export.row_count == len(list(dataset.iter_rows(user=national_staff)))


def test_a_wrong_file_fails_its_table_schema(tmp_path):
    # The validation can fail: a share written with a dot, a count that is not a number.
    dataset = registry.DATASETS["trainees_by_category"]
    header = ";".join(dataset.header)
    content = f"\ufeff{header}\r\nA;Catégorie A;deux;50.5;1,0\r\n".encode()
    errors = _validate(content, dataset, tmp_path)
    assert {(error[1], error[2]) for error in errors} == {("Stagiaires", "type-error"), ("Part (%)", "type-error")}


# --- Exports are safe to open (OWASP, CSV injection) ----------------------------------------------

INJECTED = ["=1+1", "+SUM(A1:A2)", "-2+3", "@cmd", "\t=TAB", "\r=CR"]


@pytest.fixture
def hostile_world(world):
    """The known world, where every free text a user or an import could write starts like a formula."""
    texts = iter(INJECTED * 50)
    for delegation in Delegation.objects.all():
        Delegation.objects.filter(pk=delegation.pk).update(name=next(texts) + " délégation")
    for model, field in ((Theme, "label"), (TrainingScheme, "label"), (TrainingAction, "title"), (Event, "title")):
        for pk in model.objects.values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(**{field: next(texts) + " libellé"})
    for pk in Collectivity.objects.values_list("pk", flat=True):
        Collectivity.objects.filter(pk=pk).update(name=next(texts) + " commune")
    for pk in Speaker.objects.values_list("pk", flat=True):
        Speaker.objects.filter(pk=pk).update(last_name=next(texts), organisation=next(texts))

    PartnershipContract.objects.update(title='=HYPERLINK("http://exemple.invalid")')
    return world


# Datasets that carry text written by people (names, titles, labels): each must show a neutralised cell.
CARRY_FREE_TEXT = {
    "contracts_by_delegation",
    "trainee_days_by_theme",
    "trainee_days_by_scheme",
    "contracts",
    "sessions",
    "registrations",
    "events",
    "speakers",
    "collectivity_figures",
    "anonymised_registrations",
}


@pytest.mark.parametrize("key", ALL)
def test_formulas_are_inert_in_every_csv_and_xlsx(
    hostile_world, national_staff, key, django_capture_on_commit_callbacks
):
    csv_export = _export(national_staff, key, "csv", django_capture_on_commit_callbacks)
    cells = [
        cell
        for row in csv.reader(io.StringIO(csv_export.file.read().decode("utf-8-sig")), delimiter=";")
        for cell in row
    ]
    assert [cell for cell in cells if cell.startswith(FORMULA_TRIGGERS)] == []
    quoted = [cell for cell in cells if cell.startswith("'") and cell[1:].startswith(FORMULA_TRIGGERS)]

    xlsx_export = _export(national_staff, key, "xlsx", django_capture_on_commit_callbacks)
    sheet = load_workbook(io.BytesIO(xlsx_export.file.read())).active
    xlsx_cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in xlsx_cells if cell.data_type == "f"] == []
    risky = [cell for cell in xlsx_cells if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS)]
    assert [cell.coordinate for cell in risky if not cell.quotePrefix] == []
    # The texts are kept, only neutralised: nothing is lost.
    assert sorted(cell[1:] for cell in quoted) == sorted(cell.value for cell in risky)
    if key in CARRY_FREE_TEXT:
        assert quoted, "the hostile texts should reach this dataset"


def test_copy_writes_the_same_cells_as_the_row_by_row_writer(hostile_world, national_staff):
    """On PostgreSQL the largest CSV is written by ``COPY``: cell for cell, the file of the row-by-row writer."""

    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    dataset = registry.DATASETS["anonymised_registrations"]
    by_copy = io.BytesIO()
    copied = services.write_dataset(by_copy, dataset, "csv", user=national_staff, delegation_id=None)
    by_rows = io.BytesIO()
    types = [column.schema_type for column in dataset.columns]
    written = write_csv(by_rows, dataset.header, dataset.iter_tuples(user=national_staff), types=types)

    def parsed(buffer):
        return list(csv.reader(io.StringIO(buffer.getvalue().decode("utf-8-sig")), delimiter=";"))

    assert copied == written == len(parsed(by_rows)) - 1 > 0
    assert sorted(parsed(by_copy)[1:]) == sorted(parsed(by_rows)[1:])
    assert parsed(by_copy)[0] == list(dataset.header)
    assert any(cell.startswith("'") for row in parsed(by_copy) for cell in row), "hostile labels reach the file"


def test_negative_numbers_stay_numbers():
    assert render_csv(["n"], [[-3]]).decode("utf-8-sig") == "n\r\n-3\r\n"
    sheet = load_workbook(io.BytesIO(render_xlsx(["n"], [[-3]], title="t"))).active
    assert (sheet["A2"].value, sheet["A2"].data_type) == (-3, "n")


# --- XLSX: French dates, readable columns ------------------------------------------------------------


def test_xlsx_dates_are_french_and_columns_fit_their_titles(world, national_staff, django_capture_on_commit_callbacks):
    export = _export(national_staff, "contracts", "xlsx", django_capture_on_commit_callbacks)
    sheet = load_workbook(io.BytesIO(export.file.read())).active
    header = [cell.value for cell in sheet[1]]
    assert header == list(registry.DATASETS["contracts"].header)
    start = sheet.cell(row=2, column=header.index("Début") + 1)
    assert start.number_format == "DD/MM/YYYY"
    assert start.is_date
    for index, title in enumerate(header, start=1):
        width = sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width
        assert width >= len(title) + 2, title


# --- Paris never counts in coverage -------------------------------------------------------------------


def test_paris_is_neither_covered_nor_counted_even_inside_a_covering_epci(client, delegation, delegation_staff):
    paris_department = DepartmentFactory(code="75", name="Paris", region=delegation.region)
    delegation.departments.add(paris_department)
    paris = CommuneFactory(department=paris_department, code="75056", name="Paris", population=2_100_000)
    neighbour = CommuneFactory(department=paris_department, code="75999", name="Voisine", population=1_000)
    metropole = EpciFactory(department=paris_department, name="Métropole du Grand Paris", population=7_000_000)
    metropole.members.set([paris, neighbour])
    make_contract(actor=delegation_staff, collectivities=[metropole], status=ContractStatus.ACTIVE)

    row = next(r for r in coverage_by_department() if r["code"] == "75")
    assert (row["communes"], row["covered_communes"], row["population"], row["covered_population"]) == (
        1,
        1,
        1_000,
        1_000,
    )
    assert Collectivity.objects.covered_by_cnfpt().filter(kind=CollectivityKind.COMMUNE, code="75056").count() == 0
    page = client.get(reverse("stats:dashboard")).content.decode()
    assert "Paris, qui ne relève pas du CNFPT" in page


# --- A sensible order ------------------------------------------------------------------------------


def test_departments_and_regions_come_in_their_usual_order(world):
    codes = ["971", "2B", "21", "2A", "01", "19", "976", "95"]
    assert sorted(codes, key=department_order) == ["01", "19", "2A", "2B", "21", "95", "971", "976"]
    regions = [("94", "Corse"), ("04", "La Réunion"), ("11", "Île-de-France"), ("84", "Auvergne-Rhône-Alpes")]
    assert [name for _code, name in sorted(regions, key=lambda r: region_order(*r))] == [
        "Auvergne-Rhône-Alpes",
        "Corse",
        "Île-de-France",
        "La Réunion",
    ]
    listed = [r["code"] for r in coverage_by_department()]
    assert len(listed) == 2
    assert listed == sorted(listed, key=department_order)


# --- The AMF's datasets, from the interface to the validated file ---------------------------------


@pytest.mark.parametrize("key", ["collectivity_figures", "anonymised_registrations"])
def test_amf_datasets_are_requested_emailed_downloaded_and_valid(
    django_app, world, national_staff, key, tmp_path, django_capture_on_commit_callbacks
):
    page = django_app.get(reverse("stats:export_list"), user=national_staff)
    form = page.forms["export-request"]
    form["dataset"] = key
    form["format"] = "csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = form.submit().follow()
    assert "Export demandé" in response.text
    [message] = [m for m in mail.outbox if m.to == [national_staff.email]]
    link = re.search(r"http://\S+(/statistiques/exports/\d+/telecharger/)", message.body).group(1)
    download = django_app.get(link, user=national_staff)
    dataset = registry.DATASETS[key]
    assert _validate(download.body, dataset, tmp_path) == []
    rows = list(csv.reader(io.StringIO(download.body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == list(dataset.header)
    if key == "anonymised_registrations":
        # r1…r5 of the world, waitlisted r3 included; no name, no e-mail.
        assert len(rows) == 6
        assert not any("@" in cell for row in rows for cell in row)
        assert sorted(int(row[-1]) for row in rows[1:]) == [0, 1, 1, 2, 2]
        # The statuses in French, as the application writes them (not « confirmed »).
        assert sorted(row[-2] for row in rows[1:]) == ["Confirmée"] * 4 + ["En liste d'attente"]
    else:
        c1 = next(row for row in rows if row[2] == world.communes["c1"].code and row[5] == "2027")
        # c1: contract A (2027–2029) in force; no session that year in the world (they are in ten days).
        assert c1[6] == "1"


def test_hr_contact_cannot_request_the_anonymised_dataset(hr_contact):
    with pytest.raises(ValidationError) as error:
        services.export_request_create(user=hr_contact, dataset="anonymised_registrations", format="csv")
    assert error.value.message_dict == {"dataset": ["Ce jeu de données ne fait pas partie de votre périmètre."]}
    assert ExportRequest.objects.count() == 0


def test_delegation_staff_get_only_their_delegations_collectivities(
    world, delegation_staff, django_capture_on_commit_callbacks
):
    export = _export(delegation_staff, "collectivity_figures", "csv", django_capture_on_commit_callbacks)
    rows = list(csv.reader(io.StringIO(export.file.read().decode("utf-8-sig")), delimiter=";"))[1:]
    mine = set(Collectivity.objects.filter(department__delegations=world.delegation).values_list("code", flat=True))
    assert {row[2] for row in rows} == mine
    assert world.communes["c4"].code not in {row[2] for row in rows}
