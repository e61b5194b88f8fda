"""Rows of the list datasets: what a signed-in user sees in the interface, streamed for export.

Each function takes the requester and an optional delegation, reads through the selector that
scopes the interface (nothing outside the user's scope can appear) and yields plain dicts keyed
like the dataset's columns in ``stats.registry``. Rows are fetched in chunks (a server-side cursor
on PostgreSQL), so an export of a million rows holds a few thousand in memory at a time.
"""

from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone

from agreements.enums import COMMITTED_STATUSES
from agreements.models import ContractParty
from agreements.selectors import contract_list
from events.selectors import events_visible_to, speakers_visible_to
from partnership import permissions
from partnership.models import Collectivity
from trainings.enums import AttendanceStatus, RegistrationStatus, SessionStatus
from trainings.models import Registration
from trainings.selectors import registrations_visible_to, sessions_visible_to, with_counts, with_present_half_days

from .definitions import PLANNED_TRAINEE_DAYS, committed_programme_lines, days, delivered_half_days, trainee_days
from .indicators.coverage import department_order

CHUNK = 2000


def contract_rows(*, user, delegation_id: int | None = None) -> Iterator[dict]:
    contracts = contract_list(user).order_by("delegation__name", "reference", "pk")
    if delegation_id is not None:
        contracts = contracts.filter(delegation_id=delegation_id)
    for contract in contracts.iterator(chunk_size=CHUNK):
        yield {
            "reference": contract.reference or "",
            "title": contract.title,
            "delegation": contract.delegation.name,
            "status": contract.get_status_display(),
            "start_date": contract.start_date,
            "end_date": contract.end_date,
            "parties": ", ".join(party.collectivity.name for party in contract.parties.all()),
        }


def _in_delegation(queryset, delegation_id: int | None, path: str):
    return queryset if delegation_id is None else queryset.filter(**{path: delegation_id})


def sessions_in_scope(*, user, delegation_id: int | None = None):
    return _in_delegation(sessions_visible_to(user), delegation_id, "action__delegation_id")


def session_rows(*, user, delegation_id: int | None = None) -> Iterator[dict]:
    sessions = sessions_in_scope(user=user, delegation_id=delegation_id)
    for session in with_counts(sessions).order_by("start_date", "pk").iterator(chunk_size=CHUNK):
        yield {
            "action": session.action.title,
            "delegation": session.action.delegation.name,
            "scheme": session.action.scheme.label,
            "theme": session.action.theme.label,
            "start_date": session.start_date,
            "end_date": session.end_date,
            "venue": session.venue.name,
            "status": session.get_status_display(),
            "capacity": session.capacity,
            "confirmed": getattr(session, "confirmed_count", None),
            "waitlisted": getattr(session, "waitlisted_count", None),
        }


def registrations_in_scope(*, user, delegation_id: int | None = None):
    return _in_delegation(registrations_visible_to(user), delegation_id, "session__action__delegation_id")


def registration_rows(*, user, delegation_id: int | None = None) -> Iterator[dict]:
    registrations = registrations_in_scope(user=user, delegation_id=delegation_id)
    registrations = with_present_half_days(registrations.select_related("session__action"))
    for registration in registrations.order_by("session__start_date", "session_id", "pk").iterator(chunk_size=CHUNK):
        yield {
            "last_name": registration.last_name,
            "first_name": registration.first_name,
            "category": registration.category,
            "employer": registration.employer.name if registration.employer_id else "",
            "action": registration.session.action.title,
            "start_date": registration.session.start_date,
            "status": registration.get_status_display(),
            "present_half_days": getattr(registration, "present_half_days", 0),
        }


def event_rows(*, user, delegation_id: int | None = None) -> Iterator[dict]:
    events = _in_delegation(events_visible_to(user), delegation_id, "delegation_id")
    events = events.select_related("delegation", "venue_commune").order_by("starts_at", "pk")
    for event in events.iterator(chunk_size=CHUNK):
        yield {
            "title": event.title,
            "kind": event.get_kind_display(),
            "status": event.get_status_display(),
            "delegation": event.delegation.name if event.delegation_id else "National",
            "starts_at": event.starts_at.date(),
            "venue": event.venue_commune.name if event.venue_commune_id else "En ligne",
            "capacity": event.capacity,
        }


def speaker_rows(*, user, delegation_id: int | None = None) -> Iterator[dict]:
    speakers = speakers_visible_to(user).filter(anonymised_at__isnull=True).prefetch_related("expertises", "regions")
    for speaker in speakers.order_by("last_name", "first_name", "pk").iterator(chunk_size=CHUNK):
        yield {
            "last_name": speaker.last_name,
            "first_name": speaker.first_name,
            "organisation": speaker.organisation,
            "job_title": speaker.job_title,
            "themes": ", ".join(e.get_theme_display() for e in speaker.expertises.all()),
            "regions": ", ".join(r.name for r in speaker.regions.all()),
            "is_active": "oui" if speaker.is_active else "non",
        }


# --- The AMF's datasets ------------------------------------------------------------------------------


ANONYMISED_KEYS = (
    "session",
    "start_date",
    "theme",
    "scheme",
    "category",
    "employer_code",
    "status",
    "present_half_days",
)


def anonymised_queryset(*, user, delegation_id: int | None = None):
    """One tuple per registration in ``user``'s scope, without the person (``ANONYMISED_KEYS``)."""
    registrations = registrations_in_scope(user=user, delegation_id=delegation_id)
    return (
        registrations.order_by()
        .annotate(
            present=Count("attendances", filter=Q(attendances__status=AttendanceStatus.PRESENT)),
            # The status as the application writes it (« Confirmée »), by the database itself: the same
            # value in the rows and in PostgreSQL's COPY.
            status_label=Case(
                *(When(status=value, then=Value(label)) for value, label in RegistrationStatus.choices),
                default=F("status"),
                output_field=CharField(),
            ),
        )
        .values_list(
            "session_id",
            "session__start_date",
            "session__action__theme__label",
            "session__action__scheme__label",
            "category",
            "employer__code",
            "status_label",
            "present",
        )
    )


def anonymised_registration_rows(*, user, delegation_id: int | None = None) -> Iterator[dict]:
    """One row per registration, without the person: what the AMF may cross with its members' data.

    Read as tuples through a server-side cursor: a million rows cost no model instances.
    """
    for row in anonymised_queryset(user=user, delegation_id=delegation_id).iterator(chunk_size=CHUNK):
        yield dict(zip(ANONYMISED_KEYS, row, strict=True))


def collectivities_in_scope(user, delegation_id: int | None):
    """Collectivités whose figures ``user`` may export: their delegation's territory, or their own."""
    collectivities = Collectivity.objects.covered_by_cnfpt()
    scope = permissions.delegation_scope(user)
    if scope is None:
        pass
    elif scope:
        collectivities = collectivities.filter(department__delegations__in=scope)
    elif permissions.is_collectivity_user(user):
        collectivities = collectivities.filter(pk=user.collectivity_id)
    else:
        return collectivities.none()
    if delegation_id is not None:
        collectivities = collectivities.filter(department__delegations=delegation_id)
    return collectivities


def collectivity_rows(*, user, delegation_id: int | None = None, department: str = "") -> Iterator[dict]:
    """Per collectivité and year: contracts, agents trained, trainee-days planned and delivered.

    A row per year in which the collectivité has a figure, and at least one row per collectivité
    (the current year, zeros) so that a departmental association finds every member. A contract
    with several parties counts for each of them, as its planned days: figures of a contract are
    not split between its parties.
    """
    collectivities = collectivities_in_scope(user, delegation_id)
    if department:
        collectivities = collectivities.filter(department__code=department)
    ids = collectivities.values("pk")
    contracts: dict = defaultdict(int)
    for collectivity_id, start, end in ContractParty.objects.filter(
        collectivity_id__in=ids, contract__status__in=COMMITTED_STATUSES
    ).values_list("collectivity_id", "contract__start_date", "contract__end_date"):
        for year in range(start.year, end.year + 1):
            contracts[collectivity_id, year] += 1
    planned = {
        (cid, year): total
        for cid, year, total in committed_programme_lines()
        .filter(contract__parties__collectivity_id__in=ids)
        .values_list("contract__parties__collectivity_id", "year")
        .annotate(total=PLANNED_TRAINEE_DAYS)
        .order_by()
    }
    trained = {
        (cid, year): n
        for cid, year, n in Registration.objects.filter(
            employer_id__in=ids, status=RegistrationStatus.CONFIRMED, session__status=SessionStatus.PLANNED
        )
        .annotate(year=ExtractYear("session__start_date"))
        .values_list("employer_id", "year")
        .annotate(n=Count("pk"))
        .values_list("employer_id", "year", "n")
        .order_by()
    }
    delivered = {
        (cid, year): n
        for cid, year, n in delivered_half_days()
        .filter(registration__employer_id__in=ids)
        .annotate(year=ExtractYear("half_day__date"))
        .values_list("registration__employer_id", "year")
        .annotate(n=Count("pk"))
        .values_list("registration__employer_id", "year", "n")
        .order_by()
    }
    years: dict = defaultdict(set)
    for key in (*contracts, *planned, *trained, *delivered):
        years[key[0]].add(key[1])
    this_year = timezone.localdate().year
    rows = collectivities.order_by().values_list("pk", "kind", "code", "siren", "name", "department__code")
    for pk, kind, code, siren, name, department in sorted(rows, key=lambda r: (department_order(r[5]), r[1], r[4])):
        for year in sorted(years.get(pk) or {this_year}):
            yield {
                "department": department,
                "kind": "Commune" if kind == "commune" else "EPCI",
                "code": code,
                "siren": siren,
                "name": name,
                "year": year,
                "contracts": contracts.get((pk, year), 0),
                "trainees": trained.get((pk, year), 0),
                "planned_trainee_days": days(planned.get((pk, year))),
                "delivered_trainee_days": trainee_days(delivered.get((pk, year), 0)),
            }


# The lists that may pass a million rows, with the rows each would write (one COUNT, no row read): what
# ``stats.limits`` checks before an XLSX file is made.
ROW_COUNTS = {
    "sessions": lambda **scope: sessions_in_scope(**scope).count(),
    "registrations": lambda **scope: registrations_in_scope(**scope).count(),
    "anonymised_registrations": lambda **scope: registrations_in_scope(**scope).count(),
}
