"""Table Schema (Frictionless Data) of each dataset, as schema.data.gouv.fr publishes them.

The schema describes the CSV file exactly as the export writes it: French column titles as field
names, ``;`` separator, decimal comma, dates as dd/mm/yyyy. It is derived from the registry, so a
column added there appears in the file, the API and the schema at once.
"""

from . import registry

TABLE_SCHEMA_PROFILE = "https://specs.frictionlessdata.io/schemas/table-schema.json"


def _field(column: registry.Column) -> dict:
    field = {"name": column.label, "title": column.label, "description": column.help, "type": column.schema_type}
    if column.schema_type == registry.NUMBER:
        field["decimalChar"] = ","
    if column.type == registry.DATE:
        field["format"] = "%d/%m/%Y"
    if column.is_numeric and not column.nullable:
        field["constraints"] = {"required": True}
    if column.type in (registry.INTEGER, registry.PERCENT, registry.DAYS):
        field.setdefault("constraints", {})["minimum"] = 0
    return field


def table_schema(dataset: registry.Dataset) -> dict:
    return {
        "$schema": TABLE_SCHEMA_PROFILE,
        "name": dataset.key,
        "title": dataset.label,
        "description": dataset.description,
        "fields": [_field(column) for column in dataset.columns],
        "missingValues": [""],
    }


def csv_dialect() -> dict:
    """How to read the CSV files (Frictionless CSV dialect)."""
    return {"delimiter": ";", "lineTerminator": "\r\n", "header": True, "doubleQuote": True}
