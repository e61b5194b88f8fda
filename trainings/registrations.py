"""Registrations of agents to sessions and the waiting list: one agent, a batch, a cancellation, the agents' e-mails.

The session row is locked (``select_for_update``) before its confirmed registrations are counted:
two simultaneous registrations queue on the lock, so the second one sees the first and goes to the
waiting list once the session is full.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.utils import timezone

from partnership import history, permissions
from partnership.conflicts import StaleState
from partnership.dispatch import enqueue
from partnership.enums import CollectivityUse, HistoryAction
from partnership.imports import LineErrors
from partnership.models import Collectivity, User
from partnership.services import collectivity_check_covered_by_cnfpt
from partnership.text import of_person

from . import phrases, task_names
from .attendance_due import session_attendance_refresh
from .convocation import convocation_url
from .eligibility import session_check_employer
from .enums import AgentCategory, RegistrationEmail, RegistrationStatus
from .models import Registration, Session
from .selectors import sessions_visible_to, waiting_list

DUPLICATE_AGENT = "Cet agent (même adresse e-mail) est déjà inscrit à cette session."


def registration_queue_email(registration_id: int, kind: str) -> None:
    """E-mail the agent of ``registration_id`` about ``kind`` (a ``RegistrationEmail``), from the worker after commit."""
    enqueue(task_names.SEND_REGISTRATION_EMAIL, registration_id, kind)


def _format_date(value: date) -> str:
    return value.strftime("%d/%m/%Y")


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


# --- The waiting list --------------------------------------------------------------------------


def waiting_list_fill(session: Session, *, actor) -> list[int]:
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
            registration_queue_email(registration.pk, RegistrationEmail.PROMOTED)
    return promoted


# --- One agent ---------------------------------------------------------------------------------


def _check_open_for_registration(session: Session) -> None:
    """A session cancelled or started takes no registration: the page that offered it is out of date (409)."""
    if session.is_cancelled:
        raise StaleState("Cette session est annulée : les inscriptions sont fermées.", code="left_state")
    if session.start_date <= timezone.localdate():
        raise StaleState(
            f"Les inscriptions sont closes : la session a commencé le {_format_date(session.start_date)}.",
            code="left_state",
        )


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
        raise ValidationError(phrases.CANNOT_REGISTER_TO_SESSION)
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
    registration_queue_email(
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


# --- Several agents at once (a form's lines, a CSV file) -------------------------------------


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
        raise ValidationError(phrases.CANNOT_REGISTER_TO_SESSION)
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


# --- Cancellation and the agent's e-mails --------------------------------------------------------


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
    registration_queue_email(registration.pk, RegistrationEmail.CANCELLED)
    promoted = waiting_list_fill(session, actor=actor)
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
