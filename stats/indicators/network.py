"""Axes 2 and 4: the co-organised events (participants, attendance, satisfaction) and the speakers' network
(speakers and their interventions, in events and in trainings, by theme and by region)."""

from django.db.models import Avg, Count, Q, QuerySet, Sum

from events.enums import EventKind, EventStatus, ExpertiseTheme
from events.enums import RegistrationStatus as EventRegistrationStatus
from events.models import Event, Speaker, SpeakerExpertise, TimeSlot
from partnership.models import Region

from ..models import InterventionTally
from ..reads import shared_read
from .coverage import region_order

# --- Axis 2: events ---------------------------------------------------------------------------------


def events_by_kind(*, delegation_id: int | None = None) -> list[dict]:
    """Per kind of event (séminaire, colloque…): published events, participants, attendance, satisfaction. 1 query.

    - events: published events (drafts and cancelled events excluded);
    - participants: confirmed registrations; waitlisted: still on the waiting list;
    - attended: participants checked in on the day;
    - satisfaction: mean rating (1 to 5) of the feedback forms, ``None`` without any.
    With ``delegation_id``: events co-organised by that delegation (national events excluded).
    """
    events = Event.objects.filter(status=EventStatus.PUBLISHED).order_by()
    if delegation_id is not None:
        events = events.filter(delegation_id=delegation_id)
    rows = {
        r["kind"]: r
        for r in events.values("kind").annotate(
            events=Count("pk", distinct=True),
            participants=Count("registrations", filter=Q(registrations__status=EventRegistrationStatus.CONFIRMED)),
            waitlisted=Count("registrations", filter=Q(registrations__status=EventRegistrationStatus.WAITLISTED)),
            attended=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
            satisfaction=Avg("registrations__feedback__rating"),
        )
    }
    result = []
    for value, label in EventKind.choices:
        row = rows.get(value, {})
        satisfaction = row.get("satisfaction")
        result.append(
            {
                "kind": value,
                "label": label,
                "events": row.get("events", 0),
                "participants": row.get("participants", 0),
                "waitlisted": row.get("waitlisted", 0),
                "attended": row.get("attended", 0),
                "satisfaction": None if satisfaction is None else round(float(satisfaction), 1),
            }
        )
    return result


# --- Axis 4: speakers' network ------------------------------------------------------------------


def _event_interventions(delegation_id: int | None) -> QuerySet:
    """(time slot, speaker) pairs of published events: each is one intervention."""
    rows = TimeSlot.speakers.through.objects.filter(timeslot__event__status=EventStatus.PUBLISHED).order_by()
    if delegation_id is not None:
        rows = rows.filter(timeslot__event__delegation_id=delegation_id)
    return rows


def _training_interventions_by_region(delegation_id: int | None) -> QuerySet:
    """(region id, interventions) of the trainers of sessions that are not cancelled, by the venue's region.

    Read from the rollup ``InterventionTally`` (per delegation and venue); the venue's region is joined
    here, so that a commune moved to another département counts where it is now.
    """
    venues = InterventionTally.objects.order_by()
    if delegation_id is not None:
        venues = venues.filter(delegation_id=delegation_id)
    return (
        venues.values_list("venue__department__region_id")
        .annotate(n=Sum("interventions"))
        .values_list("venue__department__region_id", "n")
    )


def _active_speakers() -> QuerySet[Speaker]:
    return Speaker.objects.filter(is_active=True, anonymised_at__isnull=True)


def speakers_by_theme(*, delegation_id: int | None = None) -> list[dict]:
    """Per expertise theme: active speakers declaring it, and interventions in events of that theme. 2 queries.

    The network is national: the number of speakers is not narrowed by ``delegation_id``; the
    interventions are (events co-organised by the delegation).
    """
    speakers = dict(
        SpeakerExpertise.objects.filter(speaker__in=_active_speakers())
        .order_by()
        .values_list("theme")
        .annotate(n=Count("speaker", distinct=True))
        .values_list("theme", "n")
    )
    interventions = dict(
        _event_interventions(delegation_id)
        .exclude(timeslot__event__theme="")
        .values_list("timeslot__event__theme")
        .annotate(n=Count("pk"))
        .values_list("timeslot__event__theme", "n")
    )
    return [
        {
            "theme": value,
            "label": label,
            "speakers": speakers.get(value, 0),
            "event_interventions": interventions.get(value, 0),
        }
        for value, label in ExpertiseTheme.choices
    ]


@shared_read
def interventions_by_region(delegation_id: int | None) -> tuple[dict, dict]:
    """Interventions in events and in trainings, by region of their venue (``None``: online, or no venue). 2 queries."""
    return event_interventions_by_region(delegation_id), dict(_training_interventions_by_region(delegation_id))


def event_interventions_by_region(delegation_id: int | None) -> dict:
    """Interventions in published events, by region of their venue: ``{region id: interventions}``. 1 query."""
    return dict(
        _event_interventions(delegation_id)
        .values_list("timeslot__event__venue_commune__department__region_id")
        .annotate(n=Count("pk"))
        .values_list("timeslot__event__venue_commune__department__region_id", "n")
    )


def speakers_by_region(
    *, delegation_id: int | None = None, interventions: tuple[dict, dict] | None = None
) -> list[dict]:
    """Per region: active speakers who work there, and interventions held there. 4 queries.

    - event interventions: speakers of the time slots of published events whose venue is in the
      region (online events have no region);
    - training interventions: trainers of the sessions (not cancelled) held in the region.
    With ``delegation_id``: only the delegation's region, and the interventions of its events and sessions.
    ``interventions``: what ``interventions_by_region`` returned, when the caller already read it.
    """
    regions = Region.objects.order_by()
    if delegation_id is not None:
        regions = regions.filter(delegation=delegation_id)
    regions = sorted(regions, key=lambda region: region_order(region.code, region.name))
    speakers = dict(
        Speaker.regions.through.objects.filter(speaker__in=_active_speakers())
        .order_by()
        .values_list("region_id")
        .annotate(n=Count("speaker_id", distinct=True))
        .values_list("region_id", "n")
    )
    events, trainings = interventions or interventions_by_region(delegation_id)
    return [
        {
            "code": region.code,
            "region": region.name,
            "speakers": speakers.get(region.pk, 0),
            "event_interventions": events.get(region.pk, 0),
            "training_interventions": trainings.get(region.pk, 0),
        }
        for region in regions
    ]


def speakers_summary(*, delegation_id: int | None = None, interventions: tuple[dict, dict] | None = None) -> dict:
    """Active speakers of the network, and their interventions in events and in trainings. 3 queries.

    ``interventions``: what ``interventions_by_region`` returned, when the caller already read it.
    """
    events, trainings = interventions or interventions_by_region(delegation_id)
    return {
        "speakers": _active_speakers().count(),
        "event_interventions": sum(events.values()),
        "training_interventions": sum(trainings.values()),
    }
