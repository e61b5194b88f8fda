"""What the statistics keep about people (``partnership.personal_data``): the files of the list exports."""

from django.conf import settings

from partnership.personal_data import (
    DELETED,
    NOT_PERSONAL,
    Category,
    RetentionStep,
    declare,
    last_anonymisation,
    register_category,
    register_step,
)
from partnership.text import duration_label

from . import services

# The datasets whose rows name people; ``tests/partnership/test_personal_data_registry.py`` holds
# every dataset with a name column to this list.
PERSONAL_DATASETS = ("registrations", "speakers")

register_category(
    Category(
        "exports",
        "Exports demandés («\u00a0Mes exports\u00a0»)",
        "Listes de votre périmètre (inscriptions, intervenants)\u00a0: noms, prénoms, collectivités\u00a0; les "
        "indicateurs, agrégés, n'en contiennent pas",
        "Mission d'intérêt public (art. 6-1-e)",
        lambda: (
            f"Le fichier est supprimé {duration_label(settings.EXPORT_RETENTION_DAYS)} après sa production, et "
            "aussitôt si une personne qu'il peut nommer est anonymisée\u00a0; la demande reste, sans fichier"
        ),
        order=65,
    )
)
declare(
    "stats.ExportRequest",
    ["file"],
    fate=DELETED,
    category="exports",
    reason="Supprimé après EXPORT_RETENTION_DAYS, ou dès qu'une personne nommée est anonymisée (exports_expire).",
)
declare(
    "stats.ExportRequest",
    ["parameters", "error", "notification_error"],
    fate=NOT_PERSONAL,
    reason="Identifiant de délégation et message d'erreur technique.",
)


def expire_exports(now) -> int:
    return services.exports_expire(now=now, made_before=last_anonymisation(), datasets=PERSONAL_DATASETS)


# After the apps' anonymisation steps: the exports made before it go in the same run.
register_step(RetentionStep("exports", "Fichiers d'export supprimés", expire_exports, order=60))
