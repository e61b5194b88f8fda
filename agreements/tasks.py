"""Thin Celery adapters of contracts: take ids, re-fetch, call one service. The signing tasks live in
``agreements.signing.tasks``."""

from celery import shared_task


@shared_task
def contracts_update_periods() -> dict:
    from .services import contracts_update_periods as update

    return update()
