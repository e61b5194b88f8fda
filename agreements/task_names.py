"""Names of the contracts' Celery tasks (``agreements.tasks``); signing's are in ``agreements.signing.task_names``."""

CONTRACTS_UPDATE_PERIODS = "agreements.tasks.contracts_update_periods"
