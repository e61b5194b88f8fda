"""Demonstration data: one account per role, then each app's demo, from a registry the apps fill.

Every person of the demo is fictional (``FICTIONAL_PEOPLE``, said on the login page and by ``seed_demo``):
accounts, signatories, agents, participants, speakers and students. The only real names are those of the
framework agreement's signatories, as the seed document (the press release announcing it) gives them
(``agreements/demo_framework.py``).

Each app contributes its part in its own ``<app>/demo.py``, discovered among the installed apps as
``<app>/todo.py`` is, by calling ``register(Seeder(key, position, seed))``; ``seed(accounts)`` receives the
demo accounts by key. The core imports no feature app. Positions say the order where it matters
(smaller first): the framework agreement (0) and the contracts (10) before events (20), whose speakers
train the sessions of trainings (40), which run under the contracts' programme lines. Everything here is
idempotent: running it again changes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from .demo_people import FICTIONAL_PEOPLE  # noqa: F401 — re-exported: the demo's statement
from .enums import CollectivityKind, Role
from .models import Collectivity, Delegation, User

DEMO_PASSWORD = "demo-partenariat-2026"  # noqa: S105 (public demo accounts, refused when DEBUG is off)


@dataclass(frozen=True)
class Seeder:
    """One app's part of the demo: ``seed(accounts)``, idempotent, run in ``position`` order."""

    key: str
    position: int
    seed: Callable[[dict[str, User]], None]


_SEEDERS: dict[str, Seeder] = {}


def register(seeder: Seeder) -> Seeder:
    if seeder.key in _SEEDERS and _SEEDERS[seeder.key] is not seeder:
        raise ValueError(f"Demo seeder {seeder.key!r} is declared twice.")
    _SEEDERS[seeder.key] = seeder
    return seeder


def seeders() -> list[Seeder]:
    """Every app's seeder, in order (each installed app's ``demo`` module is imported first)."""
    autodiscover_modules("demo")
    return sorted(_SEEDERS.values(), key=lambda seeder: (seeder.position, seeder.key))


@dataclass(frozen=True)
class DemoAccount:
    key: str
    email: str
    first_name: str
    last_name: str
    role: str
    delegation_region: str | None = None  # region INSEE code
    collectivity: tuple[str, str] | None = None  # (kind, code)
    function: str = ""
    is_staff: bool = False


DEMO_ACCOUNTS = [
    DemoAccount(
        "national",
        "national@demo.cnfpt.fr",
        "Nadia",
        "Benali",
        Role.NATIONAL_STAFF,
        function="Chargée de mission partenariats",
    ),
    DemoAccount(
        "delegation",
        "conseiller.ara@demo.cnfpt.fr",
        "Claire",
        "Morel",
        Role.DELEGATION_STAFF,
        delegation_region="84",
        function="Conseillère formation",
    ),
    DemoAccount(
        "delegate",
        "delegue.ara@demo.cnfpt.fr",
        "Bernard",
        "Roux",
        Role.DELEGATION_STAFF,
        delegation_region="84",
        function="Délégué régional",
    ),
    DemoAccount(
        "other_delegation",
        "conseiller.bretagne@demo.cnfpt.fr",
        "Yann",
        "Le Gall",
        Role.DELEGATION_STAFF,
        delegation_region="53",
        function="Conseiller formation",
    ),
    DemoAccount(
        "amf", "agent@demo.amf.asso.fr", "Sophie", "Durand", Role.AMF_STAFF, function="Chargée d'études", is_staff=True
    ),
    DemoAccount(
        "signatory",
        "maire@demo.saint-etienne.fr",
        "Mireille",
        "Fontanel",
        Role.SIGNATORY,
        collectivity=(CollectivityKind.COMMUNE, "42218"),
        function="Maire",
    ),
    DemoAccount(
        "other_signatory",
        "maire@demo.villeurbanne.fr",
        "Aurélien",
        "Castagné",
        Role.SIGNATORY,
        collectivity=(CollectivityKind.COMMUNE, "69266"),
        function="Maire",
    ),
    DemoAccount(
        "hr",
        "rh@demo.saint-etienne.fr",
        "Inès",
        "Garcia",
        Role.HR_CONTACT,
        collectivity=(CollectivityKind.COMMUNE, "42218"),
        function="Responsable formation",
    ),
    DemoAccount(
        "speaker",
        "intervenant@demo.example.fr",
        "Marc",
        "Lefèvre",
        Role.SPEAKER,
        function="Consultant en santé au travail",
    ),
]


def _scope_label(account: DemoAccount, delegations: dict, collectivities: dict) -> str:
    if account.delegation_region:
        return str(delegations.get(account.delegation_region, "?"))
    if account.collectivity:
        return str(collectivities.get(account.collectivity, "?"))
    if account.role in (Role.NATIONAL_STAFF, Role.AMF_STAFF):
        return "Toutes les délégations"
    return "Son profil"


def demo_accounts() -> list[dict]:
    """The demo accounts as shown on the development login page."""
    delegations = {d.region.code: d for d in Delegation.objects.select_related("region")}
    collectivities = {
        (c.kind, c.code): c.name
        for c in Collectivity.objects.filter(code__in=[a.collectivity[1] for a in DEMO_ACCOUNTS if a.collectivity])
    }
    labels = dict(Role.choices)
    return [
        {
            "role": labels[a.role] + (" (délégué régional)" if a.key == "delegate" else ""),
            "email": a.email,
            "scope": _scope_label(a, delegations, collectivities),
            "password": DEMO_PASSWORD,
        }
        for a in DEMO_ACCOUNTS
    ]


def seed_accounts() -> dict[str, User]:
    delegations = {d.region.code: d for d in Delegation.objects.select_related("region")}
    accounts = {}
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email=account.email).first()
        if user is None:
            delegation = delegations[account.delegation_region] if account.delegation_region else None
            collectivity = (
                Collectivity.objects.get(kind=account.collectivity[0], code=account.collectivity[1])
                if account.collectivity
                else None
            )
            user = User.objects.create_user(
                account.email,
                DEMO_PASSWORD,
                first_name=account.first_name,
                last_name=account.last_name,
                role=account.role,
                delegation=delegation,
                collectivity=collectivity,
                function=account.function,
                is_staff=account.is_staff,
            )
        accounts[account.key] = user
    return accounts


@transaction.atomic
def seed() -> dict[str, User]:
    """Create the demo accounts, then each app's demo data (the framework agreement first)."""
    if not Delegation.objects.exists():
        raise RuntimeError("Importez d'abord le référentiel territorial : python manage.py import_territories")
    accounts = seed_accounts()
    for seeder in seeders():
        seeder.seed(accounts)
    return accounts
