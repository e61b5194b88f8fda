"""The dashboard's sections, tables and charts, drawn from the registry (one definition per indicator)."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format

from . import registry
from .charts import bars


def format_cell(column: registry.Column, value) -> str:
    """A figure as French readers write it: « 1 234 », « 12,5 »; a dash for a missing value."""
    if value is None:
        return "–"
    if column.type == registry.YEAR:
        return str(value)
    if column.type == registry.INTEGER:
        return number_format(value, force_grouping=True)
    if column.type in (registry.PERCENT, registry.NUMBER):
        return number_format(round(float(value), 1), decimal_pos=1, force_grouping=True)
    if column.type == registry.DAYS:
        value = Decimal(value)
        places = 0 if value == value.to_integral_value() else 1
        return number_format(value, decimal_pos=places, force_grouping=True)
    if column.type == registry.DATE:
        return value.strftime("%d/%m/%Y")
    return str(value)


ANCHORS = {"coverage_by_department": "couverture-departement-", "coverage_by_region": "couverture-region-"}


def block(dataset: registry.Dataset, rows: list[dict]) -> dict:
    """What the template needs to draw ``dataset``: its chart, and the table of its dashboard columns."""
    columns = [column for column in dataset.columns if column.on_dashboard]
    chart = None
    if dataset.chart:
        series = [(key, dataset.column(key).label) for key in dataset.chart.series]
        chart = bars(rows, dataset.chart.label, *series)
    return {
        "key": dataset.key,
        "label": dataset.label,
        "caption": dataset.caption or dataset.label,
        "chart": chart,
        "headers": [{"label": column.label, "numeric": column.is_numeric} for column in columns],
        "rows": [
            {
                # The coverage map links each area to its row.
                "id": ANCHORS[dataset.key] + row["code"] if dataset.key in ANCHORS else "",
                "cells": [
                    {"text": format_cell(column, row[column.key]), "numeric": column.is_numeric} for column in columns
                ],
            }
            for row in rows
        ],
    }


@dataclass(frozen=True)
class Axis:
    """A section of the dashboard: an axis of the framework agreement."""

    number: int
    nav: str  # its link in the page's menu of sections
    title: str
    intro: str = ""  # a template shown under the title, before the axis' indicators


AXES = (
    Axis(1, "Axe 1 – contrats et formations", "Axe 1 – Promouvoir les dispositifs de formation auprès des communes"),
    Axis(2, "Axe 2 – événements", "Axe 2 – Actions événementielles co-organisées"),
    Axis(
        3,
        "Axe 3 – échange de données",
        "Axe 3 – Échange de données statistiques",
        "stats/includes/dashboard_axis_3.html",
    ),
    Axis(4, "Axe 4 – intervenants", "Axe 4 – Réseau d'intervenants", "stats/includes/dashboard_axis_4.html"),
    Axis(
        5,
        "Axe 5 – stages et études",
        "Axe 5 – Stages INET et études pour l'AMF",
        "stats/includes/dashboard_axis_5.html",
    ),
)


def _item(dataset: registry.Dataset, rows: list[dict]) -> dict:
    place = dataset.dashboard
    return {
        "block": block(dataset, rows),
        "place": place,
        "folded": place.folded.format(count=len(rows)) if place.folded else "",
    }


def sections(data: dict) -> list[dict]:
    """Each axis with its indicators, in the registry's order: a row per indicator, or a grid whose columns
    hold the indicators placed side by side (``Placement.grid``), where the first of them comes."""
    result = []
    for axis in AXES:
        rows: list[dict] = []
        grids: dict[str, list[list[dict]]] = {}
        for dataset in registry.INDICATORS:
            place = dataset.dashboard
            if place.axis != axis.number:
                continue
            item = _item(dataset, data[dataset.key])
            if not place.grid:
                rows.append({"grid": "", "item": item})
                continue
            if place.grid not in grids:
                grids[place.grid] = []
                rows.append({"grid": place.grid, "column_class": place.column_class, "columns": grids[place.grid]})
            columns = grids[place.grid]
            while len(columns) <= place.column:
                columns.append([])
            columns[place.column].append(item)
        result.append({"axis": axis, "rows": rows})
    return result
