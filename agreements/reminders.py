"""The reminders of contracts, signatures and AMF studies, declared to the reminders engine (``notifications``)."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from notifications.registry import Due, Message, Recipient, ReminderKind, latest_due, reference_day, register
from partnership.enums import Role
from partnership.models import User

from .emails import delegation_recipients, portal_url
from .enums import ContractStatus, SignatureRequestStatus, StudyStatus
from .models import PartnershipContract, SignatureRequest, Study

SIGNER, DELEGATION = "signer", "delegation"


def _page(name: str, pk: int) -> str:
    return settings.SITE_URL + reverse(name, args=[pk])


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
    from .signing import signature_request_issue_link

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
        url = _page("agreements:contract_detail", request.contract_id)
    contract = request.contract
    expires_on = timezone.localdate(request.expires_at)
    if log.audience == DELEGATION:
        subject = f"Contrat {contract.reference} : le lien de signature de {request.signer_name} expire le {expires_on:%d/%m/%Y}"
    elif expiring:
        subject = f"Dernier rappel : contrat {contract.reference} à signer avant le {expires_on:%d/%m/%Y}"
    else:
        subject = f"Rappel : Contrat {contract.reference} à signer – {contract.delegation.name}"
    return Message(
        subject=subject,
        url=url,
        context={"request": request, "contract": contract, "expires_on": expires_on, "audience": log.audience},
    )


def _signature_reminded(log) -> None:
    from .signing import signature_request_link_delivered

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


# --- Contracts ending: renew or let expire ----------------------------------------------------------


def contract_ending_due(today: datetime.date):
    offsets = settings.CONTRACT_ENDING_REMINDER_DAYS
    contracts = (
        PartnershipContract.objects.filter(
            status__in=[ContractStatus.SIGNED, ContractStatus.ACTIVE],
            end_date__gt=today,
            end_date__lte=today + datetime.timedelta(days=max(offsets)),
        )
        .select_related("delegation", "created_by", "delegate")
        .prefetch_related("advisers")
    )
    for contract in contracts:
        due_on = latest_due(contract.end_date, offsets, today)
        if due_on is not None:
            yield Due(contract.pk, due_on, [Recipient(email) for email in delegation_recipients(contract)])


def contract_ending_message(log) -> Message | None:
    contract = PartnershipContract.objects.select_related("delegation").get(pk=log.object_id)
    if contract.status not in (ContractStatus.SIGNED, ContractStatus.ACTIVE) or contract.end_date <= log.due_on:
        return None
    days = (contract.end_date - reference_day(log)).days
    if days <= 0:
        return None
    return Message(
        subject=f"Contrat {contract.reference} : fin le {contract.end_date:%d/%m/%Y}, dans {days} jour{'s' if days > 1 else ''}",
        url=_page("agreements:contract_detail", contract.pk),
        context={
            "contract": contract,
            "days": days,
            "parties": [party.collectivity.name for party in contract.parties.select_related("collectivity")],
            "new_contract_url": settings.SITE_URL + reverse("agreements:contract_create"),
        },
    )


register(
    ReminderKind(
        key="contract_ending",
        label="Contrat arrivant à échéance (renouveler ou laisser expirer)",
        delay_setting="CONTRACT_ENDING_REMINDER_DAYS",
        optional=True,
        due=contract_ending_due,
        message=contract_ending_message,
        roles=(Role.DELEGATION_STAFF, Role.NATIONAL_STAFF),
    )
)


# --- Studies for the AMF -----------------------------------------------------------------------------

OPEN_STUDY = (StudyStatus.REQUESTED, StudyStatus.IN_PROGRESS)


def study_due_due(today: datetime.date):
    days = settings.STUDY_DUE_REMINDER_DAYS
    studies = Study.objects.filter(
        status__in=OPEN_STUDY, due_on__gt=today, due_on__lte=today + datetime.timedelta(days=days)
    ).select_related("created_by")
    staff = [
        Recipient(user.email, user.get_full_name())
        for user in User.objects.filter(role=Role.AMF_STAFF, is_active=True).order_by("pk")
    ]
    for study in studies:
        due_on = latest_due(study.due_on, [days], today)
        if due_on is None:
            continue
        people = list(staff)
        if study.created_by is not None and study.created_by.is_active:
            people.append(Recipient(study.created_by.email, study.created_by.get_full_name()))
        yield Due(study.pk, due_on, people)


def study_due_message(log) -> Message | None:
    study = Study.objects.get(pk=log.object_id)
    if study.status not in OPEN_STUDY or study.due_on is None or study.due_on <= reference_day(log):
        return None
    return Message(
        subject=f"Étude « {study.subject} » attendue le {study.due_on:%d/%m/%Y}",
        url=_page("axis5:study_detail", study.pk),
        context={"study": study, "days": (study.due_on - reference_day(log)).days},
    )


register(
    ReminderKind(
        key="study_due",
        label="Étude pour l'AMF à rendre prochainement",
        delay_setting="STUDY_DUE_REMINDER_DAYS",
        optional=True,
        due=study_due_due,
        message=study_due_message,
        roles=(Role.AMF_STAFF, Role.NATIONAL_STAFF),
    )
)
