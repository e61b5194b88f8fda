"""The one collectivité search finds what people type, on the real directory (``import_territories``)."""

import importlib
import io

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from partnership.enums import CollectivityUse
from partnership.forms import CollectivityField
from partnership.models import Collectivity
from partnership.selectors import collectivities_search, collectivity_lookup
from partnership.text import normalize_search
from tests.factories import CommuneFactory

SAINT_ETIENNE, SAINTE_FOY, L_HAY = "42218", "69202", "94038"
TYPED = {
    "st etienne": SAINT_ETIENNE,
    "St-Étienne": SAINT_ETIENNE,
    "saint-etienne": SAINT_ETIENNE,
    "SAINT ETIENNE": SAINT_ETIENNE,
    "ste foy les lyon": SAINTE_FOY,
    "Ste-Foy-lès-Lyon": SAINTE_FOY,
    "sainte foy lès lyon": SAINTE_FOY,
    "lhay": L_HAY,
    "l hay": L_HAY,
    "l'haÿ les roses": L_HAY,
    "L’Haÿ-les-Roses": L_HAY,
}


@pytest.fixture
def territories(db):
    call_command("import_territories", stdout=io.StringIO())


def test_normalisation_folds_accents_hyphens_apostrophes_and_abbreviations():
    assert [normalize_search(text) for text in ["St-Étienne", "Ste-Foy-lès-Lyon", "L'Haÿ-les-Roses", "l hay"]] == [
        "saint etienne",
        "sainte foy les lyon",
        "lhay les roses",
        "lhay",
    ]
    assert [
        normalize_search(text) for text in ["Villeneuve-d'Ascq", "villeneuve d ascq", "Stenay", "saint\x00etienne"]
    ] == [
        "villeneuve dascq",
        "villeneuve dascq",
        "stenay",
        "saint etienne",
    ]


def test_search_finds_what_people_type(territories):
    assert {typed: collectivities_search(typed)[0].code for typed in TYPED} == TYPED
    # The EPCI is named « CC du Pays de Pontchâteau St-Gildas-des-Bois » in the directory.
    found = [c.name for c in collectivities_search("pontchateau saint gildas")]
    assert found == ["CC du Pays de Pontchâteau St-Gildas-des-Bois"]


def test_endpoint_answers_the_picker_with_paris_marked(client, territories):
    url = reverse("collectivity_search")
    first = client.get(url, {"q": "st etienne"}).json()["results"][0]
    assert first == {
        "id": Collectivity.objects.get(kind="commune", code=SAINT_ETIENNE).pk,
        "code": SAINT_ETIENNE,
        "label": "42218 – Saint-Étienne (42)",
        "kind": "Commune",
        "population": 173136,
        "covered": True,
        "note": "",
    }
    paris = client.get(url, {"q": "paris"}).json()["results"][0]
    assert (paris["label"], paris["covered"], paris["note"]) == (
        "75056 – Paris (75)",
        False,
        "non couverte par le CNFPT",
    )
    grand_paris = client.get(url, {"q": "metropole du grand paris"}).json()["results"]
    assert [(r["label"], r["covered"]) for r in grand_paris] == [("200054781 – Métropole du Grand Paris (94)", True)]


def test_a_typed_name_or_code_is_read_back_without_javascript(territories):
    """What the forms do with the text of the picker's input, whether JavaScript filled it or not."""
    field = CollectivityField(use=CollectivityUse.CONTRACT_PARTY)
    assert [
        field.clean(text).code for text in ["l hay les roses", "42218", "214202186", "42218 – Saint-Étienne (42)"]
    ] == [
        L_HAY,
        SAINT_ETIENNE,
        SAINT_ETIENNE,
        SAINT_ETIENNE,
    ]
    assert collectivity_lookup("st etienne").found.code == SAINT_ETIENNE
    # Nine communes are named Sainte-Marie; the most populous come first.
    with pytest.raises(ValidationError) as error:
        field.clean("ste marie")
    assert error.value.messages == [
        "Plusieurs collectivités correspondent à « ste marie »\u00a0: « 97418 – Sainte-Marie (974) », "
        "« 97228 – Sainte-Marie (972) », « 35294 – Sainte-Marie (35) », « 25523 – Sainte-Marie (25) », "
        "« 32388 – Sainte-Marie (32) » et 4 autres. Choisissez-en une dans la liste proposée ou saisissez son code INSEE ou "
        "son SIREN."
    ]


@pytest.mark.django_db
def test_migration_refolds_names_stored_with_the_old_folding():
    commune = CommuneFactory(name="L'Haÿ-les-Roses")
    Collectivity.objects.filter(pk=commune.pk).update(search_name="l hay les roses")
    migration = importlib.import_module("partnership.migrations.0005_collectivity_search_name_abbreviations_elisions")
    migration.refold(django_apps, None)
    commune.refresh_from_db()
    assert commune.search_name == "lhay les roses"


@pytest.mark.django_db
def test_endpoint_survives_a_nul_byte(client):
    CommuneFactory(name="Saint-Étienne", code="42218")
    results = client.get(reverse("collectivity_search"), {"q": "saint\x00etienne"}).json()["results"]
    assert [r["code"] for r in results] == ["42218"]
    # The picker's own label, when the user edits the input after choosing, still finds its collectivité.
    again = client.get(reverse("collectivity_search"), {"q": results[0]["label"]}).json()["results"]
    assert again == results


@pytest.mark.django_db
def test_endpoint_answers_in_one_query_for_one_or_twenty_results(client, django_assert_num_queries):
    CommuneFactory(name="Villeneuve-Unique")
    for number in range(25):
        CommuneFactory(name=f"Villefranche-{number}")
    url = reverse("collectivity_search")
    with django_assert_num_queries(1):
        one = client.get(url, {"q": "villeneuve"}).json()["results"]
    with django_assert_num_queries(1):
        many = client.get(url, {"q": "villefranche"}).json()["results"]
    assert (len(one), len(many)) == (1, 20)
