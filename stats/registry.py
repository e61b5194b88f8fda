"""The one declaration of each dataset of the statistics exchange.

Each ``Dataset`` names its columns once (key, French label, help text, Table Schema type); the
export files, their Table Schema, the open API's serializers and OpenAPI schema, the dashboard's
sections, tables and charts and ``ExportRequest.dataset``'s choices are all derived from this module.
Adding an indicator is one entry here (with its place on the dashboard) plus its selector.

Two kinds of datasets:
- **indicators** (``rows(delegation_id=…)``): aggregated, non-personal figures, public, declared here
  in their order on the dashboard within each axis (``Placement``);
- **lists** (``rows(user=…, delegation_id=…)``): the rows a signed-in user can see in the interface,
  scoped like it, exported only by that user (``scoped_by_user``), declared in ``stats.registry_lists``.
"""

from . import indicators
from .datasets import (
    DATE,
    DAYS,
    INTEGER,
    NUMBER,
    PERCENT,
    STRING,
    YEAR,
    Chart,
    Column,
    Dataset,
    Placement,
    register,
)
from .registry_lists import LISTS

# The declaration types, for the modules that read the registry (API, Table Schema, dashboard).
__all__ = [
    "DATASETS",
    "DATE",
    "DAYS",
    "INDICATORS",
    "INTEGER",
    "LISTS",
    "NUMBER",
    "PERCENT",
    "STRING",
    "YEAR",
    "Chart",
    "Column",
    "Dataset",
    "Placement",
]


def _status_columns(noun: str, help_count: str) -> tuple[Column, ...]:
    return (
        Column("status", "Code du statut", "Code stable du statut.", STRING, on_dashboard=False),
        Column("label", "Statut", "Libellé du statut, en français.", STRING),
        Column("count", noun, help_count),
    )


_COVERAGE = (
    Column("communes", "Communes", "Nombre de communes (hors Paris, qui ne relève pas du CNFPT)."),
    Column(
        "covered_communes",
        "Communes couvertes",
        "Communes parties à un contrat en vigueur, ou membres d'un EPCI partie à un contrat en vigueur.",
    ),
    Column("share_communes", "Part des communes (%)", "Part des communes couvertes, en pourcentage.", PERCENT),
    Column("population", "Population", "Population municipale (INSEE)."),
    Column("covered_population", "Population couverte", "Population des communes couvertes."),
    Column("share_population", "Part de la population (%)", "Part de la population couverte, en pourcentage.", PERCENT),
)
_COVERAGE_CHART = Chart("name", ("share_communes", "share_population"))

INDICATORS: tuple[Dataset, ...] = (
    Dataset(
        "contracts_by_status",
        "Contrats par statut",
        "Nombre de contrats de partenariat dans chaque statut, de l’envoi à la signature à la résiliation "
        "(les brouillons, travail en cours des délégations, ne sont pas publiés).",
        _status_columns("Contrats", "Nombre de contrats dans ce statut."),
        indicators.contracts_by_status,
        api_path="contracts/by-status/",
        chart=Chart("label", ("count",)),
        caption="Nombre de contrats de partenariat par statut (hors brouillons)",
        dashboard=Placement(1, "Contrats par statut", grid="contracts", column=0),
    ),
    Dataset(
        "contracts_by_delegation",
        "Contrats par délégation",
        "Contrats hors brouillons et contrats en vigueur de chaque délégation régionale du CNFPT.",
        (
            Column(
                "code",
                "Code de la délégation",
                "Code de la délégation régionale (paramètre « delegation » des autres points).",
                STRING,
                on_dashboard=False,
            ),
            Column("delegation", "Délégation", "Nom de la délégation régionale du CNFPT.", STRING),
            Column("contracts", "Contrats (hors brouillons)", "Contrats de partenariat hors brouillons."),
            Column("active", "Contrats en vigueur", "Contrats en vigueur."),
        ),
        indicators.contracts_by_delegation,
        api_path="contracts/by-delegation/",
        chart=Chart("delegation", ("contracts", "active")),
        caption="Contrats hors brouillons et contrats en vigueur, par délégation",
        dashboard=Placement(1, "Contrats par délégation régionale"),
    ),
    Dataset(
        "contracts_by_start_year",
        "Contrats par année de début",
        "Contrats hors brouillons, par année de leur date de début.",
        (
            Column("year", "Année de début", "Année de la date de début des contrats.", YEAR),
            Column("contracts", "Contrats (hors brouillons)", "Contrats hors brouillons commençant cette année-là."),
        ),
        indicators.contracts_by_start_year,
        api_path="contracts/by-start-year/",
        caption="Contrats (hors brouillons) par année de début",
        dashboard=Placement(1, "Contrats par année de début", grid="contracts", column=1),
    ),
    Dataset(
        "planned_trainee_days_by_year",
        "Journées-stagiaires prévues par année de programme",
        "Journées-stagiaires (jours × stagiaires) prévues aux programmes annuels des contrats signés, "
        "en vigueur ou passés, par année de programme.",
        (
            Column("year", "Année de programme", "Année du programme annuel du contrat.", YEAR),
            Column("contracts", "Contrats", "Contrats dont le programme prévoit des actions cette année-là."),
            Column(
                "planned_trainee_days",
                "Journées-stagiaires prévues",
                "Σ jours prévus × stagiaires prévus des lignes de programme de l'année.",
                DAYS,
            ),
        ),
        indicators.planned_trainee_days_by_year,
        api_path="trainee-days/planned-by-year/",
        caption="Journées-stagiaires prévues aux programmes des contrats, par année de programme",
        dashboard=Placement(1, "Journées-stagiaires prévues par année de programme", grid="contracts", column=1),
    ),
    Dataset(
        "coverage_by_region",
        "Couverture territoriale par région",
        "Communes et population couvertes par un contrat en vigueur (directement ou par leur EPCI), par "
        "région. Paris, hors du champ du CNFPT, n'est compté ni parmi les communes ni parmi les couvertes.",
        (
            Column("code", "Code région", "Code INSEE de la région.", STRING, on_dashboard=False),
            Column("name", "Région", "Nom de la région.", STRING),
            *_COVERAGE,
        ),
        indicators.coverage_by_region,
        api_path="coverage/regions/",
        chart=_COVERAGE_CHART,
        caption="Communes et population couvertes par un contrat en vigueur, par région",
        dashboard=Placement(
            1,
            "Couverture territoriale",
            anchor="couverture",
            note="Une commune est couverte si elle est partie à un contrat en vigueur, ou membre d'un EPCI qui "
            "l'est. Population municipale (INSEE). Paris, qui ne relève pas du CNFPT (« à l'exception du "
            "département et de la ville de Paris »), n'est compté ni parmi les communes couvertes ni dans le "
            "total, même lorsque la Métropole du Grand Paris est partie à un contrat.",
            coverage_map=True,
        ),
    ),
    Dataset(
        "coverage_by_department",
        "Couverture territoriale par département",
        "Communes et population couvertes par un contrat en vigueur (directement ou par leur EPCI), par "
        "département. Paris, hors du champ du CNFPT, n'est compté ni parmi les communes ni parmi les couvertes.",
        (
            Column("code", "Code département", "Code INSEE du département.", STRING),
            Column("name", "Département", "Nom du département.", STRING),
            Column("region", "Région", "Région du département.", STRING),
            *_COVERAGE,
        ),
        indicators.coverage_by_department,
        api_path="coverage/departments/",
        caption="Communes et population couvertes par un contrat en vigueur, par département",
        dashboard=Placement(1, folded="Couverture par département ({count})"),
    ),
    Dataset(
        "trainee_days_by_theme",
        "Journées-stagiaires prévues et réalisées par thème",
        "Journées-stagiaires prévues aux contrats et réalisées, par thème d'action.",
        (
            Column("theme", "Thème", "Thème d'action des contrats.", STRING),
            Column("family", "Famille", "Famille d'actions : accompagnement RH ou projets du CNFPT.", STRING),
            Column(
                "planned_trainee_days",
                "Prévues",
                "Journées-stagiaires prévues aux programmes des contrats signés, en vigueur ou passés.",
                DAYS,
            ),
            Column(
                "delivered_trainee_days",
                "Réalisées",
                "Journées-stagiaires réalisées dans les actions de ces contrats (demi-journées de présence × 0,5).",
                DAYS,
            ),
            Column(
                "catalogue_trainee_days",
                "Catalogue (hors contrat)",
                "Journées-stagiaires réalisées dans les actions du catalogue, hors contrat.",
                DAYS,
            ),
            Column("completion", "Taux de réalisation (%)", "Réalisées / prévues, en pourcentage.", PERCENT),
        ),
        indicators.trainee_days_by_theme,
        api_path="trainee-days/by-theme/",
        chart=Chart("theme", ("planned_trainee_days", "delivered_trainee_days")),
        caption="Journées-stagiaires prévues et réalisées par thème d'action",
        dashboard=Placement(
            1,
            "Journées-stagiaires prévues et réalisées, par thème",
            note="Prévues : programme des contrats signés, en vigueur ou passés (jours × stagiaires). Réalisées : "
            "demi-journées de présence × 0,5 dans les actions de ces contrats ; catalogue : actions inter hors contrat.",
        ),
    ),
    Dataset(
        "trainee_days_by_scheme",
        "Journées-stagiaires par dispositif",
        "Journées-stagiaires programmées et réalisées, par dispositif de formation.",
        (
            Column("scheme", "Dispositif", "Dispositif de formation (loi du 19 février 2007).", STRING),
            Column(
                "scheduled_trainee_days",
                "Programmées (inscrits)",
                "Journées-stagiaires programmées : demi-journées des sessions × inscrits confirmés × 0,5.",
                DAYS,
            ),
            Column(
                "delivered_trainee_days",
                "Réalisées",
                "Journées-stagiaires réalisées : demi-journées de présence × 0,5.",
                DAYS,
            ),
        ),
        indicators.trainee_days_by_scheme,
        api_path="trainee-days/by-scheme/",
        chart=Chart("scheme", ("scheduled_trainee_days", "delivered_trainee_days")),
        caption="Journées-stagiaires programmées (inscrits confirmés) et réalisées, par dispositif de formation",
        dashboard=Placement(1, "Journées-stagiaires par dispositif", grid="trainees", column=0),
    ),
    Dataset(
        "trainees_by_category",
        "Stagiaires par catégorie",
        "Stagiaires (inscriptions confirmées) et journées-stagiaires réalisées, par catégorie A, B, C.",
        (
            Column(
                "category", "Code de la catégorie", "Catégorie hiérarchique : A, B ou C.", STRING, on_dashboard=False
            ),
            Column("label", "Catégorie", "Libellé de la catégorie.", STRING),
            Column("trainees", "Stagiaires", "Inscriptions confirmées à des sessions non annulées."),
            Column("share", "Part (%)", "Part de la catégorie parmi les stagiaires, en pourcentage.", PERCENT),
            Column("trainee_days", "Journées-stagiaires réalisées", "Journées-stagiaires réalisées.", DAYS),
        ),
        indicators.trainees_by_category,
        api_path="trainees/by-category/",
        chart=Chart("label", ("trainees",)),
        caption="Inscriptions confirmées et journées-stagiaires réalisées, par catégorie d'agent",
        dashboard=Placement(1, "Stagiaires par catégorie", grid="trainees", column=1),
    ),
    Dataset(
        "events_by_kind",
        "Événements et participants",
        "Événements co-organisés publiés, participants, présents et satisfaction, par type d'événement (axe 2).",
        (
            Column("kind", "Code du type", "Code du type d'événement.", STRING, on_dashboard=False),
            Column("label", "Type", "Séminaire, colloque, webinaire, réunion d'information.", STRING),
            Column("events", "Événements publiés", "Événements publiés."),
            Column("participants", "Participants", "Inscriptions confirmées."),
            Column("waitlisted", "Liste d'attente", "Inscriptions en liste d'attente."),
            Column("attended", "Présents", "Participants dont la présence a été pointée."),
            Column(
                "satisfaction",
                "Satisfaction (sur 5)",
                "Note moyenne de satisfaction sur 5 ; vide sans aucun avis.",
                NUMBER,
                nullable=True,
            ),
        ),
        indicators.events_by_kind,
        api_path="events/by-kind/",
        chart=Chart("label", ("participants", "attended")),
        caption="Événements publiés, participants (inscriptions confirmées), présents et satisfaction, par type",
        dashboard=Placement(2),
    ),
    Dataset(
        "speakers_by_theme",
        "Intervenants par thème",
        "Intervenants du réseau et interventions en événement, par thème d'expertise (axe 4).",
        (
            Column("theme", "Code du thème", "Code du thème d'expertise.", STRING, on_dashboard=False),
            Column("label", "Thème", "Thème d'expertise.", STRING),
            Column("speakers", "Intervenants", "Intervenants actifs déclarant ce thème (réseau national)."),
            Column(
                "event_interventions",
                "Interventions en événement",
                "Interventions (intervenant × créneau) dans les événements publiés de ce thème.",
            ),
        ),
        indicators.speakers_by_theme,
        api_path="speakers/by-theme/",
        chart=Chart("label", ("speakers", "event_interventions")),
        caption="Intervenants par thème d'expertise et interventions dans les événements de ce thème",
        dashboard=Placement(4),
    ),
    Dataset(
        "speakers_by_region",
        "Intervenants par région",
        "Intervenants du réseau et interventions en événement et en formation, par région (axe 4).",
        (
            Column("code", "Code région", "Code INSEE de la région.", STRING, on_dashboard=False),
            Column("region", "Région", "Nom de la région.", STRING),
            Column("speakers", "Intervenants", "Intervenants actifs déclarant intervenir dans la région."),
            Column("event_interventions", "En événement", "Interventions dans des événements tenus dans la région."),
            Column("training_interventions", "En formation", "Interventions dans des sessions tenues dans la région."),
        ),
        indicators.speakers_by_region,
        api_path="speakers/by-region/",
        caption="Intervenants déclarant la région et interventions qui s'y sont tenues",
        dashboard=Placement(4, folded="Intervenants par région"),
    ),
    Dataset(
        "internships_by_status",
        "Stages INET par statut",
        "Stages d'élèves administrateurs territoriaux de l'INET à l'AMF, par statut (axe 5, chiffres nationaux).",
        _status_columns("Stages", "Nombre de stages dans ce statut."),
        indicators.internships_by_status,
        national_only=True,
        api_path="internships/by-status/",
        caption="Stages d'élèves administrateurs de l'INET à l'AMF, par statut",
        dashboard=Placement(5, grid="axis5", column=0, column_class="col-md-6"),
    ),
    Dataset(
        "studies_by_status",
        "Études pour l'AMF par statut",
        "Études réalisées à la demande de l'AMF, par statut (axe 5, chiffres nationaux).",
        _status_columns("Études", "Nombre d'études dans ce statut."),
        indicators.studies_by_status,
        national_only=True,
        api_path="studies/by-status/",
        caption="Études réalisées à la demande de l'AMF, par statut",
        dashboard=Placement(5, grid="axis5", column=1, column_class="col-md-6"),
    ),
    Dataset(
        "exports_by_dataset",
        "Exports produits",
        "Exports de statistiques produits, par jeu de données et format (axe 3).",
        (
            Column("dataset", "Code du jeu de données", "Code du jeu de données exporté.", STRING, on_dashboard=False),
            Column("label", "Jeu de données", "Jeu de données exporté.", STRING),
            Column("format", "Format", "Format du fichier (CSV ou XLSX).", STRING),
            Column("done", "Exports produits", "Exports produits."),
            Column("failed", "Échecs", "Exports en échec."),
            Column("rows", "Lignes exportées", "Lignes exportées au total."),
        ),
        indicators.exports_by_dataset,
        api_path="exports/by-dataset/",
        caption="Exports produits, par jeu de données et format",
        dashboard=Placement(3),
    ),
)


# Every dataset by key (``stats.datasets.DATASETS``, filled here once): indicators, then lists.
DATASETS: dict[str, Dataset] = register(*INDICATORS, *LISTS)
