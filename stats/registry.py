"""The one declaration of each dataset of the statistics exchange.

Each ``Dataset`` names its columns once (key, French label, help text, Table Schema type); the
export files, their Table Schema, the open API's serializers and OpenAPI schema, the dashboard's
tables and charts and ``ExportRequest.dataset``'s choices are all derived from this module. Adding
an indicator is one entry here plus its selector.

Two kinds of datasets:
- **indicators** (``rows(delegation_id=…)``): aggregated, non-personal figures, public;
- **lists** (``rows(user=…, delegation_id=…)``): the rows a signed-in user can see in the interface,
  scoped like it, exported only by that user (``scoped_by_user``).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from partnership import permissions

from . import datasets_lists, selectors

# Table Schema field types (https://specs.frictionlessdata.io/table-schema/#types-and-formats).
STRING, INTEGER, NUMBER, DATE, YEAR, PERCENT, DAYS = "string", "integer", "number", "date", "year", "percent", "days"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    help: str
    type: str = INTEGER
    # Shown in the dashboard's table (codes are for machines: exports and the API carry them).
    on_dashboard: bool = True
    nullable: bool = False

    @property
    def schema_type(self) -> str:
        return {PERCENT: NUMBER, DAYS: NUMBER}.get(self.type, self.type)

    @property
    def is_numeric(self) -> bool:
        return self.type in (INTEGER, NUMBER, PERCENT, DAYS)


@dataclass(frozen=True)
class Chart:
    label: str  # the column naming each group of bars
    series: tuple[str, ...]  # the columns drawn as bars


@dataclass(frozen=True)
class Dataset:
    key: str
    label: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable[..., Iterable[dict]]
    national_only: bool = False
    scoped_by_user: bool = False
    api_path: str = ""  # under /api/v1/, for the public indicators
    chart: Chart | None = None
    caption: str = ""
    # Lists: who may request the export (the rows are scoped by the interface's selectors anyway).
    allowed: Callable[..., bool] | None = None
    # For the largest lists: a queryset of tuples in the columns' order (``user=``, ``delegation_id=``),
    # read without a dict per row, and written by PostgreSQL's ``COPY`` in CSV.
    queryset: Callable[..., QuerySet] | None = None

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(column.label for column in self.columns)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(column.key for column in self.columns)

    @property
    def api_name(self) -> str:
        return "api-" + self.api_path.strip("/").replace("/", "-") if self.api_path else ""

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)

    def iter_rows(self, *, user=None, delegation_id: int | None = None) -> Iterable[dict]:
        if self.scoped_by_user:
            return self.rows(user=user, delegation_id=delegation_id)
        if self.national_only:
            return self.rows()
        return self.rows(delegation_id=delegation_id)

    def iter_tuples(self, *, user=None, delegation_id: int | None = None) -> Iterable[tuple]:
        if self.queryset is not None:
            # Larger fetches than the pages': fewer round trips for a million small tuples.
            yield from self.queryset(user=user, delegation_id=delegation_id).iterator(chunk_size=20_000)
            return
        keys = self.keys
        for row in self.iter_rows(user=user, delegation_id=delegation_id):
            yield tuple(row[key] for key in keys)


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
        selectors.contracts_by_status,
        api_path="contracts/by-status/",
        chart=Chart("label", ("count",)),
        caption="Nombre de contrats de partenariat par statut (hors brouillons)",
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
        selectors.contracts_by_delegation,
        api_path="contracts/by-delegation/",
        chart=Chart("delegation", ("contracts", "active")),
        caption="Contrats hors brouillons et contrats en vigueur, par délégation",
    ),
    Dataset(
        "contracts_by_start_year",
        "Contrats par année de début",
        "Contrats hors brouillons, par année de leur date de début.",
        (
            Column("year", "Année de début", "Année de la date de début des contrats.", YEAR),
            Column("contracts", "Contrats (hors brouillons)", "Contrats hors brouillons commençant cette année-là."),
        ),
        selectors.contracts_by_start_year,
        api_path="contracts/by-start-year/",
        caption="Contrats (hors brouillons) par année de début",
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
        selectors.planned_trainee_days_by_year,
        api_path="trainee-days/planned-by-year/",
        caption="Journées-stagiaires prévues aux programmes des contrats, par année de programme",
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
        selectors.coverage_by_region,
        api_path="coverage/regions/",
        chart=_COVERAGE_CHART,
        caption="Communes et population couvertes par un contrat en vigueur, par région",
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
        selectors.coverage_by_department,
        api_path="coverage/departments/",
        caption="Communes et population couvertes par un contrat en vigueur, par département",
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
        selectors.trainee_days_by_theme,
        api_path="trainee-days/by-theme/",
        chart=Chart("theme", ("planned_trainee_days", "delivered_trainee_days")),
        caption="Journées-stagiaires prévues et réalisées par thème d'action",
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
        selectors.trainee_days_by_scheme,
        api_path="trainee-days/by-scheme/",
        chart=Chart("scheme", ("scheduled_trainee_days", "delivered_trainee_days")),
        caption="Journées-stagiaires programmées (inscrits confirmés) et réalisées, par dispositif de formation",
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
        selectors.trainees_by_category,
        api_path="trainees/by-category/",
        chart=Chart("label", ("trainees",)),
        caption="Inscriptions confirmées et journées-stagiaires réalisées, par catégorie d'agent",
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
        selectors.events_by_kind,
        api_path="events/by-kind/",
        chart=Chart("label", ("participants", "attended")),
        caption="Événements publiés, participants (inscriptions confirmées), présents et satisfaction, par type",
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
        selectors.speakers_by_theme,
        api_path="speakers/by-theme/",
        chart=Chart("label", ("speakers", "event_interventions")),
        caption="Intervenants par thème d'expertise et interventions dans les événements de ce thème",
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
        selectors.speakers_by_region,
        api_path="speakers/by-region/",
        caption="Intervenants déclarant la région et interventions qui s'y sont tenues",
    ),
    Dataset(
        "internships_by_status",
        "Stages INET par statut",
        "Stages d'élèves administrateurs territoriaux de l'INET à l'AMF, par statut (axe 5, chiffres nationaux).",
        _status_columns("Stages", "Nombre de stages dans ce statut."),
        selectors.internships_by_status,
        national_only=True,
        api_path="internships/by-status/",
        caption="Stages d'élèves administrateurs de l'INET à l'AMF, par statut",
    ),
    Dataset(
        "studies_by_status",
        "Études pour l'AMF par statut",
        "Études réalisées à la demande de l'AMF, par statut (axe 5, chiffres nationaux).",
        _status_columns("Études", "Nombre d'études dans ce statut."),
        selectors.studies_by_status,
        national_only=True,
        api_path="studies/by-status/",
        caption="Études réalisées à la demande de l'AMF, par statut",
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
        selectors.exports_by_dataset,
        api_path="exports/by-dataset/",
        caption="Exports produits, par jeu de données et format",
    ),
)


def _staff(user) -> bool:
    return permissions.is_cnfpt_staff(user) or permissions.is_amf_staff(user)


LISTS: tuple[Dataset, ...] = (
    Dataset(
        "contracts",
        "Liste des contrats de mon périmètre",
        "Les contrats de partenariat que vous voyez dans l'application.",
        (
            Column("reference", "Référence", "Référence du contrat (vide pour un brouillon).", STRING),
            Column("title", "Intitulé", "Intitulé du contrat.", STRING),
            Column("delegation", "Délégation", "Délégation régionale du CNFPT.", STRING),
            Column("status", "Statut", "Statut du contrat.", STRING),
            Column("start_date", "Début", "Date de début.", DATE),
            Column("end_date", "Fin", "Date de fin.", DATE),
            Column("parties", "Collectivités parties", "Collectivités signataires, séparées par des virgules.", STRING),
        ),
        datasets_lists.contract_rows,
        scoped_by_user=True,
        allowed=lambda user: _staff(user) or permissions.is_signatory(user),
    ),
    Dataset(
        "sessions",
        "Liste des sessions de formation de mon périmètre",
        "Les sessions de formation que vous voyez dans l'application, avec leurs inscrits.",
        (
            Column("action", "Action de formation", "Intitulé de l'action.", STRING),
            Column("delegation", "Délégation", "Délégation régionale du CNFPT.", STRING),
            Column("scheme", "Dispositif", "Dispositif de formation.", STRING),
            Column("theme", "Thème", "Thème de l'action.", STRING),
            Column("start_date", "Premier jour", "Premier jour de la session.", DATE),
            Column("end_date", "Dernier jour", "Dernier jour de la session.", DATE),
            Column("venue", "Lieu", "Commune du lieu de formation.", STRING),
            Column("status", "Statut", "Programmée ou annulée.", STRING),
            Column("capacity", "Places", "Nombre de places."),
            Column("confirmed", "Inscrits confirmés", "Inscriptions confirmées."),
            Column("waitlisted", "Liste d'attente", "Inscriptions en liste d'attente."),
        ),
        datasets_lists.session_rows,
        scoped_by_user=True,
        allowed=lambda user: _staff(user) or permissions.is_hr_contact(user),
    ),
    Dataset(
        "registrations",
        "Liste des inscriptions de mon périmètre",
        "Les inscriptions que vous voyez dans l'application (données personnelles : à protéger).",
        (
            Column("last_name", "Nom", "Nom de l'agent.", STRING),
            Column("first_name", "Prénom", "Prénom de l'agent.", STRING),
            Column("category", "Catégorie", "Catégorie hiérarchique : A, B ou C.", STRING),
            Column("employer", "Employeur", "Collectivité employeur.", STRING),
            Column("action", "Action de formation", "Intitulé de l'action.", STRING),
            Column("start_date", "Premier jour", "Premier jour de la session.", DATE),
            Column("status", "Statut", "Statut de l'inscription.", STRING),
            Column("present_half_days", "Demi-journées de présence", "Demi-journées où l'agent était présent."),
        ),
        datasets_lists.registration_rows,
        scoped_by_user=True,
        allowed=lambda user: _staff(user) or permissions.is_hr_contact(user),
    ),
    Dataset(
        "events",
        "Liste des événements",
        "Les événements que vous voyez dans l'application.",
        (
            Column("title", "Intitulé", "Intitulé de l'événement.", STRING),
            Column("kind", "Type", "Type d'événement.", STRING),
            Column("status", "Statut", "Statut de l'événement.", STRING),
            Column("delegation", "Délégation", "Délégation co-organisatrice, ou « National ».", STRING),
            Column("starts_at", "Date", "Jour de l'événement.", DATE),
            Column("venue", "Lieu", "Commune du lieu, ou « En ligne ».", STRING),
            Column("capacity", "Places", "Nombre de places."),
        ),
        datasets_lists.event_rows,
        scoped_by_user=True,
        allowed=lambda user: bool(user and user.is_authenticated),
    ),
    Dataset(
        "speakers",
        "Réseau d'intervenants",
        "Les intervenants du réseau que vous voyez dans l'annuaire (sans leurs coordonnées).",
        (
            Column("last_name", "Nom", "Nom de l'intervenant.", STRING),
            Column("first_name", "Prénom", "Prénom de l'intervenant.", STRING),
            Column("organisation", "Organisme", "Organisme de l'intervenant.", STRING),
            Column("job_title", "Fonction", "Fonction de l'intervenant.", STRING),
            Column("themes", "Thèmes d'expertise", "Thèmes d'expertise, séparés par des virgules.", STRING),
            Column("regions", "Régions", "Régions d'intervention, séparées par des virgules.", STRING),
            Column("is_active", "Actif", "« oui » si l'intervenant est actif.", STRING),
        ),
        datasets_lists.speaker_rows,
        scoped_by_user=True,
        allowed=permissions.can_view_speakers,
    ),
    Dataset(
        "collectivity_figures",
        "Chiffres par collectivité et par année",
        "Pour chaque commune et EPCI (hors Paris) : contrats signés ou en vigueur, agents formés, "
        "journées-stagiaires prévues et réalisées, par année ; au moins une ligne par collectivité. Les "
        "chiffres d'un contrat à plusieurs parties comptent pour chacune.",
        (
            Column("department", "Département", "Code INSEE du département.", STRING),
            Column("kind", "Nature", "Commune ou EPCI.", STRING),
            Column("code", "Code", "Code INSEE (commune) ou SIREN (EPCI).", STRING),
            Column("siren", "SIREN", "SIREN de la collectivité.", STRING),
            Column("name", "Collectivité", "Nom de la collectivité.", STRING),
            Column("year", "Année", "Année civile.", YEAR),
            Column("contracts", "Contrats", "Contrats signés, en vigueur ou passés couvrant cette année."),
            Column("trainees", "Agents formés", "Inscriptions confirmées de ses agents à des sessions maintenues."),
            Column(
                "planned_trainee_days",
                "Journées-stagiaires prévues",
                "Journées-stagiaires prévues cette année aux programmes de ses contrats.",
                DAYS,
            ),
            Column(
                "delivered_trainee_days",
                "Journées-stagiaires réalisées",
                "Demi-journées de présence de ses agents cette année × 0,5.",
                DAYS,
            ),
        ),
        datasets_lists.collectivity_rows,
        scoped_by_user=True,
        allowed=lambda user: _staff(user) or permissions.is_collectivity_user(user),
    ),
    Dataset(
        "anonymised_registrations",
        "Inscriptions anonymisées",
        "Une ligne par inscription, sans nom ni coordonnées : session, thème, dispositif, catégorie, "
        "code de l'employeur et demi-journées de présence.",
        (
            Column("session", "Session", "Identifiant de la session.", INTEGER),
            Column("start_date", "Premier jour", "Premier jour de la session.", DATE),
            Column("theme", "Thème", "Thème de l'action.", STRING),
            Column("scheme", "Dispositif", "Dispositif de formation.", STRING),
            Column("category", "Catégorie", "Catégorie hiérarchique : A, B ou C.", STRING),
            Column("employer_code", "Code de l'employeur", "Code INSEE (commune) ou SIREN (EPCI).", STRING),
            Column("status", "Statut", "Confirmée, En liste d'attente ou Annulée.", STRING),
            Column("present_half_days", "Demi-journées de présence", "Demi-journées où l'agent était présent."),
        ),
        datasets_lists.anonymised_registration_rows,
        scoped_by_user=True,
        allowed=_staff,
        queryset=datasets_lists.anonymised_queryset,
    ),
)

DATASETS: dict[str, Dataset] = {dataset.key: dataset for dataset in (*INDICATORS, *LISTS)}


def dataset_choices() -> list[tuple[str, str]]:
    return [(dataset.key, dataset.label) for dataset in DATASETS.values()]


def dataset_label(key: str) -> str:
    dataset = DATASETS.get(key)
    return dataset.label if dataset else key
