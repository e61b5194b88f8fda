"""One reader for every CSV file people upload (agents to register, attendance, any later import).

Its contract, the same for every import:

- **limits stated before upload**: at most ``MAX_BYTES`` and ``MAX_LINES`` lines (``CsvFormat``
  says both, ``limits_text``), each cell at most its column's ``max_length`` characters;
- **what spreadsheets save**: UTF-8 with or without BOM, UTF-16 with BOM (Excel's « Texte Unicode »),
  Windows-1252 (Excel's « CSV (séparateur : point-virgule) » in French); the separator (``;``, ``,``
  or tab) is found from the header line; the header names the columns in any order, accents, case,
  spaces and hyphens aside;
- **refused, with a French reason**: a file that is not text (a workbook, a PDF), an encoding
  none of those, a missing or unknown column, more lines than allowed; and, line by line, a wrong
  number of cells, a NUL or any other control character (line breaks inside a cell included), a
  cell over its length;
- **every line's errors at once**: ``read_csv`` reads the whole file and returns the lines it
  accepts with the errors of the others (``Table.errors``); the import adds its own line errors and
  writes nothing unless there is none (``partnership.imports``);
- **no exception but ``ValidationError``**, whatever the bytes (``tests/security/test_fuzz_csv_import.py``).

Pure: no database, no knowledge of what the columns mean; each app declares its import in
``<app>/imports.py``.
"""

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.formats import number_format

MAX_BYTES = 2 * 1024 * 1024
MAX_LINES = 10_000
DEFAULT_MAX_LENGTH = 200
DELIMITERS = (";", ",", "\t")
# Shown in the errors as people know them; anything else by its code point.
DELIMITER_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation"}
# C0 and C1 controls, DEL, and the Unicode line and paragraph separators: never in a name, an
# address or a date. A line break inside a quoted cell is one of them.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
CONTROL_NAMES = {
    "\x00": "caractère nul (NUL)",
    "\n": "retour à la ligne",
    "\r": "retour à la ligne",
    "\t": "tabulation",
}
# Leading bytes of files people upload by mistake instead of their CSV export.
BINARY_SIGNATURES = {
    b"PK\x03\x04": "un classeur (XLSX ou ODS)",
    b"\xd0\xcf\x11\xe0": "un classeur Excel 97-2003 (XLS)",
    b"%PDF-": "un document PDF",
}
# The csv module refuses a cell over its field limit (131,072 characters by default, process-wide, and
# raised by some libraries): raised here to the largest file accepted, so that a long cell is always
# refused by its column, with the column's name and limit, whatever was imported before.
csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES + 1))
SAVE_AS_CSV = "Enregistrez-le depuis votre tableur au format «\u00a0CSV (séparateur\u00a0: point-virgule)\u00a0»."


@dataclass(frozen=True)
class Column:
    """One column of an import: its header (``key``, as a spreadsheet may spell it) and its limit."""

    key: str  # the header as written in the template, e.g. « demi-journee »
    label: str  # how the errors name it, e.g. « demi-journée »
    max_length: int = DEFAULT_MAX_LENGTH
    aliases: tuple[str, ...] = ()  # other headers accepted for it (compared like the key)


@dataclass(frozen=True)
class CsvFormat:
    columns: tuple[Column, ...]
    max_lines: int = MAX_LINES
    max_bytes: int = MAX_BYTES

    @property
    def header(self) -> str:
        return ";".join(column.key for column in self.columns)

    @property
    def limits_text(self) -> str:
        """« 2 Mo et 10 000 lignes au plus »: what the upload form says before anyone sends a file."""
        return f"{size_text(self.max_bytes)} et {number_format(self.max_lines, force_grouping=True)} lignes au plus"


@dataclass(frozen=True)
class Line:
    number: int  # in the file, the header being line 1 (a cell over several lines: its first line)
    cells: tuple[str, ...]  # as read, for the error report
    values: dict[str, str] | None  # column key → stripped text; None for a line the reader refused


@dataclass
class Table:
    """What the reader made of a file: every data line, the accepted ones with their values, and the errors."""

    lines: list[Line]
    errors: dict[int, list[str]] = field(default_factory=dict)
    header: tuple[str, ...] = ()
    delimiter: str = ";"
    encoding: str = "utf-8"

    @property
    def accepted(self) -> list[Line]:
        return [line for line in self.lines if line.values is not None]


def size_text(size: int) -> str:
    megabytes = size / (1024 * 1024)
    if megabytes >= 1:
        return f"{number_format(megabytes, decimal_pos=0 if megabytes == int(megabytes) else 1)}\u00a0Mo"
    return f"{number_format(max(round(size / 1024), 1))}\u00a0Ko"


def header_key(text: str) -> str:
    """« Prénom », « PRENOM », « prénom », « E-mail » → « prenom », « email »: accents, case, spaces and hyphens aside."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if c.isalnum())


def line_message(number: int, messages: Iterable[str]) -> str:
    """« Ligne 4 : a ; b. » — one line's errors in one sentence, as every import shows them."""
    text = "\u00a0; ".join(message.rstrip(".") for message in messages)
    return f"Ligne {number}\u00a0: {text}."


def decode(content: bytes) -> tuple[str, str]:
    """The text of an uploaded file and its encoding; ``ValidationError`` when it is not a text file."""
    for signature, what in BINARY_SIGNATURES.items():
        if content.startswith(signature):
            raise ValidationError(f"Ce fichier est {what}, pas un fichier CSV. {SAVE_AS_CSV}", code="not_csv")
    if content.startswith(codecs.BOM_UTF8):
        candidates = ("utf-8-sig",)
    elif content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    else:
        candidates = ("utf-8", "cp1252")
    for encoding in candidates:
        try:
            return content.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ValidationError(
        "Le fichier n'est pas un texte lisible (encodage UTF-8 ou Windows-1252 attendu). " + SAVE_AS_CSV,
        code="encoding",
    )


def _header_cells(first_line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([first_line], delimiter=delimiter), [])
    except csv.Error:
        return []


def _detect_delimiter(first_line: str, wanted: set[str]) -> str:
    """The separator that makes the header name the expected columns; else the one that cuts it most."""
    best, best_score = ";", (-1, -1)
    for delimiter in DELIMITERS:
        cells = _header_cells(first_line, delimiter)
        score = (len({header_key(cell) for cell in cells} & wanted), len(cells))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _map_header(header: list[str], fmt: CsvFormat) -> list[Column | None]:
    """The column of each header cell (``None`` for a cell the format does not know); ``ValidationError`` if wrong."""
    names = {}
    for column in fmt.columns:
        for name in (column.key, *column.aliases):
            names[header_key(name)] = column
    mapped = [names.get(header_key(cell)) for cell in header]
    found = [column for column in mapped if column is not None]
    missing = [column.key for column in fmt.columns if column not in found]
    unknown = [cell.strip() for cell, column in zip(header, mapped, strict=True) if column is None and cell.strip()]
    twice = sorted({column.key for column in found if found.count(column) > 1})
    problems = []
    for names_of, what in ((missing, "manquante"), (unknown, "inconnue"), (twice, "en double")):
        if names_of:
            plural = "s" if len(names_of) > 1 else ""
            problems.append(
                f"colonne{plural} {what}{plural if what != 'en double' else ''}\u00a0: {', '.join(names_of)}"
            )
    if problems:
        shown = ";".join(cell.strip() for cell in header)[:300]
        reasons = "\u00a0; ".join(problems)
        raise ValidationError(
            f"Ligne 1\u00a0: en-tête attendu «\u00a0{fmt.header}\u00a0», trouvé «\u00a0{shown}\u00a0» ({reasons}).",
            code="header",
        )
    return mapped


def _cell_problems(column: Column, cell: str) -> list[str]:
    problems = []
    control = CONTROL_CHARACTERS.search(cell)
    if control:
        character = control.group()
        name = CONTROL_NAMES.get(character, f"caractère de contrôle U+{ord(character):04X}")
        problems.append(f"{column.label} — {name} interdit dans une cellule")
    length = len(cell.strip())
    if length > column.max_length:
        problems.append(
            f"{column.label} — {number_format(length, force_grouping=True)} caractères, "
            f"{number_format(column.max_length, force_grouping=True)} au plus"
        )
    return problems


def read_csv(content: bytes, fmt: CsvFormat) -> Table:
    """Read an uploaded CSV file against ``fmt``: the lines it accepts, and every other line's errors.

    Raises ``ValidationError`` (French, one message) for what concerns the whole file: too large,
    not text, empty, a wrong header, too many lines. Blank lines (or lines of empty cells) are skipped.
    """
    if len(content) > fmt.max_bytes:
        raise ValidationError(
            f"Le fichier pèse {size_text(len(content))}\u00a0: {size_text(fmt.max_bytes)} au plus par import. "
            "Découpez-le en plusieurs fichiers.",
            code="size",
        )
    text, encoding = decode(content)
    first_line = text.split("\n", 1)[0].rstrip("\r")
    if not first_line.strip():
        raise ValidationError(
            f"Le fichier est vide ou commence par une ligne vide\u00a0: la première ligne est l'en-tête «\u00a0{fmt.header}\u00a0».",
            code="empty",
        )
    delimiter = _detect_delimiter(first_line, {header_key(c.key) for c in fmt.columns})
    # One record per physical line as long as no quote opens a cell over several lines: the line
    # numbers of the errors are the spreadsheet's.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error:
        header = []
    columns = _map_header(header, fmt)
    table = Table(lines=[], header=tuple(header), delimiter=delimiter, encoding=encoding)
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error:
            # Whatever else the csv module cannot read (a cell over a limit lowered since): one refused line.
            table.errors.setdefault(start, []).append("ligne illisible (cellule trop longue ou mal formée)")
            table.lines.append(Line(number=start, cells=(), values=None))
            start = reader.line_num + 1
            continue
        number, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(table.lines) >= fmt.max_lines:
            raise ValidationError(
                f"Le fichier compte plus de {number_format(fmt.max_lines, force_grouping=True)} lignes\u00a0: "
                f"{number_format(fmt.max_lines, force_grouping=True)} au plus par import. Découpez-le en plusieurs fichiers.",
                code="lines",
            )
        problems = []
        if len(row) != len(columns):
            found = len(row)
            problems.append(
                f"{len(columns)} colonnes attendues (séparateur\u00a0: {DELIMITER_NAMES[delimiter]}), "
                f"{found} trouvée{'s' if found > 1 else ''}"
            )
        else:
            for column, cell in zip(columns, row, strict=True):
                if column is not None:
                    problems += _cell_problems(column, cell)
        if problems:
            table.errors[number] = problems
            table.lines.append(Line(number=number, cells=tuple(row), values=None))
            continue
        values = {column.key: cell.strip() for column, cell in zip(columns, row, strict=True) if column is not None}
        table.lines.append(Line(number=number, cells=tuple(row), values=values))
    if not table.lines:
        raise ValidationError(
            "Le fichier ne contient aucune ligne sous l'en-tête\u00a0: ajoutez une ligne par enregistrement.",
            code="no_lines",
        )
    return table
