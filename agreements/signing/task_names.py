"""Names of the signing tasks (``agreements.signing.tasks``): their module path.

Until issue #25 they kept the names they had when they lived in ``agreements/tasks.py``: those stay
registered as aliases of the same functions (``ALIASES``, ``partnership.task_aliases``), so that tasks
already queued, kept in the outbox or sent by an older beat under them still run.
"""

SIGNATURE_REQUEST_SEND_LINK = "agreements.signing.tasks.signature_request_send_link"
SIGNATURE_NOTIFY_DELEGATION = "agreements.signing.tasks.signature_notify_delegation"
CONTRACT_FINALIZE = "agreements.signing.tasks.contract_finalize"
CONTRACTS_FINALIZE_MISSING = "agreements.signing.tasks.contracts_finalize_missing"
CONTRACT_SEND_FINAL_DOCUMENT = "agreements.signing.tasks.contract_send_final_document"
SIGNATURES_EXPIRE = "agreements.signing.tasks.signatures_expire"
SEALS_RENEW_TIMESTAMPS = "agreements.signing.tasks.seals_renew_timestamps"

# Former name → current name.
ALIASES = {
    "agreements.tasks.signature_request_send_link": SIGNATURE_REQUEST_SEND_LINK,
    "agreements.tasks.signature_notify_delegation": SIGNATURE_NOTIFY_DELEGATION,
    "agreements.tasks.contract_finalize": CONTRACT_FINALIZE,
    "agreements.tasks.contracts_finalize_missing": CONTRACTS_FINALIZE_MISSING,
    "agreements.tasks.contract_send_final_document": CONTRACT_SEND_FINAL_DOCUMENT,
    "agreements.tasks.signatures_expire": SIGNATURES_EXPIRE,
    "agreements.tasks.seals_renew_timestamps": SEALS_RENEW_TIMESTAMPS,
}
