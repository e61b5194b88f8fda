"""The evidence a sealed contract carries inside itself: its audit trail as a JSON file.

The format is documented in ``docs/piste-audit.md`` (« partenariat-cnfpt-amf/piste-audit », version 1);
``audit_trail_document`` writes it, ``read_audit_trail`` reads it back from a PDF (the verification page's
evidence summary). Embedded in the final PDF/A-3 before the seal, it is covered by the seal and its
timestamps: the file alone says who agreed to what and when.

Extra evidence: whatever a door records of a signer in the signature event's ``detail`` beyond the typed
name and function and the consent sentence (the application door's ``via`` and ``account_id``; the level of
a ProConnect login, ``proconnect_acr``, when the ProConnect work records it) comes out under
``signers[].evidence``, with no change here; every event's ``detail`` is under ``events[].detail``.
"""

import datetime
import hashlib
import io
import json
from dataclasses import dataclass

from django.conf import settings

from ..enums import AuditEventKind, SignatureRequestStatus
from .audit import GENESIS_HASH

FORMAT = "partenariat-cnfpt-amf/piste-audit"
VERSION = 1
FILE_NAME = "piste-audit.json"
SIGNED_FILE_SUFFIX = "-document-signe.pdf"
# Keys of a signature event's ``detail`` that the signer entry shows on its own lines.
_SIGNATURE_DETAIL = ("typed_name", "typed_function", "consent")


def _utc(moment: datetime.datetime | None) -> str | None:
    return moment.astimezone(datetime.UTC).isoformat(timespec="microseconds") if moment else None


def _event(number: int, event) -> dict:
    return {
        "number": number,
        "sequence": event.sequence,
        "kind": event.kind,
        "label": event.get_kind_display(),
        "at": _utc(event.at),
        "actor": event.actor,
        "request": event.request_id,
        "ip_address": event.ip_address or None,
        "user_agent": event.user_agent,
        "document_sha256": event.document_sha256,
        "detail": event.detail,
        "previous_hash": event.previous_hash,
        "hash": event.hash,
    }


def _signer(request, events: list) -> dict:
    signed = next((e for e in events if e.request_id == request.pk and e.kind == AuditEventKind.SIGNED), None)
    detail = signed.detail if signed is not None else {}
    return {
        "request": request.pk,
        "step": request.step,
        "role": request.role,
        "on_behalf_of": request.party.collectivity.name if request.party_id else None,
        "name": request.signed_name,
        "function": request.signed_function,
        "email": request.signer_email,
        "signed_at": _utc(request.signed_at),
        "consent": detail.get("consent", ""),
        "identity_check": {
            "method": "personal link sent by e-mail + one-time 6-digit code sent by e-mail",
            "code_verified_at": _utc(request.code_verified_at),
        },
        "ip_address": request.signed_ip,
        "user_agent": request.signed_user_agent,
        "evidence": {key: value for key, value in detail.items() if key not in _SIGNATURE_DETAIL},
    }


def audit_trail_document(*, contract, document, requests: list, events: list, generated_at) -> dict:
    """The JSON evidence of ``contract``: the document signed, the signers, every event of its trail."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": _utc(generated_at),
        "platform": settings.SITE_URL,
        "contract": {
            "reference": contract.reference,
            "title": contract.title,
            "delegation": contract.delegation.name,
            "parties": [
                {"name": party.collectivity.name, "code": party.collectivity.code, "siren": party.collectivity.siren}
                for party in contract.parties.select_related("collectivity").order_by("position", "pk")
            ],
            "start_date": contract.start_date.isoformat() if contract.start_date else None,
            "end_date": contract.end_date.isoformat() if contract.end_date else None,
        },
        "signed_document": {
            "file": f"{contract.reference}{SIGNED_FILE_SUFFIX}",
            "sha256": document.sha256,
            "size": document.size,
            "presented_at": _utc(document.created_at),
        },
        "signers": [
            _signer(request, events) for request in requests if request.status == SignatureRequestStatus.SIGNED
        ],
        "chain": {
            "algorithm": "HMAC-SHA256",
            "genesis": GENESIS_HASH,
            "note": "hash = HMAC(key held by the platform, previous_hash + LF + canonical event); the chain runs "
            "across every contract of the platform, in sequence order",
        },
        "events": [_event(number, event) for number, event in enumerate(events, start=1)],
    }


def audit_trail_bytes(trail: dict) -> bytes:
    return json.dumps(trail, ensure_ascii=False, indent=2, sort_keys=False).encode()


@dataclass(frozen=True)
class EmbeddedEvidence:
    """What a PDF carries of its own evidence (read back by the verification page)."""

    trail: dict | None
    signed_document_sha256: str | None  # the SHA-256 of the embedded signed PDF, computed from its bytes


def read_embedded_evidence(pdf_bytes: bytes) -> EmbeddedEvidence:
    """The audit trail and the signed document's digest embedded in ``pdf_bytes``; ``None`` where absent."""
    from pypdf import PdfReader  # noqa: PLC0415 — heavy, loaded where a PDF is read

    try:
        attachments = PdfReader(io.BytesIO(pdf_bytes)).attachments
    except Exception:  # a damaged file carries no evidence we can read
        return EmbeddedEvidence(None, None)
    trail = None
    signed_sha256 = None
    for name, contents in attachments.items():
        if not contents:
            continue
        if name == FILE_NAME:
            try:
                candidate = json.loads(contents[0])
            except ValueError:
                continue
            if isinstance(candidate, dict) and candidate.get("format") == FORMAT:
                trail = candidate
        elif name.endswith(SIGNED_FILE_SUFFIX):
            signed_sha256 = hashlib.sha256(contents[0]).hexdigest()
    return EmbeddedEvidence(trail, signed_sha256)
