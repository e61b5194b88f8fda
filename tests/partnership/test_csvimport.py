"""The one CSV reader of every import: what spreadsheets save is read, what would break a write is refused line by line."""

import codecs

import pytest
from django.core.exceptions import ValidationError

from partnership.csvimport import Column, CsvFormat, read_csv

FORMAT = CsvFormat(
    columns=(
        Column("prenom", "prénom", max_length=20),
        Column("nom", "nom", max_length=20),
        Column("email", "e-mail", max_length=60, aliases=("courriel",)),
    ),
    max_lines=5,
    max_bytes=200 * 1024,
)
CAMILLE = {"prenom": "Camille", "nom": "Durand", "email": "camille@mairie.example.fr"}
INES = {"prenom": "Inès", "nom": "Moreau", "email": "ines@mairie.example.fr"}


def values(table):
    return [(line.number, line.values) for line in table.lines]


def refusal(content: bytes, fmt=FORMAT) -> list[str]:
    with pytest.raises(ValidationError) as excinfo:
        read_csv(content, fmt)
    return excinfo.value.messages


TEXT = "prenom;nom;email\r\nCamille;Durand;camille@mairie.example.fr\r\nInès;Moreau;ines@mairie.example.fr\r\n"


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        # Excel's « CSV (séparateur : point-virgule) » on a French Windows.
        (TEXT.encode("cp1252"), "cp1252"),
        # Excel's « Texte Unicode »: UTF-16 with its BOM, tab-separated.
        (TEXT.replace(";", "\t").encode("utf-16"), "utf-16"),
    ],
    ids=["utf-8", "utf-8-bom", "windows-1252", "utf-16-tab"],
)
def test_every_encoding_a_spreadsheet_saves_reads_the_same(content, encoding):
    table = read_csv(content, FORMAT)
    assert values(table) == [(2, CAMILLE), (3, INES)]
    assert table.encoding == encoding
    assert table.errors == {}


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_the_separator_is_found_from_the_header(delimiter):
    content = TEXT.replace(";", delimiter).encode()
    table = read_csv(content, FORMAT)
    assert (table.delimiter, values(table)) == (delimiter, [(2, CAMILLE), (3, INES)])


def test_header_in_any_order_with_accents_case_and_aliases():
    content = "Courriel;NOM;Prénom\nines@mairie.example.fr;Moreau;Inès\n".encode()
    assert values(read_csv(content, FORMAT)) == [(2, INES)]


def test_a_wrong_header_names_what_is_missing_unknown_or_twice():
    assert refusal(b"prenom;nom;telephone;nom\nA;B;C;D\n") == [
        "Ligne 1\u00a0: en-tête attendu «\u00a0prenom;nom;email\u00a0», trouvé «\u00a0prenom;nom;telephone;nom\u00a0» "
        "(colonne manquante\u00a0: email\u00a0; colonne inconnue\u00a0: telephone\u00a0; colonne en double\u00a0: nom)."
    ]


def test_blank_lines_and_lines_of_empty_cells_are_skipped_and_numbers_stay_the_files():
    content = b"prenom;nom;email\n\n;;\nCamille;Durand;camille@mairie.example.fr\n"
    assert values(read_csv(content, FORMAT)) == [(4, CAMILLE)]


def test_nul_control_characters_line_breaks_and_long_cells_are_refused_line_by_line():
    content = (
        "prenom;nom;email\n"
        "Cam\x00ille;Durand;camille@mairie.example.fr\n"  # 2: NUL (what PostgreSQL refuses)
        "Louis;Pe\x07tit;louis@mairie.example.fr\n"  # 3: a bell
        '"Jean\nPierre";Blanc;jp@mairie.example.fr\n'  # 4-5: a line break inside a quoted cell
        f"{'x' * 21};Durand;a@mairie.example.fr\n"  # 6: over the column's 20 characters
        f"{'y' * 200_000};Durand;b@mairie.example.fr\n"  # 7: over the csv module's default limit (issue 21's 500)
        "Inès;Moreau\n"  # 8: a cell missing
        "Inès;Moreau;ines@mairie.example.fr\n"  # 9: fine
    ).encode()
    table = read_csv(content, CsvFormat(columns=FORMAT.columns))
    assert table.errors == {
        2: ["prénom — caractère nul (NUL) interdit dans une cellule"],
        3: ["nom — caractère de contrôle U+0007 interdit dans une cellule"],
        4: ["prénom — retour à la ligne interdit dans une cellule"],
        6: ["prénom — 21 caractères, 20 au plus"],
        7: ["prénom — 200\u00a0000 caractères, 20 au plus"],
        8: ["3 colonnes attendues (séparateur\u00a0: point-virgule), 2 trouvées"],
    }
    assert [line.number for line in table.accepted] == [9]
    assert [line.number for line in table.lines] == [2, 3, 4, 6, 7, 8, 9]


def test_limits_are_stated_and_applied_to_the_whole_file():
    assert CsvFormat(columns=FORMAT.columns).limits_text == "2\u00a0Mo et 10\u00a0000 lignes au plus"
    six_lines = "prenom;nom;email\n" + "Camille;Durand;c@example.fr\n" * 6
    assert refusal(six_lines.encode()) == [
        "Le fichier compte plus de 5 lignes\u00a0: 5 au plus par import. Découpez-le en plusieurs fichiers."
    ]
    assert refusal(b"prenom;nom;email\n" + b"x" * 300_000) == [
        "Le fichier pèse 293\u00a0Ko\u00a0: 200\u00a0Ko au plus par import. Découpez-le en plusieurs fichiers."
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"",
            "Le fichier est vide ou commence par une ligne vide\u00a0: la première ligne est l'en-tête «\u00a0prenom;nom;email\u00a0».",
        ),
        (
            codecs.BOM_UTF8,
            "Le fichier est vide ou commence par une ligne vide\u00a0: la première ligne est l'en-tête «\u00a0prenom;nom;email\u00a0».",
        ),
        (
            b"prenom;nom;email\r\n",
            "Le fichier ne contient aucune ligne sous l'en-tête\u00a0: ajoutez une ligne par enregistrement.",
        ),
        (
            b"PK\x03\x04\x14\x00",
            "Ce fichier est un classeur (XLSX ou ODS), pas un fichier CSV. Enregistrez-le depuis votre tableur au format "
            "«\u00a0CSV (séparateur\u00a0: point-virgule)\u00a0».",
        ),
        (
            b"%PDF-1.7",
            "Ce fichier est un document PDF, pas un fichier CSV. Enregistrez-le depuis votre tableur au format "
            "«\u00a0CSV (séparateur\u00a0: point-virgule)\u00a0».",
        ),
        (
            b"prenom;nom;email\n\x81\x8d;x;y\n",
            "Le fichier n'est pas un texte lisible (encodage UTF-8 ou Windows-1252 attendu). Enregistrez-le depuis "
            "votre tableur au format «\u00a0CSV (séparateur\u00a0: point-virgule)\u00a0».",
        ),
    ],
    ids=["empty", "bom-only", "header-only", "xlsx", "pdf", "undecodable"],
)
def test_what_is_not_a_csv_file_is_refused_with_a_reason(content, message):
    assert refusal(content) == [message]
