"""Nothing about a person can be forgotten: every model is walked, every personal-looking field must be declared.

A new table with a name, an e-mail, a phone number, an IP address, free text, a file or JSON fails
here until its app says, in ``<app>/personal_data.py``, whether it is kept (and why), anonymised or
deleted (and when), or is not about a person (and why).
"""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from partnership import personal_data
from stats.personal_data import PERSONAL_DATASETS
from stats.registry import DATASETS

# Types that hold what people type or upload.
PERSONAL_TYPES = (
    models.EmailField,
    models.GenericIPAddressField,
    models.TextField,
    models.JSONField,
    models.FileField,
)
# Words of a field's name that say it is about a person.
PERSONAL_WORDS = {
    "name",
    "email",
    "mail",
    "phone",
    "telephone",
    "ip",
    "address",
    "agent",
    "comment",
    "bio",
    "signatory",
    "signer",
    "student",
    "tutor",
    "author",
    "authors",
    "requester",
    "recipient",
    "actor",
    "repr",
    "filename",
    "job",
    "function",
    "organisation",
}


def looks_personal(field) -> bool:
    if isinstance(field, PERSONAL_TYPES):
        return True
    return isinstance(field, models.CharField) and bool(set(field.name.split("_")) & PERSONAL_WORDS)


def concrete_models():
    return [model for model in apps.get_models(include_auto_created=True) if not model._meta.proxy]


def test_every_personal_looking_field_of_every_model_is_declared():
    declared = personal_data.declared_fields()
    undeclared = [
        f"{model._meta.label}.{field.name}"
        for model in concrete_models()
        for field in model._meta.concrete_fields
        if looks_personal(field) and (model._meta.label_lower, field.name) not in declared
    ]
    assert undeclared == [], "déclarez ces champs dans <app>/personal_data.py (conservé, anonymisé, supprimé)"


def test_the_walk_looks_at_every_kind_of_personal_field():
    # What a new table would bring: each is caught, and a plain title or count is not.
    assert [
        looks_personal(field)
        for field in (
            models.CharField(name="contact_name", max_length=10),
            models.EmailField(name="courriel"),
            models.CharField(name="phone", max_length=10),
            models.GenericIPAddressField(name="seen_from"),
            models.TextField(name="notes"),
            models.FileField(name="scan"),
            models.JSONField(name="payload"),
            models.CharField(name="user_agent", max_length=10),
            models.CharField(name="title", max_length=10),
            models.PositiveIntegerField(name="capacity"),
        )
    ] == [True, True, True, True, True, True, True, True, False, False]


def test_every_declaration_names_a_real_field_once_with_a_reason_and_its_category():
    fields = {(m._meta.label_lower, f.name) for m in concrete_models() for f in m._meta.concrete_fields}
    keys = {category.key for category in personal_data.categories()}
    seen = []
    for declaration in personal_data.declarations():
        assert declaration.reason
        assert declaration.fate == personal_data.NOT_PERSONAL or declaration.category in keys, declaration
        for name in declaration.fields:
            assert (declaration.model.lower(), name) in fields, (declaration.model, name)
            seen.append((declaration.model.lower(), name))
    assert sorted(set(seen)) == sorted(seen), "un champ déclaré deux fois"


def test_every_dataset_with_a_name_column_is_known_to_name_people():
    naming = sorted(key for key, dataset in DATASETS.items() if {"last_name", "first_name"} & set(dataset.keys))
    assert naming == sorted(PERSONAL_DATASETS)


@pytest.mark.django_db
def test_the_personal_data_page_lists_every_category_from_the_registry(django_app, settings):
    settings.EXPORT_RETENTION_DAYS = 30
    settings.IMPORT_RETENTION_DAYS = 15
    settings.REMINDER_LOG_RETENTION_DAYS = 90
    page = django_app.get("/donnees-personnelles/")
    rows = [
        [row.th.get_text(), *(cell.get_text() for cell in row.select("td"))]
        for row in page.html.select("table tbody tr")
    ]
    assert [row[0] for row in rows] == [category.purpose for category in personal_data.categories()]
    assert [row[0] for row in rows] == [
        "Comptes de l'application",
        "Connexion avec ProConnect",
        "Demandes d'accès",
        "Contrats de partenariat et leur signature",
        "Accord-cadre et avenants",
        "Inscriptions aux formations et émargement",
        "Inscriptions aux événements",
        "Réseau d'intervenants",
        "Stages INET et études pour l'AMF",
        "Fichiers importés (inscriptions, présences)",
        "Exports demandés («\u00a0Mes exports\u00a0»)",
        "Rappels par e-mail",
        "Journal des actions",
    ]
    by_purpose = {row[0]: row for row in rows}
    assert by_purpose["Exports demandés («\u00a0Mes exports\u00a0»)"][3] == (
        "Le fichier est supprimé 1 mois après sa production, et aussitôt si une personne qu'il peut nommer est "
        "anonymisée\u00a0; la demande reste, sans fichier"
    )
    assert by_purpose["Fichiers importés (inscriptions, présences)"][3] == (
        "Le fichier est supprimé dès la fin de l'import\u00a0; le rapport d'erreurs et le nom du fichier, 15 jours après"
    )
    assert by_purpose["Rappels par e-mail"][3].startswith("Le nom jusqu'à l'envoi\u00a0; l'adresse 3 mois après")


def test_the_core_imports_no_feature_app_for_retention():
    source = (settings.BASE_DIR / "partnership" / "personal_data.py").read_text()
    services = (settings.BASE_DIR / "partnership" / "services.py").read_text()
    for app in ("agreements", "events", "trainings", "stats", "notifications"):
        assert f"from {app}" not in source and f"import {app}" not in source
        assert f"from {app}" not in services
