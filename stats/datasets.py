"""The datasets of the statistics exchange: how each is declared (``Dataset``, ``Column``, ``Chart``,
``Placement``), and the table of them all that ``stats.registry`` fills.

This module imports nothing of the app: the models read the datasets' keys and labels here
(``ExportRequest.dataset``'s choices), the indicators the labels of the exported datasets, and
``stats.registry``, above them, declares each dataset with the selector of its rows.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

# Table Schema field types (https://specs.frictionlessdata.io/table-schema/#types-and-formats).
STRING, INTEGER, NUMBER, DATE, YEAR, PERCENT, DAYS = "string", "integer", "number", "date", "year", "percent", "days"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    help: str
    type: str = INTEGER
    # Shown in the dashboard's table (codes are for machines: exports and the API carry them).
    on_dashboard: bool = True
    nullable: bool = False

    @property
    def schema_type(self) -> str:
        return {PERCENT: NUMBER, DAYS: NUMBER}.get(self.type, self.type)

    @property
    def is_numeric(self) -> bool:
        return self.type in (INTEGER, NUMBER, PERCENT, DAYS)


@dataclass(frozen=True)
class Chart:
    label: str  # the column naming each group of bars
    series: tuple[str, ...]  # the columns drawn as bars


@dataclass(frozen=True)
class Placement:
    """Where the dashboard shows an indicator, in the section of its axis, in the registry's order."""

    axis: int
    heading: str = ""  # the title above its table (none: the section's title says it)
    anchor: str = ""  # the heading's id, for links to it
    note: str = ""  # a short explanation under the heading
    coverage_map: bool = False  # the coverage maps come before its table
    folded: str = ""  # shown folded under this summary; ``{count}``: its number of rows
    # Indicators of the same ``grid`` sit side by side, each in its ``column`` (of ``column_class``).
    grid: str = ""
    column: int = 0
    column_class: str = "col-lg-6"


@dataclass(frozen=True)
class Dataset:
    key: str
    label: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable[..., Iterable[dict]]
    national_only: bool = False
    scoped_by_user: bool = False
    api_path: str = ""  # under /api/v1/, for the public indicators
    chart: Chart | None = None
    caption: str = ""
    # Indicators: where the dashboard shows it (every indicator has a place on the page).
    dashboard: Placement | None = None
    # Lists: who may request the export (the rows are scoped by the interface's selectors anyway).
    allowed: Callable[..., bool] | None = None
    # For the largest lists: a queryset of tuples in the columns' order (``user=``, ``delegation_id=``),
    # read without a dict per row, and written by PostgreSQL's ``COPY`` in CSV.
    queryset: Callable[..., QuerySet] | None = None

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(column.label for column in self.columns)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(column.key for column in self.columns)

    @property
    def api_name(self) -> str:
        return "api-" + self.api_path.strip("/").replace("/", "-") if self.api_path else ""

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)

    def iter_rows(self, *, user=None, delegation_id: int | None = None) -> Iterable[dict]:
        if self.scoped_by_user:
            return self.rows(user=user, delegation_id=delegation_id)
        if self.national_only:
            return self.rows()
        return self.rows(delegation_id=delegation_id)

    def iter_tuples(self, *, user=None, delegation_id: int | None = None) -> Iterable[tuple]:
        if self.queryset is not None:
            # Larger fetches than the pages': fewer round trips for a million small tuples.
            yield from self.queryset(user=user, delegation_id=delegation_id).iterator(chunk_size=20_000)
            return
        keys = self.keys
        for row in self.iter_rows(user=user, delegation_id=delegation_id):
            yield tuple(row[key] for key in keys)


# Every dataset by key, in the registry's order: indicators, then lists.
DATASETS: dict[str, Dataset] = {}


def register(*datasets: Dataset) -> dict[str, Dataset]:
    """Add ``datasets`` to the table (``stats.registry`` calls it once, when the app is loaded); return the table."""
    for dataset in datasets:
        if DATASETS.setdefault(dataset.key, dataset) is not dataset:
            raise ValueError(f"Two datasets are named {dataset.key!r}.")
    return DATASETS


def dataset_choices() -> list[tuple[str, str]]:
    return [(dataset.key, dataset.label) for dataset in DATASETS.values()]


def dataset_label(key: str) -> str:
    dataset = DATASETS.get(key)
    return dataset.label if dataset else key
