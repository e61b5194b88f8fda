"""Excel's limit: an XLSX sheet holds 1,048,576 rows, the header included. A list export beyond it is refused
when it is requested, before a worker spends minutes on a file Excel would cut (a million-row XLSX takes
about 7 minutes to write), and the requester is pointed to CSV, which has no such limit."""

from .datasets_lists import ROW_COUNTS

XLSX_MAX_ROWS = 1_048_576 - 1  # data rows under the header


class TooManyRowsForXlsx(ValueError):
    """Raised when an XLSX export would pass Excel's limit; its message is for the requester (French)."""


def _french(number: int) -> str:
    return f"{number:,}".replace(",", "\u202f")


def xlsx_refusal(dataset_key: str, *, user, delegation_id: int | None) -> str:
    """Why an XLSX file of this dataset cannot be made, in French; "" when it can. One COUNT, for the lists
    that may be that long (``datasets_lists.ROW_COUNTS``)."""
    count = ROW_COUNTS.get(dataset_key)
    rows = count(user=user, delegation_id=delegation_id) if count else 0
    if rows <= XLSX_MAX_ROWS:
        return ""
    return (
        f"Trop de lignes pour un fichier XLSX : cet export en compte {_french(rows)}, et Excel n'en ouvre que "
        f"{_french(XLSX_MAX_ROWS)} sous l'en-tête. Demandez-le au format CSV, sans limite de lignes "
        "(ou restreignez-le à une délégation)."
    )
