"""The coverage map: two choropleths (départements, regions) drawn on the server as SVG.

Outlines: ``stats/data/france_map.json.gz``, built by ``scripts/build_map.py`` from svg-maps (CC BY
4.0) for metropolitan France and from Natural Earth (public domain) for the five overseas
départements, each its own region, drawn as labelled insets in a band below the mainland, each at
its own scale. Each area is a link to its row in the data table, so it takes the keyboard focus and
announces its figures; Paris, outside the CNFPT, is hatched, never coloured, and named on the map.

The colours follow classes drawn from the data shown (``stats.classify``, Jenks natural breaks), one
set per map: « aucune commune couverte », then up to four classes of the covered shares, each named
in the legend by the lowest and highest share it holds.
"""

import gzip
import json
from functools import cache
from pathlib import Path

from django.utils.formats import number_format

from partnership.models import PARIS_INSEE_CODE
from partnership.text import count_label

from .classify import class_of, natural_classes

DATA = Path(__file__).resolve().parent / "data" / "france_map.json.gz"
PARIS_DEPARTMENT = PARIS_INSEE_CODE[:2]
# Colour classes of the covered areas (``map-step-1`` … ``map-step-4``); ``map-step-0``: none covered.
CLASSES = 4
# What each map's areas are, in its legend (singular, plural).
UNITS = {
    "departments": ("département affiché", "départements affichés"),
    "regions": ("région affichée", "régions affichées"),
}
# Where the name of Paris is written, in the map's units: in the empty sea up and left of the mainland,
# out of the crowded Petite Couronne, the words ending at this point, a line leading to Paris.
PARIS_LABEL_END = (255, 40)
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


def _range(low: float, high: float) -> str:
    low_text, high_text = _percent(low), _percent(high)
    if low_text == high_text:
        return high_text
    return f"{number_format(low, decimal_pos=1)} à {high_text}"


def _classes(rows: list[dict]) -> tuple[dict, list[dict]]:
    """The colour class of each share of covered communes shown, and the legend's entries for them."""
    shares = [row["share_communes"] for row in rows if row["communes"]]
    classes = natural_classes([share for share in shares if share > 0], CLASSES)
    css = {share: f"map-step-{class_of(share, classes) + 1}" for share in shares if share > 0}
    legend = [{"css": "map-step-0", "label": "aucune commune couverte"}] if 0 in shares else []
    legend += [{"css": f"map-step-{index + 1}", "label": _range(*bounds)} for index, bounds in enumerate(classes)]
    return css | {0: "map-step-0"}, legend


def _area(code: str, name: str, row: dict | None, anchor_prefix: str, css: dict) -> dict:
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
    return {"code": code, "css": css[row["share_communes"]], "label": label, "href": f"#{anchor_prefix}{code}"}


def path_centre(path: str) -> tuple[float, float]:
    """The centre of the bounding box of an outline drawn with moves and lines (``m``/``l``, ``M``/``L``, ``z``)."""
    x = y = 0.0
    xs, ys, pending = [], [], []
    relative = False
    for part in path.replace(",", " ").split():
        if part in {"m", "l", "M", "L"}:
            relative = part.islower()
            continue
        if part in {"z", "Z"}:
            continue
        pending.append(float(part))
        if len(pending) == 2:
            dx, dy = pending
            x, y = (x + dx, y + dy) if relative else (dx, dy)
            xs.append(x)
            ys.append(y)
            pending = []
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def _paris_callout(paths: dict) -> dict | None:
    """Where the map names Paris, « hors CNFPT »: a ring round its outline, a line from it to the words."""
    if PARIS_DEPARTMENT not in paths:
        return None
    x, y = path_centre(paths[PARIS_DEPARTMENT])
    end_x, end_y = PARIS_LABEL_END
    return {
        "x": f"{x:.1f}",
        "y": f"{y:.1f}",
        "line_x": f"{end_x + 2:.1f}",
        "line_y": f"{end_y + 4:.1f}",
        "text_x": f"{end_x:.1f}",
        "text_y": f"{end_y:.1f}",
    }


def _with_band(view_box: str) -> str:
    """The outlines' view box, with a band below for the overseas insets (no overlap with the mainland)."""
    x0, y0, width, height = (float(v) for v in view_box.split())
    return f"{x0:g} {y0:g} {width:g} {height + outlines()['inset_size'] + LABEL_HEIGHT + 22:g}"


def _insets(overseas: dict[str, str], rows: dict, anchor_prefix: str, view_box: str, css: dict) -> list[dict]:
    """The overseas areas, side by side in the band below the mainland: each outline centred in its frame."""
    x0, y0, _width, height = (float(v) for v in view_box.split())
    outlines_ = outlines()["overseas"]
    size = outlines()["inset_size"]  # the longer side of each outline (``scripts/build_map.py``)
    insets = []
    for index, (code, name) in enumerate(overseas.items()):
        # Overseas régions and départements share their outline: the region's code names its département.
        outline = outlines_[code if code in outlines_ else REGION_DEPARTMENT[code]]
        area = _area(code, name, rows.get(code), anchor_prefix, css)
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


def _method(classified: int, unit: tuple[str, str]) -> str:
    """The legend's last line: how the classes were drawn, and from how many areas."""
    if not classified:
        return "Aucun territoire de ce périmètre n'a de commune\u00a0: pas de classe de couleur."
    return f"Classes par seuils naturels (Jenks), calculées sur {count_label(classified, *unit)}."


def _choropleth(
    outline: dict, names: dict, rows: list[dict], anchor_prefix: str, overseas: dict, unit: tuple[str, str]
) -> dict:
    """One map: its areas and insets coloured by the classes of its own rows, and its legend."""
    drawn = set(outline["paths"]) | set(overseas)
    by_code = {row["code"]: row for row in rows if row["code"] in drawn}
    css, legend = _classes(list(by_code.values()))
    areas = [
        {**_area(code, names.get(code, code), by_code.get(code), anchor_prefix, css), "path": path}
        for code, path in outline["paths"].items()
    ]
    insets = _insets(overseas, by_code, anchor_prefix, outline["viewBox"], css)
    shown = [*areas, *insets]
    return {
        "view_box": _with_band(outline["viewBox"]),
        "areas": areas,
        "insets": insets,
        "legend": legend,
        "method": _method(sum(1 for area in shown if area["css"].startswith("map-step-")), unit),
        "has_none": any(area["css"] == "map-none" for area in shown),
    }


def choropleths(departments: list[dict], regions: list[dict]) -> dict:
    """Both maps, ready for ``templates/stats/includes/coverage_map.html``.

    ``departments`` and ``regions`` are the coverage indicator's rows, whatever the scope: an area
    without a row is drawn as outside the scope shown. Each map has its own classes and legend.
    """
    data = outlines()
    names = {**data["departments"]["names"], **OVERSEAS_DEPARTMENTS}
    region_names = {**REGION_NAMES, **OVERSEAS_REGIONS, **{row["code"]: row["name"] for row in regions}}
    department_map = _choropleth(
        data["departments"], names, departments, "couverture-departement-", OVERSEAS_DEPARTMENTS, UNITS["departments"]
    )
    department_map["paris"] = _paris_callout(data["departments"]["paths"])
    return {
        "departments": department_map,
        "regions": _choropleth(
            data["regions"], region_names, regions, "couverture-region-", OVERSEAS_REGIONS, UNITS["regions"]
        ),
        "attribution": data["attribution"],
    }
