"""Demonstration data: one account per role and the framework agreement of the seed document.

Every person of the demo is fictional (``FICTIONAL_PEOPLE``, said on the login page and by ``seed_demo``):
accounts, signatories, agents, participants, speakers and students. The only real names are those of the
framework agreement's signatories, as the seed document (the press release announcing it) gives them.

Each feature extends ``seed_demo`` with its own ``<app>.demo.seed`` function (listed in
``DEMO_SEEDERS``). Everything here is idempotent: running it again changes nothing.
"""

from dataclasses import dataclass

from django.db import transaction

from agreements import demo as agreements_demo
from agreements.axis5 import demo as axis5_demo
from agreements.models import CollaborationAxis, FrameworkAgreement
from events import demo as events_demo
from trainings import demo as trainings_demo

from .demo_people import FICTIONAL_PEOPLE  # noqa: F401 — re-exported: the demo's statement
from .enums import CollectivityKind, Role
from .models import Collectivity, Delegation, User

DEMO_PASSWORD = "demo-partenariat-2026"  # noqa: S105 (public demo accounts, refused when DEBUG is off)

# Later features add "<app>.demo" modules (axis 5: "agreements.axis5.demo") exposing ``seed(accounts: dict[str, User])``.
# Events before trainings: the sessions' trainers are speakers of the events' demo.
DEMO_SEEDERS = [agreements_demo, events_demo, axis5_demo, trainings_demo]

# The five axes, word for word as in the seed document (accord-cadre-cnfpt-amf.txt).
AXES = [
    "promouvoir les dispositifs de formation de la loi du 19 février 2007 auprès des communes",
    "co-organiser des actions événementielles (séminaires, colloques…) sur des sujets d’actualité",
    "favoriser l’échange de données statistiques",
    "favoriser la constitution d’un réseau d’intervenants",
    "favoriser l’accès des élèves administrateurs territoriaux de l’INET à des stages au sein de l’AMF "
    "et la réalisation d’études à la demande de l’AMF",
]

PREAMBLE = (
    "Par la signature de cet accord-cadre, les deux institutions reconnaissent la nécessité de promouvoir une "
    "politique de formation et de développement des compétences, accompagnant et anticipant l’évolution des "
    "missions, des fonctions et des métiers des agents communaux et intercommunaux et ce, dans un contexte de "
    "multiplication et de complexification des politiques publiques déclinées au sein des territoires."
)


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


def seed_framework_agreement() -> FrameworkAgreement:
    agreement, _ = FrameworkAgreement.objects.get_or_create(
        title="Accord-cadre de coopération entre le CNFPT et l’AMF",
        defaults={
            "cnfpt_signatory": "François Deluga",
            "cnfpt_signatory_function": "président du Centre national de la fonction publique territoriale",
            "amf_signatory": "Jacques Pélissard",
            "amf_signatory_function": "président de l’Association des maires de France",
            "signed_at_place": "l’AMF",
            "preamble": PREAMBLE,
        },
    )
    for number, title in enumerate(AXES, start=1):
        CollaborationAxis.objects.get_or_create(agreement=agreement, number=number, defaults={"title": title})
    return agreement


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
    """Create the demo accounts, the framework agreement and each feature's demo data."""
    if not Delegation.objects.exists():
        raise RuntimeError("Importez d'abord le référentiel territorial : python manage.py import_territories")
    seed_framework_agreement()
    accounts = seed_accounts()
    for module in DEMO_SEEDERS:
        module.seed(accounts)
    return accounts
