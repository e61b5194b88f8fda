"""The territories file (scripts/build_territories.py) and its import (manage.py import_territories)."""

import gzip
import importlib.util
import io
import json
import re
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from partnership.models import Collectivity, Delegation, Department, MayorsAssociation, Region

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_FILE = ROOT / "partnership" / "data" / "territories.json.gz"
AMF = "Association des maires de France et des présidents d'intercommunalité (AMF)"


def _load_build_script():
    spec = importlib.util.spec_from_file_location("build_territories", ROOT / "scripts" / "build_territories.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load_build_script()


# A few rows in the package's own format, including rows the build must drop.

RAW_REGIONS = [
    {"code": "84", "chefLieu": "69123", "nom": "Auvergne-Rhône-Alpes", "typeLiaison": 1, "zone": "metro"},
    {"code": "04", "chefLieu": "97411", "nom": "La Réunion", "typeLiaison": 0, "zone": "drom"},
    {"code": "975", "chefLieu": "97502", "nom": "Saint-Pierre-et-Miquelon", "typeLiaison": 0, "zone": "com"},
]
RAW_DEPARTMENTS = [
    {"code": "69", "region": "84", "chefLieu": "69123", "nom": "Rhône", "typeLiaison": 2, "zone": "metro"},
    {"code": "01", "region": "84", "chefLieu": "01053", "nom": "Ain", "typeLiaison": 5, "zone": "metro"},
    {"code": "42", "region": "84", "chefLieu": "42218", "nom": "Loire", "typeLiaison": 3, "zone": "metro"},
    {"code": "974", "region": "04", "chefLieu": "97411", "nom": "La Réunion", "typeLiaison": 0, "zone": "drom"},
    {"code": "975", "region": "975", "chefLieu": "97502", "nom": "Saint-Pierre-et-Miquelon", "zone": "com"},
]


def _commune(code, name, department, region, siren, population, postal_codes, *, kind="commune-actuelle", zone="metro"):
    return {
        "code": code,
        "nom": name,
        "zone": zone,
        "departement": department,
        "region": region,
        "type": kind,
        "siren": siren,
        "codesPostaux": postal_codes,
        "population": population,
    }


RAW_COMMUNES = [
    _commune("42218", "Saint-Étienne", "42", "84", "214202186", 173136, ["42230", "42000", "42100"]),
    _commune("42095", "Firminy", "42", "84", "214200958", 17060, ["42700"]),
    _commune("01001", "L'Abergement-Clémenciat", "01", "84", "210100012", 860, ["01400"]),
    _commune("01015", "Arboys en Bugey", "01", "84", "200053668", 710, ["01300"]),
    _commune("69123", "Lyon", "69", "84", "216901231", 519127, ["69001", "69002"]),
    _commune("97411", "Saint-Denis", "974", "04", "219740115", 155634, ["97400"], zone="drom"),
    # Dropped: a commune déléguée sharing its code with a current commune, a municipal arrondissement, a COM.
    {"code": "01015", "nom": "Arbignieu", "zone": "metro", "type": "commune-deleguee", "departement": "01"},
    _commune("69381", "Lyon 1er Arrondissement", "69", "84", "", 28717, ["69001"], kind="arrondissement-municipal"),
    _commune("97502", "Saint-Pierre", "975", "975", "219750025", 5506, ["97500"], zone="com"),
]


def _epci(siren, name, epci_type, members):
    return {"code": siren, "nom": name, "type": epci_type, "membres": [{"code": code} for code in members]}


RAW_EPCIS = [
    _epci("244200770", "Saint-Étienne Métropole", "METRO", ["42218", "42095"]),
    # One member in 01, one in 42: the tie goes to the lowest code.
    _epci("200000001", "CC des Deux Rives", "CC", ["42095", "01001"]),
    # Two members in 01, one in 69, plus a COM commune that is dropped.
    _epci("200000002", "CA du Bugey", "CA", ["69123", "01015", "01001", "97502"]),
    _epci("200000003", "CC de l'Archipel", "CC", ["97502"]),
]


def _build(tmp_path, name="territories.json.gz"):
    data = build.build_territories(RAW_REGIONS, RAW_DEPARTMENTS, RAW_COMMUNES, RAW_EPCIS, version="6.0.0")
    path = tmp_path / name
    build.write_territories(data, path)
    return data, path


def _rewrite(data, path):
    build.write_territories(data, path)
    return path


SUMMARY = re.compile(r"^(?P<table>[^:]+?) : (?P<a>\d+) \w+, (?P<b>\d+) \w+(?:, (?P<c>\d+) \w+)?$")


def _import(path=None):
    """Run the command; returns {table: (created, updated|removed, unchanged)} read from its output."""
    out = io.StringIO()
    options = {"file": str(path)} if path else {}
    call_command("import_territories", stdout=out, **options)
    counts = {}
    for line in out.getvalue().splitlines():
        match = SUMMARY.match(line)
        if match:
            counts[match["table"]] = tuple(int(match[key]) for key in ("a", "b", "c") if match[key] is not None)
    return counts, out.getvalue()


def _snapshot():
    through = Collectivity.members.through
    return {
        "regions": list(Region.objects.order_by("code").values_list("pk", "code", "name", "zone")),
        "departments": list(
            Department.objects.order_by("code").values_list(
                "pk", "code", "name", "region__code", "zone", "liaison_type"
            )
        ),
        "collectivities": list(
            Collectivity.objects.order_by("kind", "code").values_list(
                "pk",
                "kind",
                "code",
                "siren",
                "name",
                "search_name",
                "department__code",
                "population",
                "postal_codes",
                "epci_type",
            )
        ),
        "members": sorted(through.objects.values_list("pk", "from_collectivity__code", "to_collectivity__code")),
        "delegations": [
            (d.pk, d.code, d.name, d.region.code, d.seat, sorted(d.departments.values_list("code", flat=True)))
            for d in Delegation.objects.order_by("code")
        ],
        "associations": sorted(MayorsAssociation.objects.values_list("pk", "name", "department__code")),
    }


def _members(siren):
    return sorted(Collectivity.objects.get(kind="epci", code=siren).members.values_list("code", flat=True))


# Build script -----------------------------------------------------------------------------------


def test_build_keeps_metro_and_drom_current_communes_only(tmp_path):
    source = tmp_path / "package" / "data"
    source.mkdir(parents=True)
    for filename, rows in (
        ("regions.json", RAW_REGIONS),
        ("departements.json", RAW_DEPARTMENTS),
        ("communes.json", RAW_COMMUNES),
        ("epci.json", RAW_EPCIS),
    ):
        (source / filename).write_text(json.dumps(rows), encoding="utf-8")
    (source.parent / "package.json").write_text(json.dumps({"name": build.PACKAGE_NAME, "version": "6.0.0"}))
    output = tmp_path / "out" / "territories.json.gz"

    assert build.main([str(source), "--output", str(output)]) == 0

    with gzip.open(output, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    assert data["header"]["source"] == "@etalab/decoupage-administratif"
    assert data["header"]["version"] == "6.0.0"
    assert "Licence Ouverte" in data["header"]["licence"]
    assert "INSEE" in data["header"]["attribution"]
    assert data["regions"] == [
        ["04", "La Réunion", "drom", "97411"],
        ["84", "Auvergne-Rhône-Alpes", "metro", "69123"],
    ]
    assert data["departments"] == [
        ["01", "Ain", "84", "metro", 5],
        ["42", "Loire", "84", "metro", 3],
        ["69", "Rhône", "84", "metro", 2],
        ["974", "La Réunion", "04", "drom", 0],
    ]
    # Neither the COM commune (97502), the commune déléguée (second 01015) nor the arrondissement (69381).
    assert [row[0] for row in data["communes"]] == ["01001", "01015", "42095", "42218", "69123", "97411"]
    assert data["communes"][1] == ["01015", "Arboys en Bugey", "01", "200053668", 710, ["01300"]]
    assert data["communes"][3] == ["42218", "Saint-Étienne", "42", "214202186", 173136, ["42000", "42100", "42230"]]
    # The EPCI made only of COM communes is dropped; COM members are dropped from the others.
    assert data["epcis"] == [
        ["200000001", "CC des Deux Rives", "CC", "01", ["01001", "42095"]],
        ["200000002", "CA du Bugey", "CA", "01", ["01001", "01015", "69123"]],
        ["244200770", "Saint-Étienne Métropole", "METRO", "42", ["42095", "42218"]],
    ]


def test_build_output_is_deterministic(tmp_path):
    _, first = _build(tmp_path, "first.json.gz")
    _, second = _build(tmp_path, "second.json.gz")
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes()[4:8] == b"\x00\x00\x00\x00"  # gzip mtime


# Import -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_creates_rows_with_exact_values(tmp_path):
    _, path = _build(tmp_path)

    counts, output = _import(path)

    assert counts == {
        "Régions": (2, 0, 0),
        "Départements": (4, 0, 0),
        "Communes": (6, 0, 0),
        "EPCI": (3, 0, 0),
        "Adhésions aux EPCI": (7, 0, 0),
        "Délégations régionales": (2, 0),
        "Associations de maires": (5, 0),
    }
    assert "Communes : 6 créées, 0 modifiées, 0 inchangées" in output

    assert list(Region.objects.order_by("code").values_list("code", "name", "zone")) == [
        ("04", "La Réunion", "drom"),
        ("84", "Auvergne-Rhône-Alpes", "metro"),
    ]
    ain = Department.objects.get(code="01")
    assert (ain.name, ain.region.code, ain.zone, ain.liaison_type) == ("Ain", "84", "metro", 5)
    assert Department.objects.get(code="974").zone == "drom"
    assert not Department.objects.filter(code="975").exists()

    saint_etienne = Collectivity.objects.get(kind="commune", code="42218")
    assert saint_etienne.siren == "214202186"
    assert saint_etienne.name == "Saint-Étienne"
    assert saint_etienne.search_name == "saint etienne"
    assert saint_etienne.department.code == "42"
    assert saint_etienne.population == 173136
    assert saint_etienne.postal_codes == ["42000", "42100", "42230"]
    assert saint_etienne.epci_type == ""

    metropole = Collectivity.objects.get(kind="epci", code="244200770")
    assert metropole.siren == "244200770"
    assert metropole.name == "Saint-Étienne Métropole"
    assert metropole.search_name == "saint etienne metropole"
    assert metropole.department.code == "42"
    assert metropole.population == 173136 + 17060
    assert metropole.epci_type == "METRO"
    assert metropole.postal_codes == []
    assert _members("244200770") == ["42095", "42218"]
    assert _members("200000002") == ["01001", "01015", "69123"]
    assert sorted(saint_etienne.epcis.values_list("code", flat=True)) == ["244200770"]

    assert set(Collectivity.objects.search("saint etienne").values_list("code", flat=True)) == {"42218", "244200770"}

    aura = Delegation.objects.get(region__code="84")
    assert (aura.code, aura.name, aura.seat) == ("auvergne-rhone-alpes", "Délégation Auvergne-Rhône-Alpes", "Lyon")
    assert sorted(aura.departments.values_list("code", flat=True)) == ["01", "42", "69"]
    reunion = Delegation.objects.get(region__code="04")
    assert (reunion.code, reunion.name, reunion.seat) == ("la-reunion", "Délégation La Réunion", "Saint-Denis")
    assert list(reunion.departments.values_list("code", flat=True)) == ["974"]

    assert set(MayorsAssociation.objects.values_list("name", "department__code")) == {
        ("Association des maires de France et des présidents d'intercommunalité (AMF)", None),
        ("Association des maires de l'Ain", "01"),
        ("Association des maires de la Loire", "42"),
        ("Association des maires du Rhône", "69"),
        ("Association des maires de La Réunion", "974"),
    }


@pytest.mark.django_db
def test_second_import_creates_and_updates_nothing(tmp_path):
    _, path = _build(tmp_path)
    _import(path)
    before = _snapshot()

    counts, _ = _import(path)

    assert counts == {
        "Régions": (0, 0, 2),
        "Départements": (0, 0, 4),
        "Communes": (0, 0, 6),
        "EPCI": (0, 0, 3),
        "Adhésions aux EPCI": (0, 0, 7),
        "Délégations régionales": (0, 2),
        "Associations de maires": (0, 5),
    }
    assert _snapshot() == before


@pytest.mark.django_db
def test_changed_values_are_updated(tmp_path):
    data, path = _build(tmp_path)
    _import(path)
    firminy_pk = Collectivity.objects.get(kind="commune", code="42095").pk
    communes = {row[0]: row for row in data["communes"]}
    communes["42095"][4] = 17500  # population
    communes["42218"][1] = "Saint-Étienne-en-Forez"  # name
    _rewrite(data, path)

    counts, _ = _import(path)

    assert counts["Communes"] == (0, 2, 4)
    # The EPCI population follows its members' population.
    assert counts["EPCI"] == (0, 2, 1)
    assert counts["Adhésions aux EPCI"] == (0, 0, 7)
    firminy = Collectivity.objects.get(kind="commune", code="42095")
    assert (firminy.pk, firminy.population) == (firminy_pk, 17500)
    renamed = Collectivity.objects.get(kind="commune", code="42218")
    assert renamed.name == "Saint-Étienne-en-Forez"
    assert renamed.search_name == "saint etienne en forez"
    assert Collectivity.objects.get(kind="epci", code="244200770").population == 173136 + 17500
    assert Collectivity.objects.get(kind="epci", code="200000001").population == 860 + 17500
    assert list(Collectivity.objects.search("etienne en forez").values_list("code", flat=True)) == ["42218"]


@pytest.mark.django_db
def test_epci_membership_is_synced(tmp_path):
    data, path = _build(tmp_path)
    _import(path)
    epcis = {row[0]: row for row in data["epcis"]}
    epcis["244200770"][4] = ["42218"]  # Firminy leaves the métropole…
    epcis["200000002"][4] = ["01001", "01015", "42095", "69123"]  # …and joins the CA du Bugey.
    _rewrite(data, path)

    counts, _ = _import(path)

    assert counts["Adhésions aux EPCI"] == (1, 1, 6)
    assert _members("244200770") == ["42218"]
    assert _members("200000002") == ["01001", "01015", "42095", "69123"]
    assert _members("200000001") == ["01001", "42095"]
    assert Collectivity.objects.get(kind="epci", code="244200770").population == 173136
    assert _import(path)[0]["Adhésions aux EPCI"] == (0, 0, 7)


@pytest.mark.django_db
def test_delegations_and_associations_are_created_once_and_keep_edits(tmp_path):
    _, path = _build(tmp_path)
    _import(path)
    aura = Delegation.objects.get(region__code="84")
    aura.departments.set(Department.objects.filter(code__in=["01", "974"]))
    aura.seat = "Clermont-Ferrand"
    aura.save()
    ain = MayorsAssociation.objects.get(department__code="01")
    ain.name = "Association des maires et présidents de communautés de l'Ain"
    ain.save()
    MayorsAssociation.objects.get(department__code="69").delete()

    counts, _ = _import(path)

    assert counts["Délégations régionales"] == (0, 2)
    assert counts["Associations de maires"] == (1, 4)  # only the deleted one comes back
    aura.refresh_from_db()
    assert aura.seat == "Clermont-Ferrand"
    assert sorted(aura.departments.values_list("code", flat=True)) == ["01", "974"]
    assert Delegation.objects.count() == 2
    assert MayorsAssociation.objects.get(department__code="01").name == ain.name
    assert MayorsAssociation.objects.get(department__code="69").name == "Association des maires du Rhône"
    assert MayorsAssociation.objects.filter(department__isnull=True).get().name == AMF


@pytest.mark.django_db
def test_collectivities_absent_from_the_file_are_kept(tmp_path):
    data, path = _build(tmp_path)
    _import(path)
    data["communes"] = [row for row in data["communes"] if row[0] != "97411"]
    _rewrite(data, path)

    counts, output = _import(path)

    assert counts["Communes"] == (0, 0, 5)
    assert "Communes absentes du fichier, conservées : 1 (97411)" in output
    assert Collectivity.objects.filter(kind="commune", code="97411").exists()


@pytest.mark.django_db
def test_unreadable_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="introuvable"):
        call_command("import_territories", file=str(tmp_path / "absent.json.gz"), stdout=io.StringIO())
    wrong = tmp_path / "wrong.json.gz"
    with gzip.open(wrong, "wt", encoding="utf-8") as handle:
        json.dump({"header": {"format": 99}}, handle)
    with pytest.raises(CommandError, match="Format"):
        call_command("import_territories", file=str(wrong), stdout=io.StringIO())
    assert not Region.objects.exists()


@pytest.mark.django_db
def test_import_of_the_shipped_file():
    """The real data: about 3 s for the import itself on SQLite."""
    started = time.monotonic()
    counts, _ = _import()
    elapsed = time.monotonic() - started

    assert counts["Régions"] == (18, 0, 0)
    assert counts["Départements"] == (101, 0, 0)
    assert counts["Communes"] == (34875, 0, 0)
    assert counts["EPCI"] == (1255, 0, 0)
    assert Region.objects.count() == 18
    assert Department.objects.count() == 101
    assert Collectivity.objects.filter(kind="commune").count() == 34875
    assert Collectivity.objects.filter(kind="epci").count() == 1255
    assert Delegation.objects.count() == 18
    assert MayorsAssociation.objects.count() == 101 + 1
    assert MayorsAssociation.objects.filter(department__isnull=True).get().name == AMF
    assert Delegation.objects.get(region__code="84").name == "Délégation Auvergne-Rhône-Alpes"

    saint_etienne = Collectivity.objects.get(kind="commune", code="42218")
    assert saint_etienne.name == "Saint-Étienne"
    assert saint_etienne.department.code == "42"
    assert saint_etienne in Collectivity.objects.search("saint etienne")
    assert Collectivity.objects.get(kind="epci", code="200046977").epci_type == "MET69"
    assert elapsed < 120
