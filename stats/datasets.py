"""What can be exported: each dataset turns an indicator (or the contract list) into a header and rows.

The rows are plain values (str, int, Decimal, float, date) that both the CSV and the XLSX writers take.
"""

from collections.abc import Callable
from dataclasses import dataclass

from . import selectors


@dataclass(frozen=True)
class Dataset:
    key: str
    label: str
    header: tuple[str, ...]
    build: Callable  # (user, delegation_id) -> list of tuples
    scoped_by_user: bool = False  # the rows depend on who asks (not only on the delegation)


def _rows(indicator, *keys):
    def build(user, delegation_id):
        return [tuple(row[key] for key in keys) for row in indicator(delegation_id=delegation_id)]

    return build


def _national(indicator, *keys):
    def build(user, delegation_id):
        return [tuple(row[key] for key in keys) for row in indicator()]

    return build


def _contract_rows(user, delegation_id):
    from agreements.selectors import contract_list

    contracts = contract_list(user).order_by("delegation__name", "reference", "pk")
    if delegation_id is not None:
        contracts = contracts.filter(delegation_id=delegation_id)
    return [
        (
            contract.reference or "",
            contract.title,
            contract.delegation.name,
            contract.get_status_display(),
            contract.start_date,
            contract.end_date,
            ", ".join(party.collectivity.name for party in contract.parties.all()),
        )
        for contract in contracts
    ]


_COVERAGE = ("communes", "covered_communes", "share_communes", "population", "covered_population", "share_population")
_COVERAGE_HEADER = (
    "Communes",
    "Communes couvertes",
    "Part des communes (%)",
    "Population",
    "Population couverte",
    "Part de la population (%)",
)

DATASETS: dict[str, Dataset] = {
    dataset.key: dataset
    for dataset in [
        Dataset(
            "contracts_by_status",
            "Contrats par statut",
            ("Statut", "Contrats"),
            _rows(selectors.contracts_by_status, "label", "count"),
        ),
        Dataset(
            "contracts_by_delegation",
            "Contrats par délégation",
            ("Délégation", "Contrats (hors brouillons)", "Contrats en vigueur"),
            _rows(selectors.contracts_by_delegation, "delegation", "contracts", "active"),
        ),
        Dataset(
            "contracts_by_year",
            "Contrats par année de début",
            ("Année", "Contrats (hors brouillons)", "Journées-stagiaires prévues"),
            _rows(selectors.contracts_by_year, "year", "contracts", "planned_trainee_days"),
        ),
        Dataset(
            "coverage_by_region",
            "Couverture territoriale par région",
            ("Code région", "Région", *_COVERAGE_HEADER),
            _rows(selectors.coverage_by_region, "code", "name", *_COVERAGE),
        ),
        Dataset(
            "coverage_by_department",
            "Couverture territoriale par département",
            ("Code département", "Département", "Région", *_COVERAGE_HEADER),
            _rows(selectors.coverage_by_department, "code", "name", "region", *_COVERAGE),
        ),
        Dataset(
            "trainee_days_by_theme",
            "Journées-stagiaires prévues et réalisées par thème",
            ("Thème", "Famille", "Prévues", "Réalisées", "Catalogue (hors contrat)", "Taux de réalisation (%)"),
            _rows(
                selectors.trainee_days_by_theme,
                "theme",
                "family",
                "planned_trainee_days",
                "delivered_trainee_days",
                "catalogue_trainee_days",
                "completion",
            ),
        ),
        Dataset(
            "trainee_days_by_scheme",
            "Journées-stagiaires par dispositif",
            ("Dispositif", "Programmées (inscrits)", "Réalisées"),
            _rows(selectors.trainee_days_by_scheme, "scheme", "scheduled_trainee_days", "delivered_trainee_days"),
        ),
        Dataset(
            "trainees_by_category",
            "Stagiaires par catégorie",
            ("Catégorie", "Stagiaires", "Part (%)", "Journées-stagiaires réalisées"),
            _rows(selectors.trainees_by_category, "label", "trainees", "share", "trainee_days"),
        ),
        Dataset(
            "events_by_kind",
            "Événements et participants",
            ("Type", "Événements publiés", "Participants", "Liste d'attente", "Présents", "Satisfaction (sur 5)"),
            _rows(
                selectors.events_by_kind, "label", "events", "participants", "waitlisted", "attended", "satisfaction"
            ),
        ),
        Dataset(
            "speakers_by_theme",
            "Intervenants par thème",
            ("Thème", "Intervenants", "Interventions en événement"),
            _rows(selectors.speakers_by_theme, "label", "speakers", "event_interventions"),
        ),
        Dataset(
            "speakers_by_region",
            "Intervenants par région",
            ("Région", "Intervenants", "Interventions en événement", "Interventions en formation"),
            _rows(selectors.speakers_by_region, "region", "speakers", "event_interventions", "training_interventions"),
        ),
        Dataset(
            "internships_by_status",
            "Stages INET par statut",
            ("Statut", "Stages"),
            _national(selectors.internships_by_status, "label", "count"),
        ),
        Dataset(
            "studies_by_status",
            "Études pour l'AMF par statut",
            ("Statut", "Études"),
            _national(selectors.studies_by_status, "label", "count"),
        ),
        Dataset(
            "exports_by_dataset",
            "Exports produits",
            ("Jeu de données", "Format", "Exports produits", "Échecs", "Lignes exportées"),
            _rows(selectors.exports_by_dataset, "label", "format", "done", "failed", "rows"),
        ),
        Dataset(
            "contracts",
            "Liste des contrats de mon périmètre",
            ("Référence", "Intitulé", "Délégation", "Statut", "Début", "Fin", "Collectivités parties"),
            _contract_rows,
            scoped_by_user=True,
        ),
    ]
}


def dataset_choices() -> list[tuple[str, str]]:
    return [(dataset.key, dataset.label) for dataset in DATASETS.values()]
