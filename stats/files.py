"""Writers of the export files: CSV for Excel in French (``;``, UTF-8 with BOM, decimal comma) and XLSX.

Both write row by row to a file object, so memory stays constant whatever the number of rows.
Both neutralise spreadsheet formulas (OWASP, « CSV injection »; ``partnership.spreadsheet``, the one
definition shared with the imports' error reports): a text cell that begins with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return is written as inert text: prefixed with an apostrophe in the CSV
(what Excel and LibreOffice read as "this is text"), typed as a string with Excel's own
``quotePrefix`` attribute in the XLSX. Numbers, dates and empty cells are not text and
are written as they are, so a negative figure stays a number.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import connections
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from partnership.spreadsheet import is_formula_like, neutralise_formula

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

XLSX_DATE_FORMAT = "DD/MM/YYYY"


def _csv_value(value) -> str:
    # Ordered by frequency: a million-row export calls this for every cell.
    kind = type(value)
    if kind is str:
        return neutralise_formula(value)
    if kind is int:
        return str(value)
    if value is None:
        return ""
    if kind is bool:
        return "oui" if value else "non"
    if isinstance(value, (Decimal, float)):
        return str(value).replace(".", ",")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int):
        return str(value)
    return neutralise_formula(str(value))


def _csv_text(value) -> str:
    if type(value) is not str:
        return _csv_value(value)
    return neutralise_formula(value)


def _csv_date(value) -> str:
    return "" if value is None else f"{value.day:02d}/{value.month:02d}/{value.year}"


def _csv_decimal(value) -> str:
    return "" if value is None else str(value).replace(".", ",")


# Per Table Schema type, when the caller knows its columns (None: the csv module writes it as is).
CSV_CONVERTERS = {"string": _csv_text, "date": _csv_date, "number": _csv_decimal, "integer": None, "year": None}


def write_csv(out, header: Sequence[str], rows: Iterable[Sequence], *, types: Sequence[str] | None = None) -> int:
    """Write ``header`` then ``rows`` to the binary file ``out``; return the number of rows.

    With ``types`` (the Table Schema type of each column), each column gets its converter once
    instead of a type test per cell: a million-row export spends its time in this loop.
    """
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
    # The BOM makes Excel read the file as UTF-8.
    text.write("\ufeff")
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_value(name) for name in header])
    count = 0
    if types is None:
        for row in rows:
            writer.writerow([_csv_value(value) for value in row])
            count += 1
    else:
        converters = [CSV_CONVERTERS.get(kind, _csv_value) for kind in types]
        for row in rows:
            writer.writerow(
                [value if convert is None else convert(value) for convert, value in zip(converters, row, strict=True)]
            )
            count += 1
    text.flush()
    text.detach()
    return count


# The conversions of ``CSV_CONVERTERS``, written in SQL for PostgreSQL's ``COPY`` (``{0}``: the column).
# An empty text becomes NULL, which ``COPY`` writes as an empty field, as the csv module does.
_TRIGGERS_SQL = "'=', '+', '-', '@', E'\\t', E'\\r'"
COPY_CONVERTERS = {
    "string": (
        "NULLIF(CASE WHEN left({0}::text, 1) IN (" + _TRIGGERS_SQL + ") THEN '''' || {0}::text ELSE {0}::text END, '')"
    ),
    "date": "to_char({0}, 'DD/MM/YYYY')",
    "number": "replace({0}::text, '.', ',')",
    "integer": "{0}",
    "year": "{0}",
}


def copy_csv(out, header: Sequence[str], queryset, *, types: Sequence[str]) -> int:
    """``write_csv`` of a queryset of tuples, on PostgreSQL: the server writes the rows with ``COPY``.

    The same cells as ``write_csv`` (BOM, ``;``, dates and decimals in French, formulas
    neutralised), at the speed of the database: a million-row export no longer builds a Python
    tuple per row. Lines end with ``\\n``, as ``COPY`` writes them. ``queryset`` yields its values in
    the order of ``types``; the number of rows written is returned.
    """
    sql, params = queryset.query.sql_with_params()
    names = [f"c{index}" for index in range(len(types))]
    cells = ", ".join(COPY_CONVERTERS[kind].format(name) for kind, name in zip(types, names, strict=True))
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    text.write("\ufeff")
    csv.writer(text, delimiter=";", lineterminator="\n").writerow([_csv_value(name) for name in header])
    text.detach()
    with connections[queryset.db].cursor() as cursor:
        # COPY takes no bound parameters: the driver quotes them into the statement, as it would on execute.
        # The rest is the ORM's SQL and this module's constant conversions: no user text is spliced in.
        statement = cursor.cursor.mogrify(sql, params).decode()
        cursor.cursor.copy_expert(
            f"COPY (SELECT {cells} FROM ({statement}) AS export_rows({', '.join(names)})) "  # noqa: S608
            "TO STDOUT WITH (FORMAT csv, DELIMITER ';')",
            out,
        )
        return cursor.cursor.rowcount


def render_csv(header, rows) -> bytes:
    buffer = io.BytesIO()
    write_csv(buffer, header, rows)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    # Sheet titles are limited to 31 characters and some punctuation.
    return "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Export"


def write_xlsx(out, header: Sequence[str], rows: Iterable[Sequence], *, title: str) -> int:
    """Write an XLSX workbook of one sheet to ``out`` in openpyxl's write-only (streaming) mode."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(title))
    for index, name in enumerate(header, start=1):
        # Wide enough for its title (bold, hence the margin), within reason; dates need 11.
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(60, len(str(name)) * 1.15 + 3))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=str(name))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
        count += 1
    workbook.save(out)
    return count


def _xlsx_cell(sheet, value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = XLSX_DATE_FORMAT
        return cell
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=value)
        # openpyxl would otherwise store "=…" as a formula; a string cell is never evaluated, and
        # quotePrefix keeps it text even when someone edits it in Excel.
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
        return cell
    return value


def render_xlsx(header, rows, *, title: str) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(buffer, header, rows, title=title)
    return buffer.getvalue()
