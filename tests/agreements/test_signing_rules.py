"""Each way a signature must be refused, and the evidence kept about it."""

import datetime
import hashlib

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements.enums import ContractStatus, SignatureRequestStatus
from agreements.models import AuditChainHead, AuditEvent, SignatureRequest
from agreements.signing.audit import verify_chain
from agreements.signing.services import sending
from partnership.tokens import token_hash
from tests.agreements.factories import make_contract
from tests.agreements.signing_helpers import (
    CODE,
    contract_named,
    last_mail_to,
    link_token_for,
    portal,
    sign,
    verify_identity,
)
from tests.helpers import text


@pytest.fixture
def sent(delegation_staff, commune, django_capture_on_commit_callbacks):
    contract = make_contract(actor=delegation_staff, collectivities=[commune])
    with django_capture_on_commit_callbacks(execute=True):
        sending.contract_send_for_signature(contract=contract, actor=delegation_staff)
    contract.refresh_from_db()
    return contract


@pytest.fixture
def mayor_email(sent):
    return sent.parties.get().signatory_email


def test_unknown_token_is_not_found(client, sent):
    response = client.get(portal("x" * 43))
    assert response.status_code == 404
    assert "Lien de signature invalide" in text(response)


def test_token_is_stored_only_as_hash(sent, mayor_email):
    token = link_token_for(mayor_email)
    request = sent.signature_requests.get(step=1)
    assert len(token) >= 43  # 32 random bytes, base64
    assert request.token_hash == token_hash(token)
    assert not SignatureRequest.objects.filter(token_hash=token).exists()


def test_wrong_codes_lock_the_link_after_five_attempts(
    client, sent, mayor_email, delegation_staff, django_capture_on_commit_callbacks
):
    token = link_token_for(mayor_email)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(portal(token, "send_code"))
    real = CODE.search(last_mail_to(mayor_email).body).group(1)
    wrong = "000000" if real != "000000" else "111111"
    for attempt in range(1, 5):
        response = client.post(portal(token, "verify_code"), {"code": wrong}, follow=True)
        assert f"Code incorrect. Il vous reste {5 - attempt} essai" in text(response)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(portal(token, "verify_code"), {"code": wrong}, follow=True)
    assert "Ce lien est bloqué après 5 codes erronés" in text(response)
    # Even the right code no longer works, and the delegation has been told.
    response = client.post(portal(token, "verify_code"), {"code": real}, follow=True)
    assert "Ce lien est bloqué" in text(response)
    assert last_mail_to(delegation_staff.email).subject == (
        f"{contract_named(sent)}\u00a0: lien de signature de Marie Martin bloqué"
    )
    request = sent.signature_requests.get(step=1)
    assert request.locked_at is not None and request.code_attempts == 5


def test_expired_code_is_refused(client, sent, mayor_email, django_capture_on_commit_callbacks):
    token = link_token_for(mayor_email)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(portal(token, "send_code"))
    code = CODE.search(last_mail_to(mayor_email).body).group(1)
    SignatureRequest.objects.filter(step=1).update(code_expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.post(portal(token, "verify_code"), {"code": code}, follow=True)
    assert "Ce code a expiré" in text(response)


def test_code_requests_are_rate_limited(client, sent, mayor_email, django_capture_on_commit_callbacks):
    token = link_token_for(mayor_email)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(portal(token, "send_code"))
        response = client.post(portal(token, "send_code"), follow=True)
    assert (
        "Un code vient de vous être envoyé : saisissez-le ci-dessous (il vaut sur tous vos appareils), "
        "ou patientez une minute avant d'en demander un autre."
    ) in text(response)
    assert len([m for m in mail.outbox if m.subject == f"{contract_named(sent)}\u00a0: votre code de signature"]) == 1


def test_expired_link_is_refused(client, sent, mayor_email):
    token = link_token_for(mayor_email)
    SignatureRequest.objects.filter(step=1).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert "Ce lien de signature a expiré" in text(client.get(portal(token)))


def test_signing_requires_the_verified_session(client, sent, mayor_email, django_capture_on_commit_callbacks):
    token = link_token_for(mayor_email)
    verify_identity(client, token, mayor_email, django_capture_on_commit_callbacks)
    intruder = Client()  # has the link but not the verified session
    response = sign(intruder, token, sent, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert sent.signature_requests.get(step=1).status == SignatureRequestStatus.SENT


def test_double_submission_records_one_signature(client, sent, mayor_email, django_capture_on_commit_callbacks):
    token = link_token_for(mayor_email)
    verify_identity(client, token, mayor_email, django_capture_on_commit_callbacks)
    sign(client, token, sent, capture=django_capture_on_commit_callbacks)
    response = sign(client, token, sent, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(contract=sent, kind="signed").count() == 1
    assert sent.signature_requests.get(step=1).status == SignatureRequestStatus.SIGNED


def test_consent_name_and_document_are_required(client, sent, mayor_email, django_capture_on_commit_callbacks):
    token = link_token_for(mayor_email)
    verify_identity(client, token, mayor_email, django_capture_on_commit_callbacks)
    response = client.post(
        portal(token, "sign"), {"name": "X", "function": "Maire", "document_sha256": "0" * 64}, follow=True
    )
    assert "Cochez la case pour confirmer votre accord." in text(response)
    response = client.post(
        portal(token, "sign"),
        {"consent": "on", "name": "X", "function": "Maire", "document_sha256": "0" * 64},
        follow=True,
    )
    assert "Le document a changé depuis votre lecture" in text(response)
    assert sent.signature_requests.get(step=1).status == SignatureRequestStatus.SENT


def test_decline_needs_reason_and_returns_contract_to_draft(
    client, sent, mayor_email, delegation_staff, django_capture_on_commit_callbacks
):
    token = link_token_for(mayor_email)
    verify_identity(client, token, mayor_email, django_capture_on_commit_callbacks)
    response = client.post(portal(token, "decline"), {"reason": ""}, follow=True)
    assert "Indiquez le motif de votre refus." in text(response)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(portal(token, "decline"), {"reason": "Le programme 2028 ne convient pas", "confirmation": "oui"})
    sent.refresh_from_db()
    assert sent.status == ContractStatus.DRAFT
    assert sent.signature_requests.get(step=1).status == SignatureRequestStatus.DECLINED
    assert sent.signature_requests.get(step=2).status == SignatureRequestStatus.CANCELLED
    notice = last_mail_to(delegation_staff.email)
    assert notice.subject == f"{contract_named(sent)}\u00a0: refus de signature de Marie Martin"
    assert "Le programme 2028 ne convient pas" in notice.body
    assert "Refus de signature" in sent.transitions.last().comment


def test_withdrawn_contract_link_stops_working(client, sent, mayor_email, delegation_staff):
    token = link_token_for(mayor_email)
    client.force_login(delegation_staff)
    client.post(
        reverse("agreements:contract_return_to_draft", args=[sent.pk]),
        {"reason": "Erreur de dates", "confirmation": "oui"},
    )
    client.logout()
    assert "a été annulée par la délégation" in text(client.get(portal(token)))


def test_resend_gives_a_new_link_and_kills_the_old(
    client, sent, mayor_email, delegation_staff, django_capture_on_commit_callbacks
):
    old = link_token_for(mayor_email)
    request = sent.signature_requests.get(step=1)
    client.force_login(delegation_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("agreements:signature_resend", args=[sent.pk, request.pk]))
    new = link_token_for(mayor_email)
    assert new != old
    assert client.get(portal(old)).status_code == 404
    assert client.get(portal(new)).status_code == 200


def test_replace_signer(client, sent, mayor_email, delegation_staff, django_capture_on_commit_callbacks):
    request = sent.signature_requests.get(step=1)
    old_token = link_token_for(mayor_email)
    client.force_login(delegation_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("agreements:signature_replace", args=[sent.pk, request.pk]),
            {
                "name": "Paul Adjoint",
                "email": "adjoint@example.fr",
                "function": "Premier adjoint",
                "confirmation": "oui",
            },
        )
    request.refresh_from_db()
    assert request.status == SignatureRequestStatus.REPLACED
    assert request.replaced_by.signer_email == "adjoint@example.fr"
    assert link_token_for("adjoint@example.fr")
    assert "a été annulée par la délégation" in text(client.get(portal(old_token)))


def test_other_delegation_cannot_manage_signatures(client, sent, other_delegation_staff):
    request = sent.signature_requests.get(step=1)
    client.force_login(other_delegation_staff)
    assert client.post(reverse("agreements:signature_resend", args=[sent.pk, request.pk])).status_code == 404


def test_expiry_tells_the_delegation_once(sent, delegation_staff, django_capture_on_commit_callbacks):
    # Reminders before expiry belong to the reminders engine: tests/notifications/test_kinds.py.
    request = sent.signature_requests.get(step=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert sending.signatures_expire(now=request.expires_at - datetime.timedelta(minutes=1)) == {"expired": 0}
        assert sending.signatures_expire(now=request.expires_at) == {"expired": 1}
        assert sending.signatures_expire(now=request.expires_at + datetime.timedelta(days=1)) == {"expired": 0}
    assert sent.signature_requests.get(step=1).status == SignatureRequestStatus.EXPIRED
    assert [m.subject for m in mail.outbox if delegation_staff.email in m.to] == [
        f"{contract_named(sent)}\u00a0: lien de signature de Marie Martin expiré"
    ]


def test_audit_trail_detects_alteration_insertion_and_deletion(sent, mayor_email, client):
    client.get(portal(link_token_for(mayor_email)))
    Client().get(portal(link_token_for(mayor_email)))  # another browser: another "opened" event
    assert verify_chain()[1] == []
    events = list(AuditEvent.objects.order_by("sequence"))
    assert len(events) == 3

    # Altered row.
    AuditEvent.objects.filter(pk=events[0].pk).update(actor="Quelqu'un d'autre")
    assert [(p.sequence, p.message) for p in verify_chain()[1]] == [
        (events[0].sequence, "Le contenu de l'événement a été modifié après son enregistrement.")
    ]
    AuditEvent.objects.filter(pk=events[0].pk).update(actor=events[0].actor)
    assert verify_chain()[1] == []

    # Inserted row, even linked and hashed the way an outsider would (no key), head updated too.

    head = AuditChainHead.objects.get()
    forged = AuditEvent(
        sequence=head.last_sequence + 1,
        contract=sent,
        kind="signed",
        at=timezone.now(),
        actor="Faussaire",
        previous_hash=head.last_hash,
        hash="",
    )
    forged.hash = hashlib.sha256(forged.previous_hash.encode() + b"forged").hexdigest()
    forged.save()
    AuditChainHead.objects.update(last_sequence=forged.sequence, last_hash=forged.hash)
    assert [(p.sequence, p.message) for p in verify_chain()[1]] == [
        (forged.sequence, "Le contenu de l'événement a été modifié après son enregistrement.")
    ]
    with connection_cursor() as cursor:
        cursor.execute("DELETE FROM agreements_auditevent WHERE id = %s", [forged.pk])
    AuditChainHead.objects.update(last_sequence=head.last_sequence, last_hash=head.last_hash)
    assert verify_chain()[1] == []

    # A row deleted in the middle.
    with connection_cursor() as cursor:
        cursor.execute("DELETE FROM agreements_auditevent WHERE id = %s", [events[1].pk])
    messages = [p.message for p in verify_chain()[1]]
    assert messages[0].startswith(f"Séquence rompue : n° {events[1].sequence} attendu")


def test_audit_trail_detects_deleted_tail(sent, mayor_email, client):
    client.get(portal(link_token_for(mayor_email)))
    last = AuditEvent.objects.order_by("-sequence").first()
    with connection_cursor() as cursor:
        cursor.execute("DELETE FROM agreements_auditevent WHERE id = %s", [last.pk])
    assert [p.message for p in verify_chain()[1]] == [
        "La fin de la chaîne ne correspond pas à la tête enregistrée (dernières lignes supprimées ?)."
    ]


def test_verify_audit_trail_command_fails_on_tampering(sent):
    AuditEvent.objects.filter(pk=AuditEvent.objects.first().pk).update(document_sha256="f" * 64)
    with pytest.raises(CommandError, match="Piste d'audit ALTÉRÉE"):
        call_command("verify_audit_trail")


def connection_cursor():
    return connection.cursor()
