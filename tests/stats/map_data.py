"""Coverage rows shaped like the real ones, for the map: low and uneven, never the demo's few covered areas.

Ten thousand contracts over 36,000 collectivités leave most départements far under 20 % of their
communes covered, a few well above and some with none (``generate_dataset``'s national year gives
the same picture). The shares are drawn from the département's rank, deterministically.
"""

from stats import maps


def _row(code: str, name: str, communes: int, covered: int) -> dict:
    population, covered_population = communes * 1000, covered * 900
    return {
        "code": code,
        "name": name,
        "region": "",
        "communes": communes,
        "covered_communes": covered,
        "share_communes": round(100 * covered / communes, 1) if communes else 0.0,
        "population": population,
        "covered_population": covered_population,
        "share_population": round(100 * covered_population / population, 1) if population else 0.0,
    }


def realistic_department_rows() -> list[dict]:
    """A row per département drawn on the map, as ``stats.indicators.coverage_by_department`` gives them."""
    names = {**maps.outlines()["departments"]["names"], **maps.OVERSEAS_DEPARTMENTS}
    codes = sorted(code for code in names if code != maps.PARIS_DEPARTMENT)
    rows = []
    for rank, code in enumerate(codes):
        communes = 200 + (rank * 53) % 600
        if rank % 11 == 0:
            covered = 0
        else:
            share = 12 * (((rank * 37) % 101) / 101) ** 2 + (24 if rank % 23 == 1 else 0)
            covered = max(1, round(communes * share / 100))
        rows.append(_row(code, names[code], communes, covered))
    # Paris: outside the CNFPT, no commune counted.
    rows.append(_row(maps.PARIS_DEPARTMENT, "Paris", 0, 0))
    return rows
