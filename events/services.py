"""Every write on events, registrations and speakers.

Capacity is guarded by a lock on the event row (``select_for_update``): registrations, cancellations
and promotions of one event are serialised, so the number of confirmed registrations never exceeds
the capacity. E-mails leave through Celery tasks dispatched once the transaction has committed.
"""

import logging
import secrets
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from partnership import history, permissions
from partnership.dispatch import enqueue
from partnership.enums import HistoryAction
from partnership.models import Collectivity, Delegation, MayorsAssociation, Region, User
from partnership.models_utils import model_update
from partnership.personal_data import forget_admin_log
from partnership.text import french_date, of_person
from partnership.tokens import token_hash

from . import task_names, timing
from .enums import EventStatus, ExpertiseTheme, RegistrationStatus
from .models import (
    ANONYMISED_SPEAKER_NAME,
    SPEAKER_CONSENT_VERSION,
    SPEAKER_PERSONAL_FIELDS,
    Event,
    EventFeedback,
    EventRegistration,
    Speaker,
    SpeakerExpertise,
    TimeSlot,
)
from .selectors import registration_is_open, waiting_list

logger = logging.getLogger(__name__)

EVENT_FIELDS = (
    "title",
    "kind",
    "topic",
    "theme",
    "description",
    "starts_at",
    "ends_at",
    "venue_commune",
    "venue_address",
    "online_url",
    "capacity",
    "registration_closes_at",
)
# What the action log keeps of an event: its fields and its co-organisers.
EVENT_HISTORY_FIELDS = (*EVENT_FIELDS, "mayors_associations")
TIMESLOT_HISTORY_FIELDS = ("title", "description", "starts_at", "ends_at", "speakers")


def _local(value: datetime) -> str:
    return french_date(timezone.localtime(value), "j F Y à H:i")


# --- Events -------------------------------------------------------------------------------------


def _check_organiser(*, actor: User, delegation: Delegation | None) -> None:
    if permissions.is_amf_staff(actor):
        return
    if delegation is None:
        if not permissions.is_national_staff(actor):
            raise ValidationError("Seul le CNFPT national peut organiser un événement sans délégation.")
    elif not permissions.can_manage_delegation(actor, delegation.pk):
        raise ValidationError("Vous ne pouvez pas organiser un événement pour cette délégation.")


@transaction.atomic
def event_create(
    *,
    actor: User,
    delegation: Delegation | None,
    mayors_associations: list[MayorsAssociation] | QuerySet,
    fields: dict[str, Any],
) -> Event:
    """Create a draft event, to come or under way (``timing``); ``fields`` holds the values of ``EVENT_FIELDS``."""
    _check_organiser(actor=actor, delegation=delegation)
    if fields.get("ends_at"):
        timing.check_event_not_past(ends_at=fields["ends_at"])
    event = Event(
        delegation=delegation,
        created_by=actor,
        status=EventStatus.DRAFT,
        **{name: fields[name] for name in EVENT_FIELDS if name in fields},
    )
    event.full_clean()
    event.save()
    event.mayors_associations.set(mayors_associations)
    history.record(
        actor=actor,
        obj=event,
        action=HistoryAction.CREATED,
        after=history.values_of(event, ("delegation", *EVENT_HISTORY_FIELDS)),
    )
    logger.info("event %s created by user %s", event.pk, actor.pk)
    return event


@transaction.atomic
def event_update(
    *,
    event: Event,
    actor: User,
    mayors_associations: list[MayorsAssociation] | QuerySet,
    fields: dict[str, Any],
) -> Event:
    """Change an event. A larger capacity promotes waitlisted registrants (and e-mails them).

    Side effects: one history entry for what changed (none when nothing did), one per promotion.
    """
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if not permissions.can_change_event(actor, locked):
        raise ValidationError("Vous ne pouvez pas modifier cet événement.")
    if locked.status == EventStatus.CANCELLED:
        raise ValidationError("Un événement annulé ne peut plus être modifié.")
    confirmed = locked.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    if fields.get("capacity", locked.capacity) < confirmed:
        raise ValidationError(
            {"capacity": f"La capacité ne peut pas être inférieure au nombre d'inscrits confirmés ({confirmed})."}
        )
    before = history.values_of(locked, EVENT_HISTORY_FIELDS)
    model_update(instance=locked, fields=EVENT_FIELDS, data=fields)
    locked.mayors_associations.set(mayors_associations)
    history.record(
        actor=actor,
        obj=locked,
        action=HistoryAction.UPDATED,
        before=before,
        after=history.values_of(locked, EVENT_HISTORY_FIELDS),
    )
    _promote_from_waitlist(locked, actor=actor)
    return locked


@transaction.atomic
def event_publish(*, event: Event, actor: User) -> None:
    """Draft → published: the public page and the registrations open."""
    if not permissions.can_change_event(actor, event):
        raise ValidationError("Vous ne pouvez pas publier cet événement.")
    if event.registration_closes_at <= timezone.now():
        raise ValidationError("La date de clôture des inscriptions est déjà passée : modifiez-la avant de publier.")
    if not Event.objects.filter(pk=event.pk, status=EventStatus.DRAFT).update(
        status=EventStatus.PUBLISHED, updated_at=timezone.now()
    ):
        raise ValidationError("Seul un événement en brouillon peut être publié.")
    history.record(
        actor=actor,
        obj=event,
        action=HistoryAction.PUBLISHED,
        before={"Statut": EventStatus.DRAFT.label},
        after={"Statut": EventStatus.PUBLISHED.label},
    )


@transaction.atomic
def event_cancel(*, event: Event, actor: User) -> None:
    """Draft or published → cancelled; registrants (confirmed and waitlisted) are told by e-mail."""
    if not permissions.can_change_event(actor, event):
        raise ValidationError("Vous ne pouvez pas annuler cet événement.")
    # Read under the lock, so the history says which state the cancellation left.
    previous = Event.objects.select_for_update().values_list("status", flat=True).get(pk=event.pk)
    if not Event.objects.filter(pk=event.pk, status__in=[EventStatus.DRAFT, EventStatus.PUBLISHED]).update(
        status=EventStatus.CANCELLED, updated_at=timezone.now()
    ):
        raise ValidationError("Cet événement est déjà annulé.")
    history.record(
        actor=actor,
        obj=event,
        action=HistoryAction.CANCELLED,
        before={"Statut": EventStatus(previous).label},
        after={"Statut": EventStatus.CANCELLED.label},
    )
    enqueue(task_names.SEND_EVENT_CANCELLED_EMAILS, event.pk)


@transaction.atomic
def timeslot_create(
    *,
    event: Event,
    actor: User,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    description: str = "",
    speakers: list[Speaker] | QuerySet = (),
) -> TimeSlot:
    if not permissions.can_change_event(actor, event):
        raise ValidationError("Vous ne pouvez pas modifier le programme de cet événement.")
    _check_slot_period(event, starts_at, ends_at)
    slot = TimeSlot(event=event, title=title, description=description, starts_at=starts_at, ends_at=ends_at)
    slot.full_clean()
    slot.save()
    slot.speakers.set(speakers)
    history.record(
        actor=actor,
        obj=event,
        action=HistoryAction.ADDED,
        subject=_slot_subject(slot),
        after=history.values_of(slot, TIMESLOT_HISTORY_FIELDS),
    )
    return slot


def _slot_subject(slot: TimeSlot) -> str:
    return f"Créneau «\u00a0{slot.title}\u00a0»"


def _check_slot_period(event: Event, starts_at: datetime, ends_at: datetime) -> None:
    if starts_at < event.starts_at or ends_at > event.ends_at:
        raise ValidationError(
            f"Le créneau doit se tenir pendant l'événement, entre le {_local(event.starts_at)} "
            f"et le {_local(event.ends_at)}."
        )


@transaction.atomic
def timeslot_update(
    *,
    slot: TimeSlot,
    actor: User,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    description: str = "",
    speakers: list[Speaker] | QuerySet = (),
) -> TimeSlot:
    """Change a slot of the programme; it stays within the event's period."""
    locked = TimeSlot.objects.select_for_update().select_related("event").get(pk=slot.pk)
    if not permissions.can_change_event(actor, locked.event):
        raise ValidationError("Vous ne pouvez pas modifier le programme de cet événement.")
    _check_slot_period(locked.event, starts_at, ends_at)
    before = history.values_of(locked, TIMESLOT_HISTORY_FIELDS)
    locked.title, locked.description, locked.starts_at, locked.ends_at = title, description, starts_at, ends_at
    locked.full_clean()
    locked.save(update_fields=["title", "description", "starts_at", "ends_at"])
    locked.speakers.set(speakers)
    history.record(
        actor=actor,
        obj=locked.event,
        action=HistoryAction.UPDATED,
        subject=_slot_subject(locked),
        before=before,
        after=history.values_of(locked, TIMESLOT_HISTORY_FIELDS),
    )
    return locked


@transaction.atomic
def timeslot_delete(*, slot: TimeSlot, actor: User) -> None:
    if not permissions.can_change_event(actor, slot.event):
        raise ValidationError("Vous ne pouvez pas modifier le programme de cet événement.")
    history.record(
        actor=actor,
        obj=slot.event,
        action=HistoryAction.REMOVED,
        subject=_slot_subject(slot),
        before=history.values_of(slot, TIMESLOT_HISTORY_FIELDS),
    )
    slot.delete()


# --- Registrations ------------------------------------------------------------------------------


@transaction.atomic
def registration_create(
    *,
    event_id: int,
    first_name: str,
    last_name: str,
    email: str,
    quality: str,
    collectivity: Collectivity,
    job_title: str = "",
    registered_by: User | None = None,
) -> EventRegistration:
    """Register someone: confirmed while seats remain, waitlisted otherwise.

    Side effects: once the transaction commits, a task issues the personal link and e-mails it (with
    the .ics file when confirmed); until then the registration has no working link.
    """
    event = Event.objects.select_for_update().get(pk=event_id)
    now = timezone.now()
    if event.status != EventStatus.PUBLISHED:
        raise ValidationError("Les inscriptions à cet événement ne sont pas ouvertes.")
    if now >= event.starts_at:
        raise ValidationError("L'événement a déjà commencé : les inscriptions sont closes.")
    if not registration_is_open(event, now=now):
        raise ValidationError(f"Les inscriptions sont closes depuis le {_local(event.registration_closes_at)}.")
    email = email.strip().lower()
    duplicate_error = ValidationError(
        {"email": "Cette adresse e-mail est déjà inscrite à cet événement."}, code="duplicate"
    )
    active = event.registrations.exclude(status=RegistrationStatus.CANCELLED)
    if active.filter(email=email).exists():
        raise duplicate_error
    confirmed = active.filter(status=RegistrationStatus.CONFIRMED).count()
    registration = EventRegistration(
        event=event,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        quality=quality,
        collectivity=collectivity,
        job_title=job_title.strip(),
        status=RegistrationStatus.CONFIRMED if confirmed < event.capacity else RegistrationStatus.WAITLISTED,
        # A random value no token hashes to: the worker issues the link (registration_issue_link), so
        # the token never travels through the broker nor the outbox table.
        token_hash=secrets.token_hex(32),
        registered_by=registered_by if registered_by and registered_by.is_authenticated else None,
    )
    registration.full_clean(exclude=["token_hash"], validate_constraints=False)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:
        raise duplicate_error from exc
    enqueue(task_names.SEND_REGISTRATION_EMAIL, registration.pk)
    return registration


@transaction.atomic
def registration_issue_link(*, registration_id: int) -> tuple[EventRegistration, str] | None:
    """Give the registration a fresh personal link (the previous one stops working).

    Returns the registration and the plain token for the e-mail, or ``None`` once cancelled. Called by
    the e-mailing task, so the token exists only in the worker and the e-mail; a redelivered task
    sends a new link, and the newest e-mail is the one that works.
    """
    registration = (
        EventRegistration.objects.select_for_update(of=("self",))
        .select_related("event__venue_commune")
        .get(pk=registration_id)
    )
    if registration.status == RegistrationStatus.CANCELLED:
        return None
    token = secrets.token_urlsafe(32)
    registration.token_hash = token_hash(token)
    registration.save(update_fields=["token_hash"])
    return registration, token


def _promote_from_waitlist(event: Event, *, actor: User | None) -> list[EventRegistration]:
    """Fill free seats from the waiting list, oldest first. The caller holds the event row lock.

    Each promotion goes in the event's history, signed by ``actor`` whose change freed the seat;
    ``None`` when a participant cancelled through their personal link (their own act, dated on the
    registration, is not logged).
    """
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    free = event.capacity - confirmed
    if free <= 0 or event.status != EventStatus.PUBLISHED or event.starts_at <= timezone.now():
        return []
    promoted = list(waiting_list(event)[:free])
    now = timezone.now()
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        if actor is not None:
            _record_registration(
                actor, registration, HistoryAction.PROMOTED, RegistrationStatus.WAITLISTED, RegistrationStatus.CONFIRMED
            )
        enqueue(task_names.SEND_PROMOTION_EMAIL, registration.pk)
    return promoted


def _record_registration(actor: User, registration: EventRegistration, action: str, before: str, after: str) -> None:
    history.record(
        actor=actor,
        obj=registration.event,
        action=action,
        subject=f"Inscription {of_person(registration.full_name)}",
        subject_is_person=True,
        before={"Statut": RegistrationStatus(before).label},
        after={"Statut": RegistrationStatus(after).label},
    )


@transaction.atomic
def registration_cancel(*, registration: EventRegistration, actor: User | None = None) -> list[EventRegistration]:
    """Cancel a registration (from the personal link, or by staff when ``actor`` is given).

    A confirmed seat freed this way goes to the first waitlisted registrant, who is e-mailed.
    Returns the promoted registrations. Side effects: by staff, history entries on the event (the
    cancellation, each promotion); from the personal link, none (the registration dates it).
    """
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    if actor is not None and not permissions.can_change_event(actor, event):
        raise ValidationError("Vous ne pouvez pas annuler cette inscription.")
    current = EventRegistration.objects.select_for_update().get(pk=registration.pk)
    if current.status == RegistrationStatus.CANCELLED:
        raise ValidationError("Cette inscription est déjà annulée.")
    if timezone.now() >= event.starts_at:
        raise ValidationError("L'événement a commencé : l'inscription ne peut plus être annulée.")
    was_confirmed = current.status == RegistrationStatus.CONFIRMED
    previous = current.status
    current.status = RegistrationStatus.CANCELLED
    current.cancelled_at = timezone.now()
    current.save(update_fields=["status", "cancelled_at"])
    registration.status, registration.cancelled_at = current.status, current.cancelled_at
    if actor is not None:
        current.event = event
        _record_registration(actor, current, HistoryAction.REGISTRATION_CANCELLED, previous, current.status)
    return _promote_from_waitlist(event, actor=actor) if was_confirmed else []


@transaction.atomic
def registrations_check_in(*, event: Event, actor: User, present_ids: set[int]) -> int:
    """Record who is present (one form for the whole list): those ticked, and only them.

    Returns the number of participants checked in.
    """
    if not permissions.can_change_event(actor, event):
        raise ValidationError("Vous ne pouvez pas pointer les présences de cet événement.")
    now = timezone.now()
    timing.check_check_in_open(event, now=now)
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED)
    unknown = set(present_ids) - set(confirmed.values_list("pk", flat=True))
    if unknown:
        raise ValidationError("Seules les inscriptions confirmées peuvent être pointées.")
    was_present = set(confirmed.filter(checked_in_at__isnull=False).values_list("pk", flat=True))
    confirmed.filter(pk__in=present_ids, checked_in_at__isnull=True).update(checked_in_at=now)
    confirmed.exclude(pk__in=present_ids).update(checked_in_at=None)
    added, removed = len(set(present_ids) - was_present), len(was_present - set(present_ids))
    # Counts, not names: the history names the staff, not the participants.
    history.record(
        actor=actor,
        obj=event,
        action=HistoryAction.CHECKED_IN,
        before={"Participants présents": str(len(was_present))},
        after={
            "Participants présents": str(len(present_ids)),
            "Présences ajoutées": str(added) if added else None,
            "Présences retirées": str(removed) if removed else None,
        },
    )
    return len(present_ids)


@transaction.atomic
def feedback_submit(*, registration: EventRegistration, rating: int, comment: str = "") -> EventFeedback:
    """The satisfaction form, once per registration, after the event."""
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError("Seuls les participants confirmés peuvent donner leur avis.")
    if timezone.now() < registration.event.ends_at:
        raise ValidationError("Le questionnaire de satisfaction sera ouvert à la fin de l'événement.")
    feedback = EventFeedback(registration=registration, rating=rating, comment=comment.strip())
    feedback.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            feedback.save()
    except IntegrityError as exc:
        raise ValidationError("Vous avez déjà répondu au questionnaire de satisfaction.") from exc
    return feedback


# --- Speakers -----------------------------------------------------------------------------------


# What the action log keeps of a speaker's profile (erased with the profile, see ``speaker_erase``).
SPEAKER_HISTORY_FIELDS = ("user", *SPEAKER_PERSONAL_FIELDS, "regions", "is_active", "consent_given_at")
EXPERTISES_LABEL = "Thèmes d'expertise"
# The labels under which the history of events and sessions lists speakers by name.
SPEAKER_LIST_LABELS = ("Intervenants", "Formateurs")


def _speaker_history(speaker: Speaker) -> dict[str, history.Value]:
    values = history.values_of(speaker, SPEAKER_HISTORY_FIELDS)
    themes = speaker.expertises.values_list("theme", flat=True) if speaker.pk else []
    values[EXPERTISES_LABEL] = history.shown([ExpertiseTheme(theme).label for theme in themes])
    return values


def _set_expertises(speaker: Speaker, themes: list[str]) -> None:
    speaker.expertises.exclude(theme__in=themes).delete()
    existing = set(speaker.expertises.values_list("theme", flat=True))
    SpeakerExpertise.objects.bulk_create(
        [SpeakerExpertise(speaker=speaker, theme=theme) for theme in themes if theme not in existing]
    )


@transaction.atomic
def speaker_profile_save(
    *,
    user: User,
    fields: dict[str, Any],
    themes: list[str],
    regions: list[Region] | QuerySet,
    consent: bool,
) -> Speaker:
    """A speaker keeps their own profile up to date; the first save needs their consent.

    Records the consent date and the version of the consent text when consent is given
    (again when the text changed).
    """
    if not permissions.is_speaker(user):
        raise ValidationError("Seuls les intervenants ont un profil d'intervenant.")
    speaker = Speaker.objects.select_for_update().filter(user=user).first() or Speaker(user=user)
    if speaker.is_anonymised:
        raise ValidationError("Ce profil a été anonymisé à votre demande et ne peut plus être modifié.")
    before = _speaker_history(speaker) if speaker.pk else None
    needs_consent = speaker.consent_text_version != SPEAKER_CONSENT_VERSION
    if needs_consent and not consent:
        raise ValidationError({"consent": "Votre consentement est nécessaire pour figurer dans le réseau."})
    for name in SPEAKER_PERSONAL_FIELDS:
        if name in fields:
            setattr(speaker, name, fields[name])
    speaker.email = (speaker.email or user.email).strip().lower()
    if needs_consent:
        speaker.consent_given_at = timezone.now()
        speaker.consent_text_version = SPEAKER_CONSENT_VERSION
    speaker.full_clean(exclude=["user"], validate_constraints=False)
    try:
        with transaction.atomic():
            speaker.save()
    except IntegrityError as exc:
        raise ValidationError({"email": "Un autre intervenant utilise déjà cette adresse e-mail."}) from exc
    speaker.regions.set(regions)
    _set_expertises(speaker, themes)
    history.record(
        actor=user,
        obj=speaker,
        action=HistoryAction.CREATED if before is None else HistoryAction.UPDATED,
        before=before,
        after=_speaker_history(speaker),
    )
    return speaker


# What staff change of a speaker in the admin: the profile, the linked account and whether the speaker is
# still in the network. The consent is never theirs to set.
SPEAKER_STAFF_FIELDS = ("user", *SPEAKER_PERSONAL_FIELDS, "is_active")


@transaction.atomic
def speaker_save(*, actor: User, speaker: Speaker | None, fields: dict[str, Any], regions) -> Speaker:
    """Staff (AMF, national) add a speaker to the network or change one (the admin's door).

    Side effects: a history entry with what changed (none when nothing did).
    """
    if not permissions.can_manage_speakers(actor):
        raise ValidationError("Vous ne pouvez pas modifier les intervenants du réseau.")
    if speaker is not None and speaker.pk:
        locked = Speaker.objects.select_for_update().get(pk=speaker.pk)
        if locked.is_anonymised:
            raise ValidationError("Les données de cet intervenant ont été effacées : elles ne peuvent plus changer.")
        before = _speaker_history(locked)
    else:
        locked, before = Speaker(), None
    for name in SPEAKER_STAFF_FIELDS:
        if name in fields:
            setattr(locked, name, fields[name])
    locked.email = (locked.email or "").strip().lower()
    locked.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            locked.save()
    except IntegrityError as exc:
        raise ValidationError("Un autre intervenant utilise déjà cette adresse e-mail ou ce compte.") from exc
    locked.regions.set(regions)
    history.record(
        actor=actor,
        obj=locked,
        action=HistoryAction.CREATED if before is None else HistoryAction.UPDATED,
        before=before,
        after=_speaker_history(locked),
    )
    return locked


@transaction.atomic
def speaker_erase(*, speaker: Speaker, actor: User | None = None) -> Speaker:
    """RGPD erasure: anonymise the personal fields and deactivate the linked account.

    Interventions, expertise themes and regions are kept (they identify no one once the name is
    gone), so the statistics of interventions per theme and region stay the same.
    """
    if actor is not None and not permissions.can_manage_speakers(actor):
        raise ValidationError("Vous ne pouvez pas effacer les données d'un intervenant.")
    locked = Speaker.objects.select_for_update().get(pk=speaker.pk)
    if locked.is_anonymised:
        raise ValidationError("Les données de cet intervenant ont déjà été effacées.")
    full_name = locked.full_name
    for name in SPEAKER_PERSONAL_FIELDS:
        setattr(locked, name, "")
    locked.last_name = ANONYMISED_SPEAKER_NAME
    locked.is_active = False
    locked.anonymised_at = timezone.now()
    user = locked.user
    locked.user = None
    locked.save(update_fields=[*SPEAKER_PERSONAL_FIELDS, "is_active", "anonymised_at", "user", "updated_at"])
    if user is not None:
        # The account goes too: no name or address of the person may remain.
        user.is_active = False
        user.set_unusable_password()
        user.first_name = ""
        user.last_name = ANONYMISED_SPEAKER_NAME
        user.email = f"intervenant-efface-{user.pk}@invalid"
        user.phone = ""
        user.function = ""
        user.save(update_fields=["is_active", "password", "first_name", "last_name", "email", "phone", "function"])
    history.erase_person(
        obj=locked,
        user=user,
        name=full_name,
        replacement=ANONYMISED_SPEAKER_NAME,
        listed_in=("events.event", "trainings.session"),
        list_labels=SPEAKER_LIST_LABELS,
    )
    history.record(actor=actor, obj=locked, action=HistoryAction.ERASED)
    forget_admin_log(Speaker, [locked.pk])
    logger.info("speaker %s erased by user %s", locked.pk, actor.pk if actor else None)
    return locked
