"""Reads of the directory: the one collectivité search behind every picker, the directory in figures, accounts.

The collectivité search: the contract form, the training registration form and the public event form all
search through ``collectivities_search`` (via the ``collectivity_search`` endpoint when JavaScript runs)
and read back what was typed through ``collectivity_lookup`` (always, so the forms work without JavaScript).

The accounts staff manage: ``accounts_manageable_by``. (The « À faire » page lives in the ``workspace`` app.)
"""

import re
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, QuerySet, Sum, Value, When

from . import permissions
from .enums import INVITABLE_ROLES, CollectivityKind
from .models import Collectivity, Delegation, Department, MayorsAssociation, Region, User
from .text import french_sort_key, normalize_search

SEARCH_LIMIT = 20
# INSEE codes (5 characters, 2A/2B in Corsica) and SIRENs (9 digits), typed alone or heading a picker label.
_CODE = re.compile(r"^\s*((?:\d{2}|2[AB])\d{3}|\d{9})(?:\s|–|-|$)", re.IGNORECASE)


def collectivities_search(query: str, *, limit: int = SEARCH_LIMIT) -> QuerySet[Collectivity]:
    """Communes and EPCIs matching ``query``, best first: the exact name, then names starting with it.

    The name is compared through ``normalize_search``, the function that fills ``search_name``: accents,
    case, hyphens, apostrophes and « St »/« Ste » do not matter. Digits search the INSEE code and the SIREN.
    Fewer than two characters find nothing. Served on PostgreSQL by the trigram and prefix indexes.
    """
    query = (query or "").strip()
    code = _CODE.match(query)
    if code:
        # A picker label typed back (``42218 – Saint-Étienne (42)``) searches its code.
        query = code.group(1)
    folded = normalize_search(query)
    if len(query) < 2 or not folded:
        return Collectivity.objects.none()
    rank = Case(
        When(search_name=folded, then=Value(0)),
        When(search_name__startswith=folded, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        Collectivity.objects.search(query)
        .select_related("department")
        .annotate(rank=rank)
        .order_by("rank", "-population", "name", "pk")[:limit]
    )


@dataclass
class Lookup:
    """What a typed collectivité resolves to: one ``found``, or the ``candidates`` to choose from."""

    found: Collectivity | None = None
    candidates: list[Collectivity] = field(default_factory=list)


def collectivity_lookup(text: str) -> Lookup:
    """Read back a collectivité typed or picked in a form: a picker label, an INSEE code, a SIREN or a name.

    A code decides alone (``42218 – Saint-Étienne (42)`` is 42218). A name is taken when exactly one
    collectivité bears it, or when it matches exactly one; otherwise the candidates are returned.
    """
    text = (text or "").strip()
    if not text:
        return Lookup()
    directory = Collectivity.objects.select_related("department")
    code = _CODE.match(text)
    if code:
        value = code.group(1).upper()
        found = directory.filter(code=value).order_by("kind").first() or directory.filter(siren=value).first()
        return Lookup(found=found)
    folded = normalize_search(text)
    same_name = list(directory.filter(search_name=folded).order_by("-population", "pk")[:SEARCH_LIMIT])
    if len(same_name) == 1:
        return Lookup(found=same_name[0])
    candidates = same_name or list(collectivities_search(text))
    if len(candidates) == 1:
        return Lookup(found=candidates[0])
    return Lookup(candidates=candidates)


def territory_counts() -> dict:
    """The directory in figures (regions, départements, communes, EPCIs, population, delegations, associations
    of mayors), as the home and « À propos » pages show them. Seven queries, whatever the size of the directory."""
    by_kind = dict(Collectivity.objects.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    population = Collectivity.objects.filter(kind=CollectivityKind.COMMUNE).aggregate(total=Sum("population"))["total"]
    return {
        "regions": Region.objects.count(),
        "departments": Department.objects.count(),
        "communes": by_kind.get(CollectivityKind.COMMUNE, 0),
        "epcis": by_kind.get(CollectivityKind.EPCI, 0),
        "population": population or 0,
        "delegations": Delegation.objects.count(),
        "mayors_associations": MayorsAssociation.objects.exclude(department=None).count(),
    }


def delegation_by_code(code: str) -> Delegation | None:
    """The delegation of ``code`` (« 11 », « 2A »…), or ``None``; a code that no delegation could bear finds none."""
    return Delegation.objects.filter(code=code).first() if code.isascii() and code else None


def delegations_by_name() -> list[Delegation]:
    """The delegations in French alphabetical order (``french_sort_key``: « Île-de-France » among the I)."""
    return sorted(Delegation.objects.all(), key=lambda delegation: french_sort_key(delegation.name))


def delegations_with_department_counts() -> QuerySet[Delegation]:
    """Every regional delegation with its region and ``department_count``."""
    return Delegation.objects.select_related("region").annotate(department_count=Count("departments"))


# --- Accounts ------------------------------------------------------------------------------------


def accounts_manageable_by(user) -> QuerySet[User]:
    """Accounts ``user`` may invite, deactivate and reactivate; every other account does not exist for them.

    National staff: every account but superusers'. Delegation staff: the HR contacts and signatories
    of the collectivités in their delegation's départements.
    """
    accounts = User.objects.select_related("collectivity__department", "delegation")
    if permissions.is_national_staff(user):
        return accounts.filter(is_superuser=False)
    if permissions.is_delegation_staff(user):
        return accounts.filter(
            role__in=INVITABLE_ROLES, collectivity__department__delegations=user.delegation_id
        ).distinct()
    return accounts.none()
