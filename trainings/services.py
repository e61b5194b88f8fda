"""Every write of the trainings app.

Capacity is guarded by locking the session row (``select_for_update``) before counting its
confirmed registrations: two simultaneous registrations queue on the lock, so the second one sees
the first and goes to the waiting list once the session is full.
"""

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.utils import timezone

from agreements.models import ProgrammeLine, Theme
from partnership import history, permissions
from partnership.dispatch import enqueue
from partnership.enums import CollectivityUse, HistoryAction
from partnership.imports import LineErrors
from partnership.models import Collectivity, Delegation, User
from partnership.services import collectivity_check_covered_by_cnfpt
from partnership.text import count_label, of_person

from . import task_names
from .attendance_due import session_attendance_refresh
from .convocation import convocation_url
from .eligibility import session_check_employer
from .enums import (
    ActionMode,
    AgentCategory,
    AttendanceStatus,
    Period,
    RegistrationEmail,
    RegistrationStatus,
    SessionStatus,
)
from .models import (
    Attendance,
    CalendarFeed,
    Registration,
    Session,
    SessionHalfDay,
    TrainingAction,
    TrainingScheme,
    _new_token,
)
from .selectors import sessions_visible_to, trainer_user_ids, waiting_list

logger = logging.getLogger(__name__)

DUPLICATE_AGENT = "Cet agent (même adresse e-mail) est déjà inscrit à cette session."


def _queue_email(registration_id: int, kind: str) -> None:
    enqueue(task_names.SEND_REGISTRATION_EMAIL, registration_id, kind)


def _format_date(value: date) -> str:
    return value.strftime("%d/%m/%Y")


# What the action log keeps of an action and of a session (its half-days under ``HALF_DAYS_LABEL``).
ACTION_HISTORY_FIELDS = (
    "delegation",
    "programme_line",
    "title",
    "scheme",
    "theme",
    "mode",
    "for_category_a",
    "for_category_b",
    "for_category_c",
    "duration_days",
    "objectives",
)
SESSION_HISTORY_FIELDS = ("venue", "address", "capacity", "trainers")
HALF_DAYS_LABEL = "Demi-journées"


def _session_history(session: Session) -> dict[str, history.Value]:
    values = history.values_of(session, SESSION_HISTORY_FIELDS)
    half_days = session.half_days.order_by("date", "period")
    # In calendar order, not alphabetical: « 02/03 matin, 02/03 après-midi, 10/03 matin ».
    values[HALF_DAYS_LABEL] = [str(half_day) for half_day in half_days] or None
    return values


def _registration_entry(actor, registration: Registration, action: str, before: str | None, after: str):
    """An entry on the session's history; the agent is named in the subject only (see ``partnership.history``)."""
    values_before = {"Statut": RegistrationStatus(before).label} if before else None
    values_after = {"Statut": RegistrationStatus(after).label}
    if action == HistoryAction.REGISTERED:
        values_after |= {
            "Catégorie": registration.get_category_display(),
            "Collectivité employeur": str(registration.employer),
        }
    return history.entry(
        actor=actor,
        obj=registration.session,
        action=action,
        subject=f"Inscription {of_person(registration.full_name)}",
        subject_is_person=True,
        before=values_before,
        after=values_after,
    )


def _record_registration(actor, registration: Registration, action: str, before: str | None, after: str) -> None:
    history.record_many([_registration_entry(actor, registration, action, before, after)])


# --- Actions ------------------------------------------------------------------------------------


@transaction.atomic
def training_action_create(
    *,
    actor: User,
    delegation: Delegation,
    title: str,
    scheme: TrainingScheme,
    theme: Theme,
    mode: str,
    audience: Iterable[str],
    duration_days: Decimal,
    objectives: str = "",
    programme_line: ProgrammeLine | None = None,
) -> TrainingAction:
    """Create a training action of ``delegation``, under ``programme_line`` or in the catalogue.

    Side effects: the new row and its history entry.
    """
    if not permissions.can_manage_delegation(actor, delegation.pk):
        raise ValidationError("Vous ne pouvez pas créer d'action pour cette délégation.")
    errors = {}
    if programme_line is not None:
        contract = programme_line.contract
        if contract.delegation_id != delegation.pk:
            errors["programme_line"] = "Cette ligne de programme appartient au contrat d'une autre délégation."
        elif mode == ActionMode.UNION and contract.parties.count() < 2:
            errors["mode"] = (
                "Une action en union de collectivités suppose un contrat passé avec plusieurs collectivités."
            )
    elif mode != ActionMode.INTER:
        errors["programme_line"] = "Une action intra ou en union se rattache à une ligne de programme d'un contrat."
    audience = set(audience)
    if errors:
        raise ValidationError(errors)
    action = TrainingAction(
        delegation=delegation,
        programme_line=programme_line,
        title=title,
        scheme=scheme,
        theme=theme,
        mode=mode,
        for_category_a="A" in audience,
        for_category_b="B" in audience,
        for_category_c="C" in audience,
        duration_days=duration_days,
        objectives=objectives,
        created_by=actor,
    )
    action.full_clean()
    action.save()
    history.record(
        actor=actor, obj=action, action=HistoryAction.CREATED, after=history.values_of(action, ACTION_HISTORY_FIELDS)
    )
    return action


# --- Sessions -----------------------------------------------------------------------------------


def _check_half_days(half_days: Iterable[tuple[date, str]]) -> list[tuple[date, str]]:
    half_days = sorted(set(half_days))
    if not half_days:
        raise ValidationError({"half_days": "Indiquez au moins une demi-journée."})
    if any(period not in Period.values for _day, period in half_days):
        raise ValidationError({"half_days": "Demi-journée inconnue : matin ou après-midi."})
    return half_days


def _check_venue(venue) -> None:
    if not venue.is_commune:
        raise ValidationError({"venue": "Le lieu de formation doit être une commune."})


@transaction.atomic
def session_create(
    *,
    actor: User,
    action: TrainingAction,
    half_days: Iterable[tuple[date, str]],
    venue: Collectivity,
    capacity: int,
    address: str = "",
    trainers: Iterable = (),
) -> Session:
    """Plan a session of ``action`` on the given (date, period) half-days.

    Side effects: creates the session's half-days and sets its trainers.
    """
    if not permissions.can_manage_delegation(actor, action.delegation_id):
        raise ValidationError("Vous ne pouvez pas programmer de session pour cette action.")
    half_days = _check_half_days(half_days)
    _check_venue(venue)
    if capacity is None or capacity < 1:
        raise ValidationError({"capacity": "Le nombre de places doit être d'au moins 1."})
    session = Session(
        action=action,
        venue=venue,
        address=address,
        capacity=capacity,
        start_date=half_days[0][0],
        end_date=half_days[-1][0],
    )
    session.full_clean()
    session.save()
    SessionHalfDay.objects.bulk_create(
        SessionHalfDay(session=session, date=day, period=period) for day, period in half_days
    )
    trainers = list(trainers)
    if trainers:
        session.trainers.set(trainers)
    history.record(actor=actor, obj=session, action=HistoryAction.CREATED, after=_session_history(session))
    return session


@transaction.atomic
def session_update(
    *,
    actor: User,
    session: Session,
    capacity: int,
    venue: Collectivity,
    address: str = "",
    half_days: Iterable[tuple[date, str]] | None = None,
    trainers: Iterable | None = None,
) -> Session:
    """Change a session's capacity, venue, half-days or trainers.

    Refused (nothing changed) when the capacity would fall below the confirmed registrations, or
    when a removed half-day already has attendance recorded.
    Side effects: a raised capacity confirms waiting agents in registration order and e-mails them.
    """
    if not permissions.can_manage_delegation(actor, session.action.delegation_id):
        raise ValidationError("Vous ne pouvez pas modifier cette session.")
    session = Session.objects.select_for_update().get(pk=session.pk)
    _check_venue(venue)
    before = _session_history(session)
    confirmed = session.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    if capacity is None or capacity < 1:
        raise ValidationError({"capacity": "Le nombre de places doit être d'au moins 1."})
    if capacity < confirmed:
        raise ValidationError(
            {
                "capacity": f"Impossible de réduire à {count_label(capacity, 'place')} : {confirmed} inscriptions sont déjà "
                "confirmées. Annulez d'abord des inscriptions."
            }
        )
    fields = ["capacity", "venue", "address", "updated_at"]
    if half_days is not None:
        wanted = _check_half_days(half_days)
        existing = {(h.date, h.period): h for h in session.half_days.all()}
        removed = [h for key, h in existing.items() if key not in set(wanted)]
        if removed and Attendance.objects.filter(half_day__in=removed).exists():
            raise ValidationError(
                {
                    "half_days": "Une demi-journée retirée a déjà des présences saisies : elle ne peut pas être supprimée."
                }
            )
        SessionHalfDay.objects.filter(pk__in=[h.pk for h in removed]).delete()
        SessionHalfDay.objects.bulk_create(
            SessionHalfDay(session=session, date=day, period=period)
            for day, period in wanted
            if (day, period) not in existing
        )
        session.start_date, session.end_date = wanted[0][0], wanted[-1][0]
        fields += ["start_date", "end_date"]
    session.capacity, session.venue, session.address = capacity, venue, address
    session.full_clean()
    session.save(update_fields=fields)
    if trainers is not None:
        session.trainers.set(list(trainers))
    history.record(
        actor=actor, obj=session, action=HistoryAction.UPDATED, before=before, after=_session_history(session)
    )
    if session.start_date > timezone.localdate():
        _fill_from_waiting_list(session, actor=actor)
    session_attendance_refresh(session_ids=[session.pk])
    return session


@transaction.atomic
def session_cancel(*, actor: User, session: Session) -> Session:
    """Cancel a session that has not started.

    Side effects: cancels its confirmed and waiting registrations and e-mails those agents.
    """
    if not permissions.can_manage_delegation(actor, session.action.delegation_id):
        raise ValidationError("Vous ne pouvez pas annuler cette session.")
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.is_cancelled:
        raise ValidationError("Cette session est déjà annulée.")
    if session.start_date <= timezone.localdate():
        raise ValidationError("Une session commencée ne peut plus être annulée.")
    session.status = SessionStatus.CANCELLED
    session.save(update_fields=["status", "updated_at"])
    active = list(session.registrations.exclude(status=RegistrationStatus.CANCELLED).values_list("pk", flat=True))
    Registration.objects.filter(pk__in=active).update(status=RegistrationStatus.CANCELLED, cancelled_at=timezone.now())
    history.record(
        actor=actor,
        obj=session,
        action=HistoryAction.CANCELLED,
        before={"Statut": SessionStatus.PLANNED.label, "Inscriptions en cours": str(len(active))},
        after={"Statut": SessionStatus.CANCELLED.label, "Inscriptions en cours": "0"},
    )
    for registration_id in active:
        _queue_email(registration_id, RegistrationEmail.CANCELLED)
    session_attendance_refresh(session_ids=[session.pk])
    return session


# --- Registrations ------------------------------------------------------------------------------


def _check_open_for_registration(session: Session) -> None:
    if session.is_cancelled:
        raise ValidationError("Cette session est annulée : les inscriptions sont fermées.")
    if session.start_date <= timezone.localdate():
        raise ValidationError(
            f"Les inscriptions sont closes : la session a commencé le {_format_date(session.start_date)}."
        )


def _fill_from_waiting_list(session: Session, *, actor) -> list[int]:
    """Confirm waiting agents, first registered first, while places are free (session row locked).

    Each promotion goes in the session's history, signed by ``actor``, whose change freed the place.
    """
    free = session.capacity - session.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    if free <= 0:
        return []
    waiting = list(waiting_list(session).only("pk", "session", "first_name", "last_name")[:free])
    promoted = [registration.pk for registration in waiting]
    if promoted:
        Registration.objects.filter(pk__in=promoted, status=RegistrationStatus.WAITLISTED).update(
            status=RegistrationStatus.CONFIRMED, confirmed_at=timezone.now()
        )
        for registration in waiting:
            registration.session = session
            _record_registration(
                actor, registration, HistoryAction.PROMOTED, RegistrationStatus.WAITLISTED, RegistrationStatus.CONFIRMED
            )
            _queue_email(registration.pk, RegistrationEmail.PROMOTED)
    return promoted


INVALID_CATEGORY = "Catégorie invalide\u00a0: A, B ou C."


def _registration_scope(actor: User, session: Session, employer: Collectivity | None) -> Collectivity | None:
    """Who may register to ``session``, and the employer it means: an HR contact's own collectivité.

    Refusals that concern the whole form (or the whole batch): ``ValidationError`` without a field.
    """
    if permissions.is_hr_contact(actor):
        employer = actor.collectivity
    elif not permissions.is_cnfpt_staff(actor):
        raise ValidationError("Vous ne pouvez pas inscrire d'agent.")
    if not sessions_visible_to(actor).filter(pk=session.pk).exists():
        raise ValidationError("Vous ne pouvez pas inscrire d'agent à cette session.")
    if employer is not None and permissions.is_hr_contact(actor):
        # An HR contact has no employer field: their collectivité's refusal concerns the whole form.
        collectivity_check_covered_by_cnfpt(collectivity=employer, use=CollectivityUse.EMPLOYER)
        session_check_employer(session=session, employer=employer)
    return employer


def _active_emails(session: Session, emails=None) -> set[str]:
    """The (lower-case) addresses already registered to ``session``, cancelled registrations aside."""
    registrations = session.registrations.exclude(status=RegistrationStatus.CANCELLED)
    if emails is not None:
        registrations = registrations.annotate(address=Lower("email")).filter(address__in=list(emails))
    return {email.lower() for email in registrations.values_list("email", flat=True)}


def _registration_draft(
    *,
    actor: User,
    session: Session,
    first_name: str,
    last_name: str,
    email: str,
    category: str,
    job: str,
    employer: Collectivity | None,
    confirmed: bool,
    taken: set[str],
) -> tuple[Registration, dict[str, list[str]]]:
    """The registration of one agent to the locked ``session``, and every field's errors at once.

    The rules of one registration, for ``registration_create`` and ``registration_create_many``
    alike: the employer (given, and covered by the CNFPT), the category (A, B or C, and one the
    action is for), the address (valid, and not already registered: ``taken``), the names; an intra or
    union session takes the agents of its contract's collectivités only (``session_check_employer``).
    """
    errors: dict[str, list[str]] = {}
    if employer is None:
        errors["employer"] = ["Indiquez la collectivité employeur de l'agent."]
    else:
        try:
            collectivity_check_covered_by_cnfpt(collectivity=employer, use=CollectivityUse.EMPLOYER)
            session_check_employer(session=session, employer=employer)
        except ValidationError as exc:
            errors["employer"] = exc.messages
    email = (email or "").strip().lower()
    if category not in AgentCategory.values:
        errors["category"] = [INVALID_CATEGORY]
    elif category not in session.action.audience:
        errors["category"] = [f"Cette action s'adresse aux agents de catégorie {session.action.audience_label}."]
    if email and email in taken:
        errors["email"] = [DUPLICATE_AGENT]
    registration = Registration(
        session=session,
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
        email=email,
        category=category,
        job=(job or "").strip(),
        employer=employer,
        status=RegistrationStatus.CONFIRMED if confirmed else RegistrationStatus.WAITLISTED,
        confirmed_at=timezone.now() if confirmed else None,
        registered_by=actor,
    )
    try:
        registration.full_clean(
            exclude=["session", "employer", "registered_by", *errors], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages)
    return registration, errors


def _registration_email(registration: Registration) -> None:
    _queue_email(
        registration.pk,
        RegistrationEmail.CONFIRMED
        if registration.status == RegistrationStatus.CONFIRMED
        else RegistrationEmail.WAITLISTED,
    )


@transaction.atomic
def registration_create(
    *,
    actor: User,
    session: Session,
    first_name: str,
    last_name: str,
    email: str,
    category: str,
    job: str = "",
    employer: Collectivity | None = None,
) -> Registration:
    """Register an agent: confirmed while places remain, otherwise on the waiting list.

    An HR contact registers only their own collectivité's agents (the employer is forced). Paris, outside
    the CNFPT, is refused as the employer. A refusal names every faulty field at once (employer,
    category, e-mail, names), each on its field.
    Side effects: locks the session row; e-mails the agent (confirmation or waiting list) after commit.
    """
    employer = _registration_scope(actor, session, employer)
    session = Session.objects.select_for_update().select_related("action").get(pk=session.pk)
    _check_open_for_registration(session)
    confirmed = session.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    address = (email or "").strip().lower()
    registration, errors = _registration_draft(
        actor=actor,
        session=session,
        first_name=first_name,
        last_name=last_name,
        email=email,
        category=category,
        job=job,
        employer=employer,
        confirmed=confirmed < session.capacity,
        taken=_active_emails(session, [address]) if address else set(),
    )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:
        # The lock makes this unreachable in practice; the constraint stays the last word.
        raise ValidationError({"email": DUPLICATE_AGENT}) from exc
    _record_registration(actor, registration, HistoryAction.REGISTERED, None, registration.status)
    _registration_email(registration)
    if registration.status == RegistrationStatus.CONFIRMED:
        session_attendance_refresh(session_ids=[session.pk])
    return registration


@dataclass(frozen=True)
class AgentRow:
    """One agent to register, with the number the user knows it by (form row or CSV line)."""

    number: int
    first_name: str
    last_name: str
    email: str
    category: str
    job: str = ""
    employer: Collectivity | None = None
    employer_error: str = ""


class RegistrationBatchError(LineErrors):
    """The refusal of a batch: ``rows`` maps each faulty row number to its ``ValidationError``.

    Its messages read « Ligne 3 : champ — message », so a page without rows (the CSV import) shows
    them as they are, and the CSV import merges them with the file's own line errors.
    """

    def __init__(self, rows: dict[int, ValidationError]):
        self.rows = dict(sorted(rows.items()))
        super().__init__({number: [_row_message(error)] for number, error in self.rows.items()})


REGISTRATION_FIELD_LABELS = {
    "first_name": "prénom",
    "last_name": "nom",
    "email": "e-mail",
    "category": "catégorie",
    "job": "emploi",
    "employer": "collectivité employeur",
}


def _row_message(error: ValidationError) -> str:
    """« e-mail — Saisissez… ; catégorie — … »: a message that already names its field is not labelled twice."""
    if hasattr(error, "error_dict"):
        parts = []
        for field, messages in error.message_dict.items():
            label = REGISTRATION_FIELD_LABELS.get(field)
            text = " ".join(messages)
            parts.append(f"{label} — {text}" if label and not text.lower().startswith(label) else text)
        return "\u00a0; ".join(parts)
    return " ".join(error.messages)


@transaction.atomic
def registration_create_many(
    *,
    actor: User,
    session: Session,
    agents: list[AgentRow],
    errors: dict[int, ValidationError] | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Registration]:
    """Register several agents of ``session`` at once: all of them or none.

    Each row follows the rules of ``registration_create`` (``_registration_draft``: same scope,
    capacity, employer, category and address rules), in the given order, so the first rows take the
    free places and the next ones the waiting list; the session is locked and read once, the rows
    written in one INSERT. Every faulty row is reported at once (``RegistrationBatchError``), with
    ``errors``, the rows the caller already found faulty (a form's lines); then nothing is written
    and no e-mail leaves. ``progress(rows done)`` is called for each row (a long file, in a worker).
    Side effects: the registrations, one history entry each, one e-mail each after commit.
    """
    errors = dict(errors or {})
    if not agents and not errors:
        raise ValidationError("Indiquez au moins un agent à inscrire.")
    if not permissions.can_register_agents(actor):
        raise ValidationError("Vous ne pouvez pas inscrire d'agent à cette session.")
    # Who, and whether the session takes registrations, concern every row: said once, not on each line.
    _registration_scope(actor, session, None)
    session = Session.objects.select_for_update().select_related("action").get(pk=session.pk)
    _check_open_for_registration(session)
    # Read once under the lock, then kept up to date row by row: a batch costs the same per row
    # whatever the session already holds.
    confirmed = session.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    taken = _active_emails(session)
    drafts = []
    seen: dict[str, int] = {}
    for done, agent in enumerate(agents, start=1):
        if progress is not None:
            progress(done)
        email = (agent.email or "").strip().lower()
        if email and email in seen:
            errors[agent.number] = ValidationError(
                {"email": f"Même adresse e-mail qu'à la ligne {seen[email]}\u00a0: un agent ne s'inscrit qu'une fois."}
            )
            continue
        seen.setdefault(email, agent.number)
        if agent.employer_error:
            errors[agent.number] = ValidationError({"employer": agent.employer_error})
            continue
        registration, problems = _registration_draft(
            actor=actor,
            session=session,
            first_name=agent.first_name,
            last_name=agent.last_name,
            email=agent.email,
            category=agent.category,
            job=agent.job,
            employer=actor.collectivity if permissions.is_hr_contact(actor) else agent.employer,
            confirmed=confirmed < session.capacity,
            taken=taken,
        )
        if problems:
            errors[agent.number] = ValidationError(problems)
            continue
        drafts.append(registration)
        taken.add(email)
        confirmed += registration.status == RegistrationStatus.CONFIRMED
    if errors:
        # Nothing was written yet: nothing to undo, no e-mail.
        raise RegistrationBatchError(errors)
    try:
        with transaction.atomic():
            Registration.objects.bulk_create(drafts, batch_size=1000)
    except IntegrityError as exc:
        # The lock makes this unreachable in practice; the constraint stays the last word.
        raise ValidationError(DUPLICATE_AGENT) from exc
    history.record_many(
        _registration_entry(actor, registration, HistoryAction.REGISTERED, None, registration.status)
        for registration in drafts
    )
    for registration in drafts:
        _registration_email(registration)
    if any(registration.status == RegistrationStatus.CONFIRMED for registration in drafts):
        session_attendance_refresh(session_ids=[session.pk])
    return drafts


@transaction.atomic
def registration_cancel(*, actor: User, registration: Registration) -> list[int]:
    """Cancel a registration before the session starts; returns the ids of the promoted agents.

    Side effects: locks the session row; e-mails the cancelled agent; when a confirmed place frees,
    confirms the first waiting agent (registration order) and e-mails them.
    """
    if permissions.is_hr_contact(actor):
        if registration.employer_id != actor.collectivity_id:
            raise ValidationError("Vous ne pouvez pas annuler cette inscription.")
    elif not permissions.can_manage_delegation(actor, registration.session.action.delegation_id):
        raise ValidationError("Vous ne pouvez pas annuler cette inscription.")
    session = Session.objects.select_for_update().get(pk=registration.session_id)
    registration = Registration.objects.get(pk=registration.pk)
    if registration.is_cancelled:
        raise ValidationError("Cette inscription est déjà annulée.")
    if session.start_date <= timezone.localdate():
        raise ValidationError("La session a commencé : l'inscription ne peut plus être annulée.")
    previous = registration.status
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    registration.session = session
    _record_registration(actor, registration, HistoryAction.REGISTRATION_CANCELLED, previous, registration.status)
    _queue_email(registration.pk, RegistrationEmail.CANCELLED)
    promoted = _fill_from_waiting_list(session, actor=actor)
    session_attendance_refresh(session_ids=[session.pk])
    return promoted


def registration_send_email(*, registration_id: int, kind: str) -> bool:
    """E-mail an agent about their registration; returns False when there is nothing to send.

    Idempotent enough for retries: the message depends only on the registration and ``kind``.
    Side effects: one e-mail to the agent.
    """
    registration = (
        Registration.objects.select_related("session__action__delegation", "session__venue", "employer")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or kind not in RegistrationEmail.values:
        return False
    session = registration.session
    context = {
        "registration": registration,
        "session": session,
        "half_days": list(session.half_days.order_by("date", "period")),
        "kind": kind,
        # Built here, in the worker that sends the e-mail: the task carried only the registration's id.
        "convocation_url": convocation_url(registration),
    }
    subject = f"{RegistrationEmail(kind).label} – {session.action.title}"
    body = render_to_string("trainings/emails/registration.txt", context)
    send_mail(subject, body, None, [registration.email])
    return True


# --- Attendance ---------------------------------------------------------------------------------


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


# --- Calendar feed ------------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_regenerate(*, actor: User, delegation: Delegation) -> CalendarFeed:
    """Give ``delegation``'s iCalendar feed a new secret token (the old link stops working).

    Side effects: every subscribed calendar must use the new link.
    """
    if not permissions.can_manage_delegation(actor, delegation.pk):
        raise ValidationError("Vous ne pouvez pas renouveler le lien d'agenda de cette délégation.")
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(delegation=delegation)
    if not created:
        feed.token = _new_token()
        feed.save(update_fields=["token", "regenerated_at"])
    logger.info("Calendar feed token of delegation %s regenerated by user %s", delegation.pk, actor.pk)
    return feed


def calendar_feed_get_or_create(*, delegation: Delegation) -> CalendarFeed:
    """The feed of ``delegation``, created on first use. Side effects: may create the token row."""
    feed, _created = CalendarFeed.objects.get_or_create(delegation=delegation)
    return feed
