"""The reminder of axis 5: a study for the AMF due soon, declared to the reminders engine (``notifications``).

Registered through ``agreements.reminders``, the module the engine discovers.
"""

import datetime

from django.conf import settings

from notifications.registry import Due, Message, Recipient, ReminderKind, latest_due, reference_day, register
from partnership.enums import Role
from partnership.models import User

from ..enums import StudyStatus
from .models import Study

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
        url=settings.SITE_URL + study.get_absolute_url(),
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
