"""Axis 5 writes: INET internships at the AMF and studies requested by the AMF.

Status changes are conditional UPDATEs (``... WHERE status IN (allowed sources)``): the row count
says whether the transition was legal at the time of writing, even with concurrent requests.
Every write leaves its entry in the object's history (``partnership.history``).
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from partnership import history, permissions
from partnership.enums import HistoryAction
from partnership.models import User
from partnership.models_utils import model_update

from ..enums import InternshipStatus, StudyStatus
from .models import Internship, Study

INTERNSHIP_TRANSITIONS = {
    InternshipStatus.PLANNED: {InternshipStatus.IN_PROGRESS, InternshipStatus.CANCELLED},
    InternshipStatus.IN_PROGRESS: {InternshipStatus.COMPLETED, InternshipStatus.CANCELLED},
}
STUDY_TRANSITIONS = {
    StudyStatus.REQUESTED: {StudyStatus.IN_PROGRESS, StudyStatus.CANCELLED},
    StudyStatus.IN_PROGRESS: {StudyStatus.DELIVERED, StudyStatus.CANCELLED},
}
INTERNSHIP_FIELDS = (
    "student_name",
    "student_email",
    "promotion",
    "start_date",
    "end_date",
    "tutor",
    "subject",
    "report",
)
STUDY_FIELDS = ("subject", "requester", "requested_on", "due_on", "authors")
STUDY_DELIVERY_FIELDS = ("status", "delivered_on", "deliverable")


def _require_change(actor: User) -> None:
    if not permissions.can_change_axis5(actor):
        raise ValidationError("Seuls les agents de l'AMF et du CNFPT national peuvent modifier les stages et études.")


def _sources(transitions: dict, target: str) -> set[str]:
    return {source for source, targets in transitions.items() if target in targets}


def _record_status(*, actor: User, obj: Internship | Study, statuses, previous: str) -> None:
    history.record(
        actor=actor,
        obj=obj,
        action=HistoryAction.STATUS_CHANGED,
        before={"Statut": statuses(previous).label},
        after={"Statut": statuses(obj.status).label},
    )


# --- Internships --------------------------------------------------------------------------------


@transaction.atomic
def internship_create(*, actor: User, fields: dict[str, Any]) -> Internship:
    _require_change(actor)
    internship = Internship(status=InternshipStatus.PLANNED, **{n: fields[n] for n in INTERNSHIP_FIELDS if n in fields})
    internship.full_clean()
    internship.save()
    history.record(
        actor=actor,
        obj=internship,
        action=HistoryAction.CREATED,
        after=history.values_of(internship, ("status", *INTERNSHIP_FIELDS)),
    )
    return internship


@transaction.atomic
def internship_update(*, internship: Internship, actor: User, fields: dict[str, Any]) -> Internship:
    _require_change(actor)
    locked = Internship.objects.select_for_update().get(pk=internship.pk)
    if locked.status == InternshipStatus.CANCELLED:
        raise ValidationError("Un stage annulé ne peut plus être modifié.")
    before = history.values_of(locked, INTERNSHIP_FIELDS)
    model_update(instance=locked, fields=INTERNSHIP_FIELDS, data=fields)
    history.record(
        actor=actor,
        obj=locked,
        action=HistoryAction.UPDATED,
        before=before,
        after=history.values_of(locked, INTERNSHIP_FIELDS),
    )
    return locked


@transaction.atomic
def internship_transition(*, internship: Internship, actor: User, target: str) -> Internship:
    """planned → in_progress → completed, or cancelled from planned or in progress."""
    _require_change(actor)
    if target not in InternshipStatus.values:
        raise ValidationError("Statut inconnu.")
    # Read under the lock, so the history says which state the transition left.
    previous = Internship.objects.select_for_update().values_list("status", flat=True).get(pk=internship.pk)
    updated = Internship.objects.filter(pk=internship.pk, status__in=_sources(INTERNSHIP_TRANSITIONS, target)).update(
        status=target
    )
    if not updated:
        current = Internship.objects.get(pk=internship.pk)
        raise ValidationError(
            f"Transition impossible : un stage « {current.get_status_display().lower()} » ne peut pas "
            f"passer au statut « {InternshipStatus(target).label.lower()} »."
        )
    internship.refresh_from_db(fields=["status"])
    _record_status(actor=actor, obj=internship, statuses=InternshipStatus, previous=previous)
    return internship


# --- Studies ------------------------------------------------------------------------------------


@transaction.atomic
def study_create(*, actor: User, fields: dict[str, Any]) -> Study:
    _require_change(actor)
    study = Study(status=StudyStatus.REQUESTED, created_by=actor, **{n: fields[n] for n in STUDY_FIELDS if n in fields})
    study.full_clean()
    study.save()
    history.record(
        actor=actor, obj=study, action=HistoryAction.CREATED, after=history.values_of(study, ("status", *STUDY_FIELDS))
    )
    return study


@transaction.atomic
def study_update(*, study: Study, actor: User, fields: dict[str, Any]) -> Study:
    _require_change(actor)
    locked = Study.objects.select_for_update().get(pk=study.pk)
    if locked.status in (StudyStatus.DELIVERED, StudyStatus.CANCELLED):
        raise ValidationError("Une étude livrée ou abandonnée ne peut plus être modifiée.")
    before = history.values_of(locked, STUDY_FIELDS)
    model_update(instance=locked, fields=STUDY_FIELDS, data=fields)
    history.record(
        actor=actor,
        obj=locked,
        action=HistoryAction.UPDATED,
        before=before,
        after=history.values_of(locked, STUDY_FIELDS),
    )
    return locked


@transaction.atomic
def study_transition(*, study: Study, actor: User, target: str) -> Study:
    """requested → in_progress, or cancelled; delivery goes through ``study_deliver``."""
    _require_change(actor)
    if target == StudyStatus.DELIVERED:
        raise ValidationError("Pour livrer l'étude, indiquez la date de livraison et joignez le livrable.")
    if target not in StudyStatus.values:
        raise ValidationError("Statut inconnu.")
    previous = Study.objects.select_for_update().values_list("status", flat=True).get(pk=study.pk)
    updated = Study.objects.filter(pk=study.pk, status__in=_sources(STUDY_TRANSITIONS, target)).update(status=target)
    if not updated:
        current = Study.objects.get(pk=study.pk)
        raise ValidationError(
            f"Transition impossible : une étude « {current.get_status_display().lower()} » ne peut pas "
            f"passer au statut « {StudyStatus(target).label.lower()} »."
        )
    study.refresh_from_db(fields=["status"])
    _record_status(actor=actor, obj=study, statuses=StudyStatus, previous=previous)
    return study


@transaction.atomic
def study_deliver(*, study: Study, actor: User, delivered_on: date, deliverable: UploadedFile) -> Study:
    """in_progress → delivered, with the delivery date and the deliverable (checked by the form)."""
    _require_change(actor)
    locked = Study.objects.select_for_update().get(pk=study.pk)
    if locked.status != StudyStatus.IN_PROGRESS:
        raise ValidationError(
            f"Transition impossible : une étude « {locked.get_status_display().lower()} » ne peut pas être livrée."
        )
    if not deliverable:
        raise ValidationError({"deliverable": "Le livrable est obligatoire."})
    if delivered_on < locked.requested_on:
        raise ValidationError({"delivered_on": "La date de livraison ne peut pas précéder la date de la demande."})
    before = history.values_of(locked, STUDY_DELIVERY_FIELDS)
    model_update(
        instance=locked,
        fields=["status", "delivered_on", "deliverable"],
        data={"status": StudyStatus.DELIVERED, "delivered_on": delivered_on, "deliverable": deliverable},
        clean=False,
    )
    history.record(
        actor=actor,
        obj=locked,
        action=HistoryAction.DELIVERED,
        before=before,
        after=history.values_of(locked, STUDY_DELIVERY_FIELDS),
    )
    return locked
