"""Online signing of partnership contracts: ``sending``, ``signatures`` and ``completion``.

``sending``: requests, links, the delegation's side; ``signatures``: codes, signatures, refusals;
``completion``: the final sealed PDF.

Order: every collectivité party signs first, in parallel (step 1); then the délégué régional
countersigns (step 2). Each signer reaches the portal through a personal link whose random token
(256 bits) is stored only as a SHA-256 hash, confirms their identity with a 6-digit code sent by
e-mail, reads the exact PDF and signs. Every event goes to the hash-chained audit trail
(``agreements.signing.audit``). State changes are conditional UPDATEs, so a double submission records
one signature.

The flow reads top to bottom: « envoyer à la signature » (``contract_send_for_signature``: the
contract's own checks and reference, then the document presented for signature, rendered and frozen
here, then the requests), the links, the portal (code, signature or refusal), the delegation's side,
then the completion (``contract_finalize``: final PDF, seal, storage, e-mail). What a file proves is
``verification.document_verify``'s (the public verification page); the seal's later life (its document
timestamps) is ``archive``'s.
"""

# Kept for agreements/signing/tasks.py, whose owner (the work on Celery task names, issue #25) imports them from here.
from .completion import contract_finalize, contract_sealing_failed, contracts_finalize_missing
from .sending import signature_request_issue_link, signature_request_link_delivered, signatures_expire

__all__ = [
    "contract_finalize",
    "contract_sealing_failed",
    "contracts_finalize_missing",
    "signature_request_issue_link",
    "signature_request_link_delivered",
    "signatures_expire",
]
