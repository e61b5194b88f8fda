"""The weekly digest of each delegation agent: what changed in their delegation, what is due.

The one kind the engine owns itself: it gathers the other apps' objects for one reader.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from agreements.enums import ContractStatus, SignatureRequestStatus
from agreements.models import ContractTransition, PartnershipContract, SignatureRequest
from partnership.enums import Role
from partnership.models import User
from trainings.enums import RegistrationStatus, SessionStatus
from trainings.models import Registration, Session
from trainings.reminders import sessions_missing_attendance

from .registry import Due, Message, Recipient, ReminderKind, register


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def digest_due(today: datetime.date):
    """Due on ``DIGEST_WEEKDAY`` (0 = Monday); a run later in the week still sends that week's digest."""
    due_on = today - datetime.timedelta(days=(today.weekday() - settings.DIGEST_WEEKDAY) % 7)
    agents = User.objects.filter(role=Role.DELEGATION_STAFF, is_active=True, delegation__isnull=False)
    for pk, email, first_name, last_name in agents.values_list("pk", "email", "first_name", "last_name"):
        yield Due(pk, due_on, [Recipient(email, f"{first_name} {last_name}")])


def digest_content(*, delegation_id: int, week_end: datetime.date) -> dict:
    """The digest of one delegation for the week before ``week_end``: changes, then what is due."""
    since, until = _midnight(week_end - datetime.timedelta(days=7)), _midnight(week_end)
    transitions = list(
        ContractTransition.objects.filter(contract__delegation_id=delegation_id, at__gte=since, at__lt=until)
        .select_related("contract")
        .order_by("at", "pk")[:50]
    )
    registrations = Registration.objects.filter(
        session__action__delegation_id=delegation_id,
        status=RegistrationStatus.CONFIRMED,
        created_at__gte=since,
        created_at__lt=until,
    ).count()
    ending = list(
        PartnershipContract.objects.filter(
            delegation_id=delegation_id,
            status__in=[ContractStatus.SIGNED, ContractStatus.ACTIVE],
            end_date__gt=week_end,
            end_date__lte=week_end + datetime.timedelta(days=max(settings.CONTRACT_ENDING_REMINDER_DAYS)),
        ).order_by("end_date", "pk")
    )
    signatures = list(
        SignatureRequest.objects.filter(contract__delegation_id=delegation_id, status=SignatureRequestStatus.SENT)
        .select_related("contract")
        .order_by("expires_at", "pk")
    )
    sessions = list(
        Session.objects.filter(
            action__delegation_id=delegation_id,
            status=SessionStatus.PLANNED,
            start_date__gte=week_end,
            start_date__lt=week_end + datetime.timedelta(days=7),
        )
        .select_related("action")
        .order_by("start_date", "pk")
    )
    attendance = list(
        sessions_missing_attendance()
        .filter(action__delegation_id=delegation_id, end_date__lt=week_end)
        .select_related("action")
        .order_by("end_date", "pk")[:50]
    )
    return {
        "transitions": transitions,
        "registrations": registrations,
        "ending": ending,
        "signatures": signatures,
        "sessions": sessions,
        "attendance": attendance,
    }


def digest_message(log) -> Message | None:
    user = User.objects.filter(pk=log.object_id, is_active=True, role=Role.DELEGATION_STAFF).first()
    if user is None or user.delegation_id is None:
        return None
    content = digest_content(delegation_id=user.delegation_id, week_end=log.due_on)
    if not any(content.values()):
        return None  # a quiet week: no e-mail rather than an empty one
    return Message(
        subject=f"Votre semaine – {user.delegation.name} : résumé au {log.due_on:%d/%m/%Y}",
        url=settings.SITE_URL + reverse("agreements:contract_list"),
        context={
            **content,
            "delegation": user.delegation,
            "week_start": log.due_on - datetime.timedelta(days=7),
            "week_last": log.due_on - datetime.timedelta(days=1),
        },
    )


register(
    ReminderKind(
        key="weekly_digest",
        label="Résumé hebdomadaire de la délégation",
        delay_setting="DIGEST_WEEKDAY",
        optional=True,
        due=digest_due,
        message=digest_message,
        roles=(Role.DELEGATION_STAFF,),
    )
)
