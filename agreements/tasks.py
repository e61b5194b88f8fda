"""Thin Celery adapters of contracts: take ids, re-fetch, call one service. Names in ``agreements.task_names``;
the signing tasks live in ``agreements.signing.tasks``."""

from celery import shared_task

from . import services, task_names


@shared_task(name=task_names.CONTRACTS_UPDATE_PERIODS)
def contracts_update_periods() -> dict:
    return services.contracts_update_periods()
