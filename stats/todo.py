"""The statistics' blocks of the « À faire » page (``partnership.todo_registry``): the national figures, and
each user's exports ready to download."""

import datetime

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import QuerySet
from django.utils import timezone

from partnership import permissions
from partnership.text import french_date
from partnership.todo_registry import Block, Item, link_to, register

from .dashboard import dashboard_cached
from .enums import ExportStatus
from .models import ExportRequest
from .selectors import exports_of

# An export stays in « Exports prêts » for a week after it finished; « Mes exports » keeps them all.
READY_EXPORTS_DAYS = 7


def exports_ready(user, *, now: datetime.datetime | None = None) -> QuerySet[ExportRequest]:
    """The user's exports finished within the last week, ready to download."""
    since = (now or timezone.now()) - datetime.timedelta(days=READY_EXPORTS_DAYS)
    return exports_of(user).filter(status=ExportStatus.DONE, finished_at__gte=since).order_by("-finished_at", "-pk")


def _export_item(export) -> Item:
    return Item(
        f"{export.dataset_label} ({export.get_format_display()})",
        export.get_absolute_url(),
        [f"Prêt depuis le {french_date(timezone.localtime(export.finished_at), 'j F Y à H:i')}"],
    )


def national_figures(user) -> list[tuple[str, str]]:
    """The headline figures of the statistics dashboard (the same cached computation)."""
    totals = dashboard_cached()["totals"]
    return [
        ("contrats en vigueur", intcomma(totals["active_contracts"])),
        ("jours-stagiaires prévus", intcomma(totals["planned_trainee_days"])),
        ("jours-stagiaires réalisés", intcomma(totals["delivered_trainee_days"])),
        ("événements publiés", intcomma(totals["events"])),
        ("participants aux événements", intcomma(totals["participants"])),
    ]


def _works_with_figures(user) -> bool:
    # Who asks for exports in their daily work: CNFPT and AMF staff.
    return permissions.is_cnfpt_staff(user) or permissions.is_amf_staff(user)


register(
    Block(
        key="national_figures",
        title="Chiffres nationaux",
        position=0,
        applies_to=permissions.can_read_everything,
        figures=national_figures,
        more=link_to("Tableau de bord statistique", "stats:dashboard"),
        actionable=False,
    )
)
register(
    Block(
        key="exports",
        title="Exports prêts",
        position=120,
        applies_to=_works_with_figures,
        objects=exports_ready,
        item=_export_item,
        empty="Aucun export terminé cette semaine.",
        next_step=link_to("Demander un export depuis « Mes exports »", "stats:export_list"),
        more=link_to("Mes exports", "stats:export_list"),
        actionable=False,
    )
)
