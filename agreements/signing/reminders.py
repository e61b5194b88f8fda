"""The reminders of signature requests, declared to the reminders engine (``notifications``).

Registered through ``agreements.reminders``, the module the engine discovers.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from notifications.registry import Due, Message, Recipient, ReminderKind, latest_due, register
from partnership.text import french_date

from ..enums import SignatureRequestStatus
from ..selectors import delegation_recipients
from .emails import LAST_REMINDER, REMINDER, portal_url, signature_link_subject
from .models import SignatureRequest
from .phrases import contract_subject
from .services.sending import signature_request_issue_link, signature_request_link_delivered

SIGNER, DELEGATION = "signer", "delegation"


# --- Signature requests (not optional: the signing process depends on them) ------------------------


def _open_requests():
    return SignatureRequest.objects.filter(
        status=SignatureRequestStatus.SENT, locked_at__isnull=True, sent_at__isnull=False, expires_at__isnull=False
    ).select_related("contract__delegation", "contract__created_by", "contract__delegate")


def _signer(request: SignatureRequest) -> Recipient:
    return Recipient(request.signer_email, request.signer_name, SIGNER)


def signature_pending_due(today: datetime.date):
    """Every ``SIGNATURE_REMINDER_DAYS`` after the link was sent, until the warning before expiry takes over."""
    every = settings.SIGNATURE_REMINDER_DAYS
    for request in _open_requests():
        sent_on = timezone.localdate(request.sent_at)
        warning_on = timezone.localdate(request.expires_at) - datetime.timedelta(
            days=settings.SIGNATURE_EXPIRY_WARNING_DAYS
        )
        elapsed = (today - sent_on).days
        if elapsed < every:
            continue
        due_on = sent_on + datetime.timedelta(days=elapsed // every * every)
        if due_on < warning_on:
            yield Due(request.pk, due_on, [_signer(request)])


def signature_expiring_due(today: datetime.date):
    """``SIGNATURE_EXPIRY_WARNING_DAYS`` before the link expires: the signer, and the delegation that may resend it."""
    for request in _open_requests():
        due_on = latest_due(timezone.localdate(request.expires_at), [settings.SIGNATURE_EXPIRY_WARNING_DAYS], today)
        if due_on is None:
            continue
        delegation = [
            Recipient(email, "", DELEGATION)
            for email in delegation_recipients(request.contract)
            if email.lower() != request.signer_email.lower()
        ]
        yield Due(request.pk, due_on, [_signer(request), *delegation])


def _signature_message(log, *, expiring: bool) -> Message | None:
    if log.audience == SIGNER:
        # The link is stored hashed: the reminder carries a fresh one (the previous link stops working).
        issued = signature_request_issue_link(request_id=log.object_id, reminder=True)
        if issued is None:
            return None
        request, token = issued
        url = portal_url(token)
    else:
        request = SignatureRequest.objects.select_related("contract__delegation").get(pk=log.object_id)
        if request.status != SignatureRequestStatus.SENT:
            return None
        url = settings.SITE_URL + request.contract.get_absolute_url()
    contract = request.contract
    expires_on = timezone.localdate(request.expires_at)
    if log.audience == DELEGATION:
        subject = contract_subject(
            contract, f"le lien de signature de {request.signer_name} expire le {french_date(expires_on)}"
        )
    elif expiring:
        subject = signature_link_subject(request, prefix=LAST_REMINDER, until=expires_on)
    else:
        subject = signature_link_subject(request, prefix=REMINDER)
    return Message(
        subject=subject,
        url=url,
        context={"request": request, "contract": contract, "expires_on": expires_on, "audience": log.audience},
    )


def _signature_reminded(log) -> None:
    if log.audience == SIGNER:
        signature_request_link_delivered(request=SignatureRequest.objects.get(pk=log.object_id), reminder=True)


register(
    ReminderKind(
        key="signature_pending",
        label="Signature en attente : relance du signataire",
        delay_setting="SIGNATURE_REMINDER_DAYS",
        optional=False,
        due=signature_pending_due,
        message=lambda log: _signature_message(log, expiring=False),
        after_send=_signature_reminded,
    )
)
register(
    ReminderKind(
        key="signature_expiring",
        label="Lien de signature bientôt expiré",
        delay_setting="SIGNATURE_EXPIRY_WARNING_DAYS",
        optional=False,
        due=signature_expiring_due,
        message=lambda log: _signature_message(log, expiring=True),
        after_send=_signature_reminded,
    )
)
