"""Spreadsheet formulas in text people typed (OWASP « CSV injection »), neutralised once for every file we write.

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return may be run as a
formula by Excel or LibreOffice when the file is opened. Every CSV or XLSX the application hands
back (the exports of ``stats.files``, the error reports of ``partnership.imports``) passes its text
cells through these definitions: one list of triggers, one way to make a cell inert.
"""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def neutralise_formula(text: str) -> str:
    """``text`` as inert text in a CSV cell: prefixed with an apostrophe, which both spreadsheets read as "text"."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text
