"""The dashboard's figures: every indicator of the registry, the key figures drawn from them, kept in the cache."""

from decimal import Decimal

from django.conf import settings
from django.core.cache import cache

from agreements.enums import ContractStatus

from . import registry
from .indicators import coverage_total, speakers_summary
from .reads import shared_reads


def dashboard(*, delegation_id: int | None = None) -> dict:
    """Every indicator of the registry by key, and the key figures; a constant number of queries (about twenty).

    The reads two indicators share (coverage by département and by region, the interventions of the
    network's summary and of its table by region) are made once.
    """
    with shared_reads():
        data = {dataset.key: list(dataset.iter_rows(delegation_id=delegation_id)) for dataset in registry.INDICATORS}
        data["speakers_summary"] = speakers_summary(delegation_id=delegation_id)
    by_status, by_theme, by_kind = data["contracts_by_status"], data["trainee_days_by_theme"], data["events_by_kind"]
    data["totals"] = {
        "active_contracts": sum(r["count"] for r in by_status if r["status"] == ContractStatus.ACTIVE),
        "planned_trainee_days": sum((r["planned_trainee_days"] for r in by_theme), Decimal(0)),
        "delivered_trainee_days": sum(
            (r["delivered_trainee_days"] + r["catalogue_trainee_days"] for r in by_theme), Decimal(0)
        ),
        "events": sum(r["events"] for r in by_kind),
        "participants": sum(r["participants"] for r in by_kind),
    }
    data["coverage_total"] = coverage_total(data["coverage_by_region"])
    return data


def dashboard_cached(*, delegation_id: int | None = None) -> dict:
    """``dashboard()``, kept in the shared cache for ``STATS_CACHE_SECONDS``: aggregated figures move
    slowly, and the coverage aggregates scan every collectivité. 0 disables the cache."""
    if not settings.STATS_CACHE_SECONDS:
        return dashboard(delegation_id=delegation_id)
    key = f"stats:dashboard:{delegation_id or 'all'}"
    data = cache.get(key)
    if data is None:
        data = dashboard(delegation_id=delegation_id)
        cache.set(key, data, timeout=settings.STATS_CACHE_SECONDS)
    return data
