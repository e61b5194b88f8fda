"""The list datasets of the exchange: the rows a signed-in user sees in the interface, which only they may export."""

from partnership import permissions

from . import datasets_lists
from .datasets import DATE, DAYS, INTEGER, STRING, YEAR, Column, Dataset


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
