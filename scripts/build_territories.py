#!/usr/bin/env python
"""Build ``partnership/data/territories.json.gz`` from the Etalab "découpage administratif" package.

The source is the npm package ``@etalab/decoupage-administratif`` (version 6.0.0, millésime 2026).
It does not need Node to be installed beyond ``npm`` itself, which is only used to download the archive::

    mkdir -p /tmp/etalab && cd /tmp/etalab
    npm pack @etalab/decoupage-administratif@6.0.0
    tar xzf etalab-decoupage-administratif-6.0.0.tgz      # -> /tmp/etalab/package/data/*.json

then, from the project root::

    .venv/bin/python scripts/build_territories.py /tmp/etalab/package/data

The output keeps metropolitan France and the five DROM (zones ``metro`` and ``drom``; the COM are
dropped), only current communes (``type == "commune-actuelle"``), and only the fields the
application uses. Rows are tables (lists) rather than objects, described by ``header["columns"]``.
The output is deterministic: sorted rows and keys, gzip header without timestamp nor file name,
so re-running the script on the same input gives the same bytes.

Data: Licence Ouverte / Open Licence (Etalab). Sources: INSEE (Code officiel géographique,
populations légales), DGCL (composition des EPCI à fiscalité propre), La Poste (codes postaux).
"""

import argparse
import gzip
import json
import sys
from collections import Counter
from pathlib import Path

DEFAULT_SOURCE_DIR = Path("/tmp/etalab/package/data")
DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "partnership" / "data" / "territories.json.gz"

PACKAGE_NAME = "@etalab/decoupage-administratif"
DEFAULT_PACKAGE_VERSION = "6.0.0"
FORMAT_VERSION = 1

KEPT_ZONES = ("metro", "drom")
CURRENT_COMMUNE = "commune-actuelle"
EPCI_TYPES = ("CC", "CA", "CU", "METRO", "MET69")

LICENCE = "Licence Ouverte / Open Licence version 2.0 (Etalab)"
ATTRIBUTION = (
    "INSEE (Code officiel géographique, populations légales), DGCL (EPCI à fiscalité propre), "
    "La Poste (codes postaux), via Etalab / data.gouv.fr (@etalab/decoupage-administratif)"
)

COLUMNS = {
    "regions": ["code", "name", "zone", "chef_lieu"],
    "departments": ["code", "name", "region", "zone", "liaison_type"],
    "communes": ["code", "name", "department", "siren", "population", "postal_codes"],
    "epcis": ["siren", "name", "type", "department", "members"],
}


def read_source(directory: Path) -> dict:
    """The four JSON files of the package, as lists of dicts, plus the package version if known."""
    directory = Path(directory)
    source = {}
    for key, filename in (
        ("regions", "regions.json"),
        ("departments", "departements.json"),
        ("communes", "communes.json"),
        ("epcis", "epci.json"),
    ):
        with open(directory / filename, encoding="utf-8") as handle:
            source[key] = json.load(handle)
    package_json = directory.parent / "package.json"
    version = DEFAULT_PACKAGE_VERSION
    if package_json.exists():
        with open(package_json, encoding="utf-8") as handle:
            meta = json.load(handle)
        if meta.get("name") == PACKAGE_NAME:
            version = meta.get("version", version)
    source["version"] = version
    return source


def epci_department(member_codes: list[str], commune_departments: dict[str, str]) -> str:
    """The département holding the most member communes; ties go to the lowest code."""
    counts = Counter(commune_departments[code] for code in member_codes)
    return min(counts, key=lambda department: (-counts[department], department))


def build_territories(
    regions: list[dict],
    departments: list[dict],
    communes: list[dict],
    epcis: list[dict],
    version: str = DEFAULT_PACKAGE_VERSION,
) -> dict:
    """The compact structure written to ``territories.json.gz``, from the package's raw lists."""
    region_rows = sorted(
        [r["code"], r["nom"], r["zone"], r.get("chefLieu") or ""] for r in regions if r.get("zone") in KEPT_ZONES
    )
    region_codes = {row[0] for row in region_rows}

    department_rows = sorted(
        [d["code"], d["nom"], d["region"], d["zone"], int(d.get("typeLiaison") or 0)]
        for d in departments
        if d.get("zone") in KEPT_ZONES
    )
    missing_regions = {row[2] for row in department_rows} - region_codes
    if missing_regions:
        raise ValueError(f"Départements rattachés à des régions absentes : {sorted(missing_regions)}")
    department_codes = {row[0] for row in department_rows}

    commune_rows = []
    seen = set()
    for commune in communes:
        if commune.get("type") != CURRENT_COMMUNE or commune.get("zone") not in KEPT_ZONES:
            continue
        code = commune["code"]
        if code in seen:
            raise ValueError(f"Commune en double : {code}")
        seen.add(code)
        if commune["departement"] not in department_codes:
            raise ValueError(f"Commune {code} rattachée à un département absent : {commune['departement']}")
        population = commune.get("population")
        commune_rows.append(
            [
                code,
                commune["nom"],
                commune["departement"],
                commune.get("siren") or "",
                int(population) if population is not None else None,
                sorted(set(commune.get("codesPostaux") or [])),
            ]
        )
    commune_rows.sort()
    commune_departments = {row[0]: row[2] for row in commune_rows}

    epci_rows = []
    dropped_members = 0
    for epci in epcis:
        if epci.get("type") not in EPCI_TYPES:
            raise ValueError(f"Type d'EPCI inconnu pour {epci.get('code')} : {epci.get('type')}")
        all_members = {member["code"] for member in epci.get("membres") or []}
        members = sorted(code for code in all_members if code in commune_departments)
        dropped_members += len(all_members) - len(members)
        if not members:  # an EPCI made only of communes outside the kept zones
            continue
        epci_rows.append(
            [epci["code"], epci["nom"], epci["type"], epci_department(members, commune_departments), members]
        )
    epci_rows.sort()
    if dropped_members:
        print(f"Avertissement : {dropped_members} membres d'EPCI hors des communes retenues.", file=sys.stderr)

    return {
        "header": {
            "format": FORMAT_VERSION,
            "source": PACKAGE_NAME,
            "version": version,
            "licence": LICENCE,
            "attribution": ATTRIBUTION,
            "zones": list(KEPT_ZONES),
            "columns": COLUMNS,
        },
        "regions": region_rows,
        "departments": department_rows,
        "communes": commune_rows,
        "epcis": epci_rows,
    }


def write_territories(data: dict, output: Path) -> None:
    """Write ``data`` as gzipped compact JSON, byte-for-byte reproducible."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    with open(output, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
        gz.write(payload)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "source",
        nargs="?",
        type=Path,
        default=DEFAULT_SOURCE_DIR,
        help=f"dossier data/ du paquet npm décompressé (défaut : {DEFAULT_SOURCE_DIR})",
    )
    parser.add_argument(
        "-o", "--output", type=Path, default=DEFAULT_OUTPUT, help=f"fichier produit (défaut : {DEFAULT_OUTPUT})"
    )
    args = parser.parse_args(argv)
    source = read_source(args.source)
    data = build_territories(
        source["regions"], source["departments"], source["communes"], source["epcis"], version=source["version"]
    )
    write_territories(data, args.output)
    print(
        f"{args.output} : {len(data['regions'])} régions, {len(data['departments'])} départements, "
        f"{len(data['communes'])} communes, {len(data['epcis'])} EPCI ({args.output.stat().st_size} octets)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
