"""The coverage map: two choropleths (départements, regions) drawn on the server as SVG.

Outlines: ``stats/data/france_map.json.gz``, built by ``scripts/build_map.py`` from svg-maps (CC BY
4.0) for metropolitan France and from Natural Earth (public domain) for the five overseas
départements, each its own region, drawn as labelled insets in a band below the mainland, each at
its own scale. Each area is a link to its row in the data table, so it takes the keyboard focus and
announces its figures; Paris, outside the CNFPT, is drawn apart and never coloured.
"""

import gzip
import json
from functools import cache
from pathlib import Path

from django.utils.formats import number_format

from partnership.models import PARIS_INSEE_CODE

DATA = Path(__file__).resolve().parent / "data" / "france_map.json.gz"
PARIS_DEPARTMENT = PARIS_INSEE_CODE[:2]
# Share of communes covered (%) → colour class, lightest first.
STEPS = (20, 40, 60, 80)
OVERSEAS_DEPARTMENTS = {
    "971": "Guadeloupe",
    "972": "Martinique",
    "973": "Guyane",
    "974": "La Réunion",
    "976": "Mayotte",
}
OVERSEAS_REGIONS = {"01": "Guadeloupe", "02": "Martinique", "03": "Guyane", "04": "La Réunion", "06": "Mayotte"}
REGION_DEPARTMENT = dict(zip(OVERSEAS_REGIONS, OVERSEAS_DEPARTMENTS, strict=True))
INSET_PITCH = 84  # from one inset to the next, their names included
LABEL_HEIGHT = 16
REGION_NAMES = {
    "84": "Auvergne-Rhône-Alpes",
    "27": "Bourgogne-Franche-Comté",
    "53": "Bretagne",
    "24": "Centre-Val de Loire",
    "94": "Corse",
    "44": "Grand Est",
    "32": "Hauts-de-France",
    "11": "Île-de-France",
    "28": "Normandie",
    "75": "Nouvelle-Aquitaine",
    "76": "Occitanie",
    "52": "Pays de la Loire",
    "93": "Provence-Alpes-Côte d'Azur",
}


@cache
def outlines() -> dict:
    with gzip.open(DATA, "rt", encoding="utf-8") as source:
        return json.load(source)


def attribution() -> str:
    return outlines()["attribution"]


def _percent(value: float) -> str:
    return number_format(value, decimal_pos=1) + "\u202f%"


def step(share: float) -> int:
    return sum(1 for limit in STEPS if share >= limit)


def _area(code: str, name: str, row: dict | None, anchor_prefix: str) -> dict:
    paris = anchor_prefix.startswith("couverture-departement") and code == PARIS_DEPARTMENT
    if paris and (row is None or not row["communes"]):
        return {
            "code": code,
            "css": "map-excluded",
            "label": f"{name} ({code}) : ne relève pas du CNFPT, hors des chiffres de couverture",
            "href": "#couverture",
        }
    if row is None or not row["communes"]:
        return {"code": code, "css": "map-none", "label": f"{name} ({code}) : hors du périmètre affiché", "href": ""}
    label = (
        f"{name} ({code}) : {_percent(row['share_communes'])} des communes "
        f"({number_format(row['covered_communes'], force_grouping=True)} sur "
        f"{number_format(row['communes'], force_grouping=True)}), {_percent(row['share_population'])} de la population"
    )
    return {
        "code": code,
        "css": f"map-step-{step(row['share_communes'])}",
        "label": label,
        "href": f"#{anchor_prefix}{code}",
    }


def _with_band(view_box: str) -> str:
    """The outlines' view box, with a band below for the overseas insets (no overlap with the mainland)."""
    x0, y0, width, height = (float(v) for v in view_box.split())
    return f"{x0:g} {y0:g} {width:g} {height + outlines()['inset_size'] + LABEL_HEIGHT + 22:g}"


def _insets(overseas: dict[str, str], rows: dict, anchor_prefix: str, view_box: str) -> list[dict]:
    """The overseas areas, side by side in the band below the mainland: each outline centred in its frame."""
    x0, y0, _width, height = (float(v) for v in view_box.split())
    outlines_ = outlines()["overseas"]
    size = outlines()["inset_size"]  # the longer side of each outline (``scripts/build_map.py``)
    insets = []
    for index, (code, name) in enumerate(overseas.items()):
        # Overseas régions and départements share their outline: the region's code names its département.
        outline = outlines_[code if code in outlines_ else REGION_DEPARTMENT[code]]
        area = _area(code, name, rows.get(code), anchor_prefix)
        x = x0 + 6 + index * INSET_PITCH
        y = y0 + height + 8
        area.update(
            name=name,
            path=outline["path"],
            frame_x=f"{x:g}",
            frame_y=f"{y:g}",
            frame_size=size + 8,
            shape_x=f"{x + 4 + (size - outline['width']) / 2:.1f}",
            shape_y=f"{y + 4 + (size - outline['height']) / 2:.1f}",
            text_x=f"{x + (size + 8) / 2:g}",
            text_y=f"{y + size + 8 + LABEL_HEIGHT - 3:g}",
        )
        insets.append(area)
    return insets


def choropleths(departments: list[dict], regions: list[dict]) -> dict:
    """Both maps, ready for ``templates/stats/includes/coverage_map.html``.

    ``departments`` and ``regions`` are the coverage indicator's rows, whatever the scope: an area
    without a row is drawn as outside the scope shown.
    """
    data = outlines()
    names = {**data["departments"]["names"], **OVERSEAS_DEPARTMENTS}
    by_department = {row["code"]: row for row in departments}
    by_region = {row["code"]: row for row in regions}
    region_names = {**REGION_NAMES, **OVERSEAS_REGIONS, **{row["code"]: row["name"] for row in regions}}
    department_map = data["departments"]
    region_map = data["regions"]
    return {
        "legend": [
            {"css": f"map-step-{i}", "label": label}
            for i, label in enumerate(["moins de 20 %", "20 à 40 %", "40 à 60 %", "60 à 80 %", "80 % et plus"])
        ],
        "departments": {
            "view_box": _with_band(department_map["viewBox"]),
            "areas": [
                {**_area(code, names.get(code, code), by_department.get(code), "couverture-departement-"), "path": path}
                for code, path in department_map["paths"].items()
            ],
            "insets": _insets(
                OVERSEAS_DEPARTMENTS, by_department, "couverture-departement-", department_map["viewBox"]
            ),
        },
        "regions": {
            "view_box": _with_band(region_map["viewBox"]),
            "areas": [
                {**_area(code, region_names.get(code, code), by_region.get(code), "couverture-region-"), "path": path}
                for code, path in region_map["paths"].items()
            ],
            "insets": _insets(OVERSEAS_REGIONS, by_region, "couverture-region-", region_map["viewBox"]),
        },
        "attribution": data["attribution"],
    }
