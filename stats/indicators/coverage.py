"""Axis 1, the territorial coverage: communes and population covered by a contract in force, by département
and by region, and the official order of both."""

from django.db import connection
from django.db.models import QuerySet

from agreements.enums import ContractStatus
from agreements.models import ContractParty
from partnership.enums import CollectivityKind
from partnership.models import Collectivity, Department
from partnership.text import normalize_search

from ..definitions import share
from ..reads import shared_read


def covered_collectivities(delegation_id: int | None) -> QuerySet:
    """Ids (``collectivity_id``) of the collectivités parties to an ``active`` contract, and of the members of
    an EPCI that is: one ``UNION`` subquery, never read into Python."""
    parties = ContractParty.objects.filter(contract__status=ContractStatus.ACTIVE).order_by()
    if delegation_id is not None:
        parties = parties.filter(contract__delegation_id=delegation_id)
    members = Collectivity.members.through.objects.filter(
        from_collectivity_id__in=parties.values("collectivity_id")
    ).order_by()
    return parties.values_list("collectivity_id").union(members.values_list("to_collectivity_id"))


def department_order(code: str) -> tuple:
    """Départements in their official order: 01…19, 2A, 2B, 21…95, then overseas (971…976)."""
    return (len(code) > 2, code.replace("2A", "20A").replace("2B", "20B"))


def region_order(code: str, name: str) -> tuple:
    """Metropolitan regions alphabetically (accents ignored, as in a French index), then overseas ones."""
    overseas = code.isdigit() and int(code) < 10
    return (overseas, normalize_search(name))


def _coverage_row(key: dict, totals: list[int]) -> dict:
    n_communes, n_population, n_covered, n_covered_population = totals
    return {
        **key,
        "communes": n_communes,
        "covered_communes": n_covered,
        "share_communes": share(n_covered, n_communes),
        "population": n_population,
        "covered_population": n_covered_population,
        "share_population": share(n_covered_population, n_population),
    }


@shared_read
def coverage_levels(*, delegation_id: int | None = None) -> tuple[list[dict], list[dict]]:
    """Coverage by département and by region, summed by the database in one pass over the communes. 2 queries.

    A commune is covered if it is a party to an ``active`` contract or a member of an EPCI that is a
    party to one (with ``delegation_id``: a contract of that delegation, in the départements it covers).
    Shares are percentages with one decimal; the population is the municipal population of the INSEE.
    The communes are joined once to the covered ids (a ``LEFT JOIN`` on a ``UNION``): PostgreSQL
    hashes the 30,000 ids once, where a ``pk IN (…) OR pk IN (…)`` filter probed two subplans for
    each commune and each aggregate, and reading the communes into Python cost a round trip per row.
    """
    # Paris is outside the CNFPT: neither covered nor in the total (DESIGN, "Paris is outside the CNFPT").
    communes = Collectivity.objects.covered_by_cnfpt().filter(kind=CollectivityKind.COMMUNE).order_by()
    if delegation_id is not None:
        communes = communes.filter(department__delegations=delegation_id)
    communes_sql, communes_params = communes.values_list("pk", "department_id", "population").query.sql_with_params()
    covered_sql, covered_params = covered_collectivities(delegation_id).query.sql_with_params()
    sql = f"""
        SELECT c.department_id, COUNT(*), COALESCE(SUM(c.population), 0), COUNT(covered.collectivity_id),
               COALESCE(SUM(CASE WHEN covered.collectivity_id IS NOT NULL THEN c.population END), 0)
        FROM ({communes_sql}) c LEFT JOIN ({covered_sql}) covered ON covered.collectivity_id = c.pk
        GROUP BY c.department_id
    """  # noqa: S608 - both parts are compiled by the ORM, with their parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, (*communes_params, *covered_params))
        totals = {department_id: [int(v) for v in values] for department_id, *values in cursor.fetchall()}
    by_department = []
    regions: dict[tuple, list[int]] = {}
    departments = Department.objects.filter(pk__in=list(totals) or [0]).values_list(
        "pk", "code", "name", "region__code", "region__name"
    )
    for pk, code, name, region_code, region_name in departments:
        by_department.append(_coverage_row({"code": code, "name": name, "region": region_name}, totals[pk]))
        region = regions.setdefault((region_code, region_name), [0, 0, 0, 0])
        for index, value in enumerate(totals[pk]):
            region[index] += value
    by_region = [_coverage_row({"code": code, "name": name}, values) for (code, name), values in regions.items()]
    return (
        sorted(by_department, key=lambda row: department_order(row["code"])),
        sorted(by_region, key=lambda row: region_order(row["code"], row["name"])),
    )


def coverage_by_department(*, delegation_id: int | None = None) -> list[dict]:
    """Per département: communes and population, and how many are covered (see ``coverage_levels``). 2 queries."""
    return coverage_levels(delegation_id=delegation_id)[0]


def coverage_by_region(*, delegation_id: int | None = None) -> list[dict]:
    """Per region: the same figures as ``coverage_by_department``, summed over its départements. 2 queries."""
    return coverage_levels(delegation_id=delegation_id)[1]


def coverage_total(rows: list[dict]) -> dict:
    """The national (or delegation) total of coverage rows, computed without a query."""
    communes = sum(r["communes"] for r in rows)
    covered = sum(r["covered_communes"] for r in rows)
    population = sum(r["population"] for r in rows)
    covered_population = sum(r["covered_population"] for r in rows)
    return {
        "communes": communes,
        "covered_communes": covered,
        "share_communes": share(covered, communes),
        "population": population,
        "covered_population": covered_population,
        "share_population": share(covered_population, population),
    }
