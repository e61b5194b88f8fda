"""The reminders of contracts, declared to the reminders engine (``notifications``).

The engine discovers ``<app>.reminders``: this module also registers the kinds of the sub-domains,
declared in ``agreements.signing.reminders`` (signature requests, registered first) and
``agreements.axis5.reminders`` (a study due soon, registered last), so that the kinds keep their order.
"""

import datetime

from django.conf import settings
from django.urls import reverse

from notifications.registry import Due, Message, Recipient, ReminderKind, latest_due, reference_day, register
from partnership.enums import Role

from .enums import ContractStatus
from .models import PartnershipContract
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

# After the contracts' kind: the preferences page lists the kinds in the order they register.
from .axis5 import reminders as study_reminders  # noqa: E402, F401 (registers the study kind)
