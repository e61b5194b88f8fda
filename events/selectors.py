"""Reads of events and speakers, scoped by ``partnership.permissions``.

Every object a view shows comes from a queryset here: out of scope means not found (404).
"""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from partnership import permissions
from partnership.queues import with_queue_position
from partnership.text import french_sort_key
from partnership.tokens import token_hash

from .enums import EventStatus, ExpertiseTheme, RegistrationStatus
from .models import SPEAKER_PERSONAL_FIELDS, Event, EventRegistration, Speaker, SpeakerExpertise, TimeSlot

# --- Events -------------------------------------------------------------------------------------


def _with_counts(queryset: QuerySet[Event]) -> QuerySet[Event]:
    return queryset.select_related("delegation", "venue_commune__department").annotate(
        confirmed_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
        waitlisted_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)),
    )


def events_published() -> QuerySet[Event]:
    """What anonymous visitors see: published events, soonest first."""
    return _with_counts(Event.objects.filter(status=EventStatus.PUBLISHED)).order_by("starts_at")


def events_visible_to(user) -> QuerySet[Event]:
    """Published events, plus every event ``user`` manages or may read (drafts, cancelled)."""
    if permissions.can_read_everything(user):
        return Event.objects.all()
    if permissions.is_delegation_staff(user):
        return Event.objects.filter(Q(status=EventStatus.PUBLISHED) | Q(delegation_id=user.delegation_id))
    return Event.objects.filter(status=EventStatus.PUBLISHED)


def events_managed_by(user) -> QuerySet[Event]:
    """Events ``user`` may change in the workspace: all for national staff, their delegation's otherwise."""
    if permissions.is_national_staff(user):
        queryset = Event.objects.all()
    elif permissions.is_delegation_staff(user):
        queryset = Event.objects.filter(delegation_id=user.delegation_id)
    else:
        queryset = Event.objects.none()
    return _with_counts(queryset).order_by("-starts_at")


def event_pages_visible_to(user) -> QuerySet[Event]:
    """The events of the public pages ``user`` may see, with their programme, speakers and co-organisers."""
    speakers = Prefetch("speakers", queryset=Speaker.objects.order_by("last_name"))
    slots = Prefetch("time_slots", queryset=TimeSlot.objects.prefetch_related(speakers).order_by("starts_at"))
    return _with_counts(events_visible_to(user)).prefetch_related(slots, "mayors_associations")


def with_waiting_position(registrations: QuerySet) -> QuerySet:
    """Annotate ``waiting_position`` (1: the next to get a seat; None when not waiting), as the trainings do."""
    return with_queue_position(registrations, parent="event", waiting=RegistrationStatus.WAITLISTED)


def event_registrations(event: Event) -> QuerySet[EventRegistration]:
    return with_waiting_position(event.registrations.select_related("collectivity__department", "feedback")).order_by(
        "status", "created_at", "pk"
    )


def waiting_list(event: Event) -> QuerySet[EventRegistration]:
    """The event's waiting list in promotion order: first registered, first promoted."""
    return event.registrations.filter(status=RegistrationStatus.WAITLISTED).order_by("created_at", "pk")


def seat_goes_to_if_cancelled(registration: EventRegistration) -> EventRegistration | None:
    """Who would be promoted (and e-mailed) if ``registration`` were cancelled now: what the confirmation says."""
    event = registration.event
    if (
        registration.status != RegistrationStatus.CONFIRMED
        or event.status != EventStatus.PUBLISHED
        or event.starts_at <= timezone.now()
    ):
        return None
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    if confirmed - 1 >= event.capacity:
        return None
    return waiting_list(event).first()


def registrations_of_link(token: str) -> QuerySet[EventRegistration]:
    """The registration a personal link opens (none when the token is unknown), with its waiting position."""
    return with_waiting_position(
        EventRegistration.objects.select_related("event", "collectivity__department", "feedback")
    ).filter(token_hash=token_hash(token))


def registration_is_open(event: Event, *, now=None) -> bool:
    now = now or timezone.now()
    return event.status == EventStatus.PUBLISHED and now < event.registration_closes_at and now < event.starts_at


# --- Speakers -----------------------------------------------------------------------------------


def speakers_visible_to(user) -> QuerySet[Speaker]:
    if not permissions.can_view_speakers(user):
        return Speaker.objects.none()
    return Speaker.objects.all()


def speaker_directory(*, user, query: str = "", theme: str = "", region_id: int | None = None) -> QuerySet[Speaker]:
    """Active speakers matching a free-text search and the theme and region filters."""
    queryset = speakers_visible_to(user).filter(is_active=True)
    query = (query or "").strip()
    if query:
        text = Q()
        for word in query.split():
            text &= (
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(organisation__icontains=word)
                | Q(job_title__icontains=word)
                | Q(bio__icontains=word)
            )
        queryset = queryset.filter(text)
    if theme:
        queryset = queryset.filter(expertises__theme=theme)
    if region_id:
        queryset = queryset.filter(regions__id=region_id)
    return (
        queryset.distinct()
        .prefetch_related("expertises", "regions")
        .annotate(intervention_count=Count("time_slots", distinct=True))
        .order_by("last_name", "first_name", "pk")
    )


def speaker_interventions(speaker: Speaker) -> QuerySet[TimeSlot]:
    """The speaker's interventions, most recent first: today the time slots of events.

    Extension point for the trainings app: when session trainers point to ``events.Speaker``, return
    a list that also holds their sessions (keep this function's name and argument; callers only
    iterate and read ``starts_at``, ``title`` and the event or session label).
    """
    return speaker.time_slots.select_related("event", "event__delegation").order_by("-starts_at")


def speaker_personal_data(speaker: Speaker) -> dict:
    """Everything stored about a speaker, for the RGPD export (JSON-serialisable)."""
    return {
        "intervenant": {
            **{key: getattr(speaker, name) for name, key in SPEAKER_PERSONAL_FIELDS.items()},
            "themes": [e.get_theme_display() for e in speaker.expertises.all()],
            "regions": [r.name for r in speaker.regions.all()],
            "consentement_donne_le": speaker.consent_given_at.isoformat() if speaker.consent_given_at else None,
            "version_du_texte_de_consentement": speaker.consent_text_version,
            "actif": speaker.is_active,
            "compte_utilisateur": speaker.user.email if speaker.user_id else None,
            "cree_le": speaker.created_at.isoformat(),
            "modifie_le": speaker.updated_at.isoformat(),
        },
        "interventions": [
            {
                "evenement": slot.event.title,
                "creneau": slot.title,
                "debut": slot.starts_at.isoformat(),
                "fin": slot.ends_at.isoformat(),
            }
            for slot in speaker_interventions(speaker)
        ],
        "sessions_de_formation": [
            {
                "action": session.action.title,
                "delegation": session.action.delegation.name,
                "lieu": session.venue.name,
                "debut": session.start_date.isoformat(),
                "fin": session.end_date.isoformat(),
                "statut": session.get_status_display(),
            }
            for session in speaker.training_sessions.select_related("action__delegation", "venue").order_by(
                "-start_date", "-pk"
            )
        ],
    }


def intervention_statistics() -> dict[str, dict[str, int]]:
    """Interventions (one speaker in one time slot) counted by the speaker's themes and regions."""
    through = TimeSlot.speakers.through
    by_theme = dict(
        SpeakerExpertise.objects.filter(speaker__time_slots__isnull=False)
        .values_list("theme")
        .annotate(n=Count("speaker__time_slots"))
        .values_list("theme", "n")
    )
    by_region = dict(
        through.objects.filter(speaker__regions__isnull=False)
        .values_list("speaker__regions__name")
        .annotate(n=Count("id"))
        .values_list("speaker__regions__name", "n")
    )
    labels = dict(ExpertiseTheme.choices)
    return {
        "by_theme": {labels[theme]: n for theme, n in sorted(by_theme.items())},
        "by_region": dict(sorted(by_region.items(), key=lambda item: french_sort_key(item[0]))),
        "total": through.objects.count(),
    }
