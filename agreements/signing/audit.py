"""The hash-chained audit trail of signatures: append, and verify."""

import datetime
import hashlib
import hmac
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from partnership.models_utils import model_update

from .models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64


def _canonical(event: AuditEvent) -> bytes:
    content = {
        "sequence": event.sequence,
        "contract": event.contract_id,
        "request": event.request_id,
        "kind": event.kind,
        "at": event.at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "actor": event.actor,
        "ip": event.ip_address or "",
        "user_agent": event.user_agent,
        "document_sha256": event.document_sha256,
        "detail": event.detail,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def compute_hash(event: AuditEvent, previous_hash: str) -> str:
    """HMAC-SHA256 keyed outside the database: someone who can write rows cannot forge a valid chain."""
    key = hashlib.sha256(f"{settings.AUDIT_CHAIN_KEY}:audit-chain".encode()).digest()
    return hmac.new(key, previous_hash.encode() + b"\n" + _canonical(event), hashlib.sha256).hexdigest()


@transaction.atomic
def audit_record(
    *,
    contract,
    kind: str,
    actor: str,
    request=None,
    ip_address: str | None = None,
    user_agent: str = "",
    document_sha256: str = "",
    detail: dict | None = None,
) -> AuditEvent:
    """Append one event to the chain. The head row is locked, so concurrent writers queue up."""
    AuditChainHead.objects.bulk_create([AuditChainHead(singleton=True)], ignore_conflicts=True)
    head = AuditChainHead.objects.select_for_update().get(singleton=True)
    event = AuditEvent(
        sequence=head.last_sequence + 1,
        contract=contract,
        request=request,
        kind=kind,
        at=timezone.now(),
        actor=actor[:250],
        ip_address=ip_address or None,
        user_agent=(user_agent or "")[:500],
        document_sha256=document_sha256,
        detail=detail or {},
        previous_hash=head.last_hash,
    )
    event.hash = compute_hash(event, head.last_hash)
    event.save()
    model_update(
        instance=head,
        fields=["last_sequence", "last_hash"],
        data={"last_sequence": event.sequence, "last_hash": event.hash},
        clean=False,
    )
    return event


@dataclass(frozen=True)
class ChainProblem:
    sequence: int | None
    message: str


def verify_chain(*, batch_size: int = 2000) -> tuple[int, list[ChainProblem]]:
    """Recompute the whole chain; return (events checked, problems found), problems in French."""
    problems: list[ChainProblem] = []
    previous_hash = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=batch_size):
        checked += 1
        if event.sequence != expected_sequence:
            problems.append(
                ChainProblem(
                    event.sequence,
                    f"Séquence rompue : n° {expected_sequence} attendu, n° {event.sequence} trouvé (ligne supprimée ou insérée).",
                )
            )
        if event.previous_hash != previous_hash:
            problems.append(
                ChainProblem(
                    event.sequence,
                    "Le lien vers l'événement précédent ne correspond pas (ligne supprimée, insérée ou modifiée).",
                )
            )
        if compute_hash(event, event.previous_hash) != event.hash:
            problems.append(
                ChainProblem(event.sequence, "Le contenu de l'événement a été modifié après son enregistrement.")
            )
        previous_hash = event.hash
        expected_sequence = event.sequence + 1
    head = AuditChainHead.objects.filter(singleton=True).first()
    if head is not None and (head.last_sequence != expected_sequence - 1 or head.last_hash != previous_hash):
        problems.append(
            ChainProblem(
                None, "La fin de la chaîne ne correspond pas à la tête enregistrée (dernières lignes supprimées ?)."
            )
        )
    if head is None and checked:
        problems.append(ChainProblem(None, "La tête de la chaîne d'audit est absente."))
    return checked, problems
