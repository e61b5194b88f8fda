"""Names of the signing tasks (``agreements.signing.tasks``).

They keep the names they had when they lived in ``agreements/tasks.py``: tasks already queued, kept in the
outbox or scheduled by beat (``CELERY_BEAT_SCHEDULE``) find them under these names.
"""

SIGNATURE_REQUEST_SEND_LINK = "agreements.tasks.signature_request_send_link"
SIGNATURE_NOTIFY_DELEGATION = "agreements.tasks.signature_notify_delegation"
CONTRACT_FINALIZE = "agreements.tasks.contract_finalize"
CONTRACTS_FINALIZE_MISSING = "agreements.tasks.contracts_finalize_missing"
CONTRACT_SEND_FINAL_DOCUMENT = "agreements.tasks.contract_send_final_document"
SIGNATURES_EXPIRE = "agreements.tasks.signatures_expire"
SEALS_RENEW_TIMESTAMPS = "agreements.tasks.seals_renew_timestamps"
