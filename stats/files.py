"""Writers of the export files: CSV for Excel in French (``;``, UTF-8 with BOM, decimal comma) and XLSX."""

import csv
import datetime
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (Decimal, float)):
        return str(value).replace(".", ",")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def render_csv(header, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    # The BOM makes Excel read the file as UTF-8.
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def _xlsx_value(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


def render_xlsx(header, rows, *, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    # Sheet titles are limited to 31 characters and some punctuation.
    sheet.title = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Export"
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_xlsx_value(value) for value in row])
    for column, name in zip(sheet.columns, header, strict=False):
        sheet.column_dimensions[column[0].column_letter].width = max(12, min(60, len(str(name)) + 4))
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
