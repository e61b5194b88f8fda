"""The feuille d'émargement: attendance of a session's agents, half-day by half-day, and its history."""

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partnership import history, permissions
from partnership.enums import HistoryAction
from partnership.models import User
from partnership.text import count_label

from .attendance_due import session_attendance_refresh
from .enums import AttendanceStatus, RegistrationStatus
from .models import Attendance, Session
from .selectors import trainer_user_ids


def _check_can_take_attendance(actor, session: Session) -> None:
    if not permissions.can_take_attendance(
        actor, delegation_id=session.action.delegation_id, trainer_user_ids=trainer_user_ids(session)
    ):
        raise ValidationError("Vous ne pouvez pas pointer les présences de cette session.")


_ATTENDANCE_WORDS = {
    AttendanceStatus.PRESENT: ("présent", "présents"),
    AttendanceStatus.ABSENT: ("absent", "absents"),
    AttendanceStatus.EXCUSED: ("excusé", "excusés"),
}


def _attendance_summary(half_days: dict, statuses: dict[tuple[int, int], str]) -> dict[str, history.Value]:
    """« 3 présents, 1 absent » per half-day: counts, for the history names staff, not agents."""
    counts = Counter((half_day_id, status) for (_registration_id, half_day_id), status in statuses.items())
    summary = {}
    for half_day_id, half_day in sorted(half_days.items(), key=lambda item: (item[1].date, item[1].period)):
        parts = [
            count_label(counts[half_day_id, status], *words)
            for status, words in _ATTENDANCE_WORDS.items()
            if counts[half_day_id, status]
        ]
        summary[f"Demi-journée du {half_day}"] = ", ".join(parts) or None
    return summary


def _write_attendance(*, actor, session: Session, marks: dict[tuple[int, int], str], subject: str = "") -> int:
    """Upsert (registration id, half-day id) → status; an empty status erases the mark.

    Side effects: one history entry on the session, with the counts of each half-day that changed.
    """
    registrations = set(session.registrations.filter(status=RegistrationStatus.CONFIRMED).values_list("pk", flat=True))
    half_days = {h.pk: h for h in session.half_days.all()}
    today = timezone.localdate()
    errors = []
    for (registration_id, half_day_id), status in marks.items():
        if registration_id not in registrations:
            errors.append("Saisie refusée : une personne n'a pas d'inscription confirmée à cette session.")
        elif half_day_id not in half_days:
            errors.append("Saisie refusée : cette demi-journée n'appartient pas à la session.")
        elif status and status not in AttendanceStatus.values:
            errors.append(f"Statut de présence inconnu : {status}.")
        elif status and half_days[half_day_id].date > today:
            errors.append(f"La demi-journée du {half_days[half_day_id]} n'a pas encore eu lieu.")
    if errors:
        raise ValidationError(sorted(set(errors)))
    existing = {(a.registration_id, a.half_day_id): a for a in Attendance.objects.filter(half_day__session=session)}
    before = {key: attendance.status for key, attendance in existing.items()}
    now = timezone.now()
    to_create, to_update, to_delete = [], [], []
    for key, status in marks.items():
        current = existing.get(key)
        if not status:
            if current is not None:
                to_delete.append(current.pk)
        elif current is None:
            to_create.append(Attendance(registration_id=key[0], half_day_id=key[1], status=status, recorded_by=actor))
        elif current.status != status:
            current.status, current.recorded_by, current.recorded_at = status, actor, now
            to_update.append(current)
    Attendance.objects.bulk_create(to_create)
    Attendance.objects.bulk_update(to_update, ["status", "recorded_by", "recorded_at"])
    Attendance.objects.filter(pk__in=to_delete).delete()
    after = {**before, **{key: status for key, status in marks.items() if status}}
    for key, status in marks.items():
        if not status:
            after.pop(key, None)
    history.record(
        actor=actor,
        obj=session,
        action=HistoryAction.ATTENDANCE,
        subject=subject,
        before=_attendance_summary(half_days, before),
        after=_attendance_summary(half_days, after),
    )
    session_attendance_refresh(session_ids=[session.pk])
    return len(to_create) + len(to_update) + len(to_delete)


@transaction.atomic
def attendance_record(*, actor: User, session: Session, marks: dict[tuple[int, int], str], source: str = "") -> int:
    """Record the feuille d'émargement of a session for the whole group at once.

    ``marks`` maps (registration id, half-day id) to a status (or "" to erase it). All or nothing:
    one unknown registration or half-day, and nothing is written. Returns the number of changes.
    ``source`` says where the marks came from in the history (« Import d'un fichier CSV »).
    Side effects: the attendance rows and a history entry on the session.
    """
    _check_can_take_attendance(actor, session)
    return _write_attendance(actor=actor, session=session, marks=marks, subject=source)
