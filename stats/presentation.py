"""The dashboard's tables and charts, drawn from the registry's columns (one definition per indicator)."""

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


def blocks(data: dict) -> dict[str, dict]:
    return {dataset.key: block(dataset, data[dataset.key]) for dataset in registry.INDICATORS if dataset.key in data}
