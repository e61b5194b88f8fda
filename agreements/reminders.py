"""The reminders of contracts, signatures and AMF studies, declared to the reminders engine (``notifications``).

The engine discovers ``<app>.reminders``: this module also registers the signing kinds, declared in
``agreements.signing.reminders`` (imported first, so the kinds keep their order).
"""

import datetime

from django.conf import settings
from django.urls import reverse

from notifications.registry import Due, Message, Recipient, ReminderKind, latest_due, reference_day, register
from partnership.enums import Role
from partnership.models import User

from .enums import ContractStatus, StudyStatus
from .models import PartnershipContract, Study
from .selectors import delegation_recipients
from .signing import reminders as signing_reminders  # noqa: F401 (registers the signature kinds)


def _page(name: str, pk: int) -> str:
    return settings.SITE_URL + reverse(name, args=[pk])


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
