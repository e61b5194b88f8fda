"""Server-side horizontal bar charts: the template draws each bar as an SVG rectangle of the given length."""


def bars(rows: list[dict], label: str, *series: tuple[str, str]) -> dict:
    """A chart of ``rows``: one group per row (its ``label``), one bar per ``(value key, legend)`` of ``series``.

    Lengths are in % of the largest value, as strings with a dot (SVG attributes are not localised).
    Each chart is drawn beside its data table, which carries the figures for screen readers.
    """
    keys = [key for key, _legend in series]
    largest = max((float(row[key] or 0) for row in rows for key in keys), default=0) or 1
    return {
        "series": [{"key": key, "legend": legend, "index": i} for i, (key, legend) in enumerate(series)],
        "rows": [
            {
                "label": row[label],
                "bars": [
                    {"index": i, "value": row[key], "length": f"{100 * float(row[key] or 0) / largest:.1f}"}
                    for i, key in enumerate(keys)
                ],
            }
            for row in rows
        ],
    }
