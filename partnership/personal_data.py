"""Personal data: what every app keeps about people, why and for how long, declared once; and the retention job.

Each app declares, in ``<app>/personal_data.py`` (loaded at start-up by ``PartnershipConfig.ready``):

- its **categories** (``Category``): what the « Données personnelles » page lists, one row each:
  purpose, people and data, legal basis, retention;
- each **field** that could hold something about a person (``declare``): kept (with its reason),
  anonymised or deleted (with when and how), or not personal (with why: a commune's name);
  ``tests/partnership/test_personal_data_registry.py`` walks every model and fails on a
  personal-looking field (name, e-mail, phone, IP address, user agent, free text, file, JSON) that
  no app declared;
- its **retention steps** (``RetentionStep``): what the daily job runs, in order
  (``personal_data_apply_retention``), each idempotent, each returning how many rows or files it
  changed.

The core declares its own here, at the bottom (accounts, the action log, imports, login sessions),
and knows no feature app: the apps come to it.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session as LoginSession
from django.db import models, transaction
from django.db.models import CharField, Max, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from . import history, imports
from .text import duration_label

logger = logging.getLogger(__name__)

KEPT = "kept"
ANONYMISED = "anonymised"
DELETED = "deleted"
NOT_PERSONAL = "not_personal"
FATES = (KEPT, ANONYMISED, DELETED, NOT_PERSONAL)

ANONYMISED_FIRST_NAME = "Personne"
ANONYMISED_LAST_NAME = "anonymisée"
RETENTION_BATCH_SIZE = 1000


@dataclass(frozen=True)
class Category:
    """One row of the « Données personnelles » page."""

    key: str
    purpose: str  # « Inscriptions aux formations et émargement »
    data: str  # « Agents inscrits : nom, prénom, e-mail… »
    legal_basis: str  # « Mission de service public de formation du CNFPT (art. 6-1-e) »
    retention: Callable[[], str]  # read when the page is shown: the delays come from the settings
    order: int = 100


@dataclass(frozen=True)
class Declaration:
    model: str  # « trainings.Registration »
    fields: tuple[str, ...]
    fate: str  # KEPT, ANONYMISED, DELETED or NOT_PERSONAL
    reason: str  # French: why it is kept, when and how it goes, or why it is not about a person
    category: str = ""  # the ``Category`` it belongs to (none for NOT_PERSONAL)
    # The field that stamps a row once anonymised: exports made before it may name the person.
    anonymised_at: str = ""


@dataclass(frozen=True)
class RetentionStep:
    key: str  # the job's report: {key: rows or files changed}
    label: str
    run: Callable[[datetime.datetime], int]
    order: int = 100


_CATEGORIES: dict[str, Category] = {}
_DECLARATIONS: list[Declaration] = []
_STEPS: dict[str, RetentionStep] = {}


def register_category(category: Category) -> Category:
    if category.key in _CATEGORIES and _CATEGORIES[category.key] is not category:
        raise ValueError(f"Personal data category {category.key!r} is declared twice.")
    _CATEGORIES[category.key] = category
    return category


def declare(model: str, fields, *, fate: str, reason: str, category: str = "", anonymised_at: str = "") -> Declaration:
    if fate not in FATES:
        raise ValueError(f"Unknown fate {fate!r} for {model}.")
    if fate != NOT_PERSONAL and not category:
        raise ValueError(f"{model}: personal data belongs to a category of the « Données personnelles » page.")
    declaration = Declaration(model, tuple(fields), fate, reason, category, anonymised_at)
    _DECLARATIONS.append(declaration)
    return declaration


def register_step(step: RetentionStep) -> RetentionStep:
    if step.key in _STEPS and _STEPS[step.key] is not step:
        raise ValueError(f"Retention step {step.key!r} is declared twice.")
    _STEPS[step.key] = step
    return step


def categories() -> list[Category]:
    return sorted(_CATEGORIES.values(), key=lambda category: (category.order, category.purpose))


def declarations() -> list[Declaration]:
    return list(_DECLARATIONS)


def declared_fields() -> dict[tuple[str, str], Declaration]:
    """(model label in lower case, field name) → its declaration."""
    return {(d.model.lower(), name): d for d in _DECLARATIONS for name in d.fields}


def steps() -> list[RetentionStep]:
    return sorted(_STEPS.values(), key=lambda step: (step.order, step.key))


def last_anonymisation() -> datetime.datetime | None:
    """When the most recent person was anonymised or erased, whatever the app (one MAX per declared stamp)."""
    stamps = {(d.model, d.anonymised_at) for d in _DECLARATIONS if d.anonymised_at}
    found = [apps.get_model(model).objects.aggregate(last=Max(field))["last"] for model, field in sorted(stamps)]
    found = [stamp for stamp in found if stamp is not None]
    return max(found) if found else None


# --- The job ------------------------------------------------------------------------------------


def personal_data_apply_retention(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Run every app's retention step, in order; return what each changed.

    Every step is idempotent and works by short transactions: two runs at once, or a run started
    again after a crash, change nothing twice and skip nothing. What the statistics count stays
    (categories, employers, statuses, attendance, ratings): every public figure is the same after.
    Side effects: those of the steps (UPDATEs of people's rows, files deleted), no e-mail.
    """
    now = now or timezone.now()
    result = {step.key: step.run(now) for step in steps()}
    if any(result.values()):
        logger.info("retention: %s", ", ".join(f"{key} {count}" for key, count in result.items()))
    return result


def retention_cutoff(now: datetime.datetime) -> datetime.datetime:
    """People of sessions and events over before this are anonymised (``PERSONAL_DATA_RETENTION_DAYS``)."""
    return now - datetime.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)


def anonymised_email(prefix: str):
    """``prefix-<pk>@anonymise.invalid``: unique per row, so unique constraints on e-mail still hold."""
    return Concat(Value(f"{prefix}-"), Cast("pk", CharField()), Value("@anonymise.invalid"))


def anonymise_in_batches(queryset, *, now, fields: dict, after_batch=None) -> int:
    """Anonymise the rows of ``queryset`` (a model with ``anonymised_at``) by batches, each in its own short transaction.

    Each UPDATE repeats ``anonymised_at IS NULL``, so two runs at once, or a run interrupted and
    started again, never anonymise a row twice nor skip one. ``after_batch(ids)`` runs in the batch's
    transaction (the rows hanging from those people: comments, admin log entries).
    """
    total = 0
    while True:
        batch = list(
            queryset.filter(anonymised_at__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:RETENTION_BATCH_SIZE]
        )
        if not batch:
            return total
        with transaction.atomic():
            done = queryset.model.objects.filter(pk__in=batch, anonymised_at__isnull=True).update(
                anonymised_at=now, **fields
            )
            forget_admin_log(queryset.model, batch)
            if after_batch is not None:
                after_batch(batch)
        total += done


def anonymise_registrants(registrations, *, now, email_prefix: str, cleared: dict, events, after_batch=None) -> int:
    """People registered to something over (sessions, events): names and address replaced in place,
    ``cleared`` fields emptied, and the history of ``events`` (the sessions or events) stops naming them."""
    count = anonymise_in_batches(
        registrations,
        now=now,
        fields={
            "first_name": ANONYMISED_FIRST_NAME,
            "last_name": ANONYMISED_LAST_NAME,
            "email": anonymised_email(email_prefix),
            **cleared,
        },
        after_batch=after_batch,
    )
    history.anonymise_people(
        objects=events, replacement=f"Inscription de {ANONYMISED_FIRST_NAME} {ANONYMISED_LAST_NAME}"
    )
    return count


def forget_admin_log(model: type[models.Model], ids) -> int:
    """The Django admin's own log names an object as it read then (``object_repr``): the person goes from it too."""
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=[str(pk) for pk in ids]
    ).update(object_repr=f"{ANONYMISED_FIRST_NAME} {ANONYMISED_LAST_NAME}", change_message="")


def _login_sessions_expire(now: datetime.datetime) -> int:
    # Django leaves expired login sessions in the table (``clearsessions``): they go here, daily.
    deleted, _ = LoginSession.objects.filter(expire_date__lt=now).delete()
    return deleted


# --- What the core keeps ----------------------------------------------------------------------------

register_category(
    Category(
        "accounts",
        "Comptes de l'application",
        "Agents du CNFPT et de l'AMF, référents RH et signataires des collectivités, intervenants\u00a0: nom, "
        "prénom, e-mail, fonction, téléphone, collectivité ou délégation\u00a0; session de connexion",
        "Mission d'intérêt public (RGPD, art. 6-1-e)",
        lambda: (
            "Tant que le compte est ouvert\u00a0; un compte désactivé peut être supprimé sur demande. "
            "Une session de connexion est supprimée le lendemain de son expiration"
        ),
        order=10,
    )
)
register_category(
    Category(
        "action_log",
        "Journal des actions",
        "Personnel du CNFPT et de l'AMF qui agit\u00a0: nom et rôle, ce qui a été fait et quand\u00a0; les personnes "
        "inscrites n'y sont nommées que dans «\u00a0concerne\u00a0»",
        "Mission d'intérêt public et traçabilité des décisions (art. 6-1-e)",
        lambda: (
            "Le nom du personnel, tant que l'objet existe\u00a0; celui des personnes inscrites est effacé avec "
            "leur inscription (anonymisation ci-dessous)"
        ),
        order=80,
    )
)
register_category(
    Category(
        "imports",
        "Fichiers importés (inscriptions, présences)",
        "Lignes des fichiers CSV envoyés\u00a0: noms, e-mails, catégories des agents\u00a0; nom du fichier",
        "Mission de service public de formation du CNFPT (art. 6-1-e)",
        lambda: (
            "Le fichier est supprimé dès la fin de l'import\u00a0; le rapport d'erreurs et le nom du fichier, "
            f"{duration_label(settings.IMPORT_RETENTION_DAYS)} après"
        ),
        order=60,
    )
)

declare(
    "partnership.User",
    ["email", "first_name", "last_name", "function", "phone", "password"],
    fate=KEPT,
    category="accounts",
    reason="Le compte de la personne, tant qu'il est ouvert (le mot de passe n'est gardé que haché).",
)
declare(
    "sessions.Session",
    ["session_data"],
    fate=DELETED,
    category="accounts",
    reason="Session de connexion (identifiant du compte, messages de la page suivante), supprimée après expiration.",
)
declare(
    "partnership.ActionLogEntry",
    ["actor_label"],
    fate=KEPT,
    category="action_log",
    reason="Le nom du personnel qui a agi : la traçabilité des décisions du service.",
)
declare(
    "partnership.ActionLogEntry",
    ["subject"],
    fate=ANONYMISED,
    category="action_log",
    reason="Nomme la personne inscrite : effacé avec son inscription (history.anonymise_people).",
)
declare(
    "partnership.ActionLogEntry",
    ["changes"],
    fate=KEPT,
    category="action_log",
    reason="Valeurs des objets modifiés par le personnel ; jamais une personne inscrite ; les valeurs d'un "
    "intervenant effacé sont effacées (history.erase_person).",
)
declare(
    "admin.LogEntry",
    ["object_repr", "change_message"],
    fate=ANONYMISED,
    category="action_log",
    reason="Le journal de l'administration Django nomme l'objet modifié : effacé avec la personne (forget_admin_log).",
)
declare(
    "admin.LogEntry",
    ["object_id"],
    fate=NOT_PERSONAL,
    reason="Identifiant numérique d'une ligne.",
)
declare(
    "partnership.ImportRequest",
    ["filename", "errors", "error", "file", "report"],
    fate=DELETED,
    category="imports",
    reason="Le fichier envoyé est supprimé à la fin de l'import ; le rapport, les erreurs (qui citent les lignes) et "
    "le nom du fichier après IMPORT_RETENTION_DAYS (imports.imports_expire).",
)
declare(
    "partnership.ImportRequest",
    ["parameters", "target_label", "target_url", "summary"],
    fate=NOT_PERSONAL,
    reason="Identifiants et intitulé de la session visée, décompte des lignes importées.",
)
declare("auth.Permission", ["name"], fate=NOT_PERSONAL, reason="Nom d'une permission de Django.")
declare("auth.Group", ["name"], fate=NOT_PERSONAL, reason="Nom d'un groupe de permissions.")
declare(
    "partnership.OutboxTask",
    ["task_name", "args", "last_error"],
    fate=NOT_PERSONAL,
    reason="Les tâches ne portent que des identifiants (partnership.dispatch) ; l'erreur est celle du courtier.",
)
declare(
    "partnership.Region",
    ["name"],
    fate=NOT_PERSONAL,
    reason="Nom d'une région (référentiel de l'INSEE).",
)
declare(
    "partnership.Department",
    ["name"],
    fate=NOT_PERSONAL,
    reason="Nom d'un département (référentiel de l'INSEE).",
)
declare(
    "partnership.Collectivity",
    ["name", "search_name", "postal_codes"],
    fate=NOT_PERSONAL,
    reason="Nom et codes postaux d'une commune ou d'un EPCI (référentiel de l'INSEE et de la DGCL).",
)
declare(
    "partnership.Delegation",
    ["name", "seat", "email"],
    fate=NOT_PERSONAL,
    reason="Nom, siège et adresse fonctionnelle d'une délégation du CNFPT, pas d'une personne.",
)
declare(
    "partnership.MayorsAssociation",
    ["name", "email"],
    fate=NOT_PERSONAL,
    reason="Nom et adresse fonctionnelle d'une association départementale de maires.",
)

register_step(
    RetentionStep("imports", "Rapports d'import expirés", lambda now: imports.imports_expire(now=now), order=70)
)
register_step(RetentionStep("login_sessions", "Sessions de connexion expirées", _login_sessions_expire, order=90))
