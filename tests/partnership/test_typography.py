"""French typography where users read: « 1er janvier », real plurals, « Ko », elisions, French labels."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext

from agreements.models import ContractDocument, ContractParty, PartnershipContract, SignatureRequest
from partnership.text import (
    count_label,
    delegation_designation,
    epci_designation,
    french_date,
    french_time_range,
    lower_first,
    of_person,
    place_with_of,
)
from trainings.models import Registration


def _render(source: str, **context) -> str:
    return Template(source).render(Context(context))


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        (datetime.date(2026, 1, 1), "j F Y", "1er janvier 2026"),
        (datetime.date(2026, 1, 2), "j F Y", "2 janvier 2026"),
        (datetime.date(2026, 10, 1), "l j F Y", "jeudi 1er octobre 2026"),
        (datetime.date(2026, 1, 1), "d/m/Y", "01/01/2026"),
        (datetime.datetime(2026, 5, 1, 9, 30), "j F Y à H:i", "1er mai 2026 à 9\u00a0h\u00a030"),
        (datetime.datetime(2026, 5, 4, 14, 0), "d/m/Y à H:i", "04/05/2026 à 14\u00a0h"),
        (datetime.datetime(2026, 5, 4, 0, 5), "l j F Y, H:i", "lundi 4 mai 2026, 0\u00a0h\u00a005"),
        # A clock reading to the second (certificate of signature) stays one.
        (datetime.datetime(2026, 5, 4, 14, 0, 7), "d/m/Y H:i:s", "04/05/2026 14:00:07"),
    ],
)
def test_french_date(value, fmt, expected):
    assert french_date(value, fmt) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Marie Martin", "de Marie Martin"),
        ("Inès Garcia", "d'Inès Garcia"),
        ("Élise Roy", "d'Élise Roy"),
        ("Hugo Petit", "de Hugo Petit"),
    ],
)
def test_de_fr_elides_before_a_vowel(name, expected):
    assert _render("le compte {{ name|de_fr }}", name=name) == f"le compte {expected}".replace("'", "&#x27;")
    assert of_person(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Délégation Auvergne-Rhône-Alpes", "délégation Auvergne-Rhône-Alpes"),
        ("Auvergne-Rhône-Alpes", "délégation Auvergne-Rhône-Alpes"),
        ("délégation Bretagne", "délégation Bretagne"),
    ],
)
def test_delegation_designation_never_repeats_the_word(name, expected):
    assert delegation_designation(name) == expected


def test_time_fr_filter_writes_french_hours():
    start, end = datetime.datetime(2026, 5, 4, 14, 0), datetime.datetime(2026, 5, 4, 16, 30)
    assert _render("{{ a|time_fr }} – {{ b|time_fr }}", a=start, b=end) == "14\u00a0h – 16\u00a0h\u00a030"
    assert french_time_range(start, end) == "14\u00a0h\u00a0– 16\u00a0h\u00a030"


def test_date_fr_filter_is_available_in_every_template():
    assert _render('{{ day|date_fr:"j F Y" }}', day=datetime.date(2027, 3, 1)) == "1er mars 2027"
    assert _render("{{ day|date_fr }}", day=None) == ""


@pytest.mark.parametrize(("count", "expected"), [(0, "0 inscrit"), (1, "1 inscrit"), (2, "2 inscrits")])
def test_plural_fr_filter_puts_zero_and_one_in_the_singular(count, expected):
    assert _render("{{ n }} inscrit{{ n|plural_fr }}", n=count) == expected


def test_plural_fr_filter_with_irregular_endings_and_decimals():
    assert _render('{{ n }} journ{{ n|plural_fr:"al,aux" }}', n=3) == "3 journaux"
    assert _render("{{ n }} jour{{ n|plural_fr }}", n=1.5) == "1,5 jour"


def test_count_label():
    assert [count_label(n, "place") for n in (0, 1, 4)] == ["0 place", "1 place", "4 places"]
    assert count_label(3, "inscription annulée", "inscriptions annulées") == "3 inscriptions annulées"


@pytest.mark.parametrize(
    ("size", "expected"), [(1, "1\xa0octet"), (820, "820\xa0octets"), (2048, "2,0\xa0Ko"), (1468006, "1,4\xa0Mo")]
)
def test_file_sizes_in_ko(size, expected):
    with translation.override("fr"):
        assert _render("{{ size|size_fr }}", size=size) == expected


def test_admin_labels_are_french():
    labels = {
        (model.__name__, name): str(model._meta.get_field(name).verbose_name)
        for model, name in [
            (PartnershipContract, "created_by"),
            (ContractParty, "contract"),
            (ContractDocument, "uploaded_by"),
            (SignatureRequest, "created_at"),
            (Registration, "registered_by"),
        ]
    }
    assert labels == {
        ("PartnershipContract", "created_by"): "créé par",
        ("ContractParty", "contract"): "contrat",
        ("ContractDocument", "uploaded_by"): "déposé par",
        ("SignatureRequest", "created_at"): "créée le",
        ("Registration", "registered_by"): "inscrit par",
    }


def test_admin_titles_need_no_elision():
    with translation.override("fr"):
        assert gettext("Add %s") % "événement" == "Ajouter\xa0: événement"
        assert gettext("Change %s") % "intervenant" == "Modifier\xa0: intervenant"


@pytest.mark.django_db
def test_admin_add_page_title(client, amf_staff):
    client.force_login(amf_staff)
    content = client.get("/admin/events/event/add/").content.decode()
    assert "<title>Ajouter\xa0: événement" in content
    assert "Ajout de événement" not in content


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Trifouilly", "de Trifouilly"),
        ("Arles", "d'Arles"),
        ("Écully", "d'Écully"),
        ("Le Mans", "du Mans"),
        ("Les Sables-d'Olonne", "des Sables-d'Olonne"),
        ("La Rochelle", "de La Rochelle"),
        ("L'Abergement-Clémenciat", "de L'Abergement-Clémenciat"),
        ("Hyères", "de Hyères"),
    ],
)
def test_place_with_of_elides_and_contracts(name, expected):
    assert place_with_of(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("CC du Pays de Fayence", "la communauté de communes du Pays de Fayence"),
        ("CA Grand Angoulême", "la communauté d'agglomération Grand Angoulême"),
        ("CU Caen la Mer", "la communauté urbaine Caen la Mer"),
        ("Métropole de Lyon", "la Métropole de Lyon"),
        ("Toulouse Métropole", "Toulouse Métropole"),
    ],
)
def test_epci_designation_spells_out_the_directory_abbreviations(name, expected):
    assert epci_designation(name) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("Maire", "maire"), ("Présidente", "présidente"), ("DGS", "DGS"), ("", "")]
)
def test_lower_first_keeps_acronyms(text, expected):
    assert lower_first(text) == expected
