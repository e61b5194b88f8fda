"""The demo's framework agreement: the seed document's signatories, preamble and five axes (``seed_demo``)."""

from .models import CollaborationAxis, FrameworkAgreement

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


def seed_framework_agreement() -> FrameworkAgreement:
    """The framework agreement of the seed document, with its axes (idempotent)."""
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


def seed(accounts) -> None:
    seed_framework_agreement()
