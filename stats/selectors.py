"""The indicators of the five axes: aggregated, non-personal figures, each in a constant number of queries.

Every indicator returns plain data (lists of dicts) so that the dashboard, the exports and the open
API share one definition. ``delegation_id`` (optional) narrows an indicator to one CNFPT regional
delegation; ``None`` gives the national figures. Nothing here returns a person's name or e-mail.
"""

from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Avg, Count, DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from rest_framework.authtoken.models import Token

from agreements.enums import COMMITTED_STATUSES, ContractStatus, InternshipStatus, StudyStatus
from agreements.models import ContractParty, Internship, PartnershipContract, ProgrammeLine, Study, Theme
from events.enums import EventKind, EventStatus, ExpertiseTheme
from events.enums import RegistrationStatus as EventRegistrationStatus
from events.models import Event, Speaker, SpeakerExpertise, TimeSlot
from partnership import permissions
from partnership.enums import CollectivityKind
from partnership.models import Collectivity, Delegation, Department, Region
from partnership.text import french_sort_key, normalize_search
from trainings.enums import AgentCategory
from trainings.models import HALF_DAY, TrainingScheme

from .enums import ExportFormat, ExportStatus
from .models import ExportRequest, InterventionTally, TrainingSummary

ONE_DECIMAL = Decimal("0.1")


def _days(value) -> Decimal:
    return Decimal(value or 0).quantize(ONE_DECIMAL)


def _share(part, whole) -> float:
    """Percentage with one decimal; 0 when there is nothing to share."""
    return round(100 * float(part) / float(whole), 1) if whole else 0.0


# --- Axis 1: contracts ---------------------------------------------------------------------------


def _contracts(delegation_id: int | None) -> QuerySet[PartnershipContract]:
    contracts = PartnershipContract.objects.order_by()
    if delegation_id is not None:
        contracts = contracts.filter(delegation_id=delegation_id)
    return contracts


def contracts_by_status(*, delegation_id: int | None = None) -> list[dict]:
    """Number of contracts in each status of the lifecycle past draft (zeros included). 1 query.

    Drafts are work in progress of a delegation, not yet contracts: public figures leave them out.
    """
    counts = dict(
        _contracts(delegation_id)
        .exclude(status=ContractStatus.DRAFT)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [
        {"status": value, "label": label, "count": counts.get(value, 0)}
        for value, label in ContractStatus.choices
        if value != ContractStatus.DRAFT
    ]


def contracts_by_delegation(*, delegation_id: int | None = None) -> list[dict]:
    """Per delegation: contracts past draft, of which in force (``active``). 1 query.

    Drafts are work in progress of the delegation, not yet contracts: they are not counted.
    """
    delegations = Delegation.objects.order_by("name")
    if delegation_id is not None:
        delegations = delegations.filter(pk=delegation_id)
    rows = delegations.annotate(
        contract_count=Count("contracts", filter=~Q(contracts__status=ContractStatus.DRAFT)),
        active_count=Count("contracts", filter=Q(contracts__status=ContractStatus.ACTIVE)),
    ).values("code", "name", "contract_count", "active_count")
    return [
        {"code": r["code"], "delegation": r["name"], "contracts": r["contract_count"], "active": r["active_count"]}
        for r in sorted(rows, key=lambda r: french_sort_key(r["name"]))
    ]


def contracts_by_start_year(*, delegation_id: int | None = None) -> list[dict]:
    """Per year: contracts (past draft) whose period starts that year. 1 query."""
    counts = (
        _contracts(delegation_id)
        .exclude(status=ContractStatus.DRAFT)
        .annotate(year=ExtractYear("start_date"))
        .values_list("year")
        .annotate(n=Count("pk"))
        .values_list("year", "n")
        .order_by("year")
    )
    return [{"year": year, "contracts": n} for year, n in counts]


def planned_trainee_days_by_year(*, delegation_id: int | None = None) -> list[dict]:
    """Per programme year: trainee-days planned by the contracts that commit the delegation. 1 query.

    Σ planned days × planned trainees of the programme lines of that year, over contracts signed, in
    force, expired or terminated (``COMMITTED_STATUSES``, as the planned figures by theme), and the
    number of those contracts with a line that year. A three-year contract plans three years.
    """
    lines = ProgrammeLine.objects.filter(contract__status__in=COMMITTED_STATUSES).order_by()
    if delegation_id is not None:
        lines = lines.filter(contract__delegation_id=delegation_id)
    rows = (
        lines.values_list("year")
        .annotate(
            contracts=Count("contract", distinct=True),
            total=Sum(F("planned_days") * F("planned_trainees"), output_field=DecimalField()),
        )
        .values_list("year", "contracts", "total")
        .order_by("year")
    )
    return [
        {"year": year, "contracts": contracts, "planned_trainee_days": _days(total)} for year, contracts, total in rows
    ]


# --- Axis 1: territorial coverage ---------------------------------------------------------------


def covered_collectivities(delegation_id: int | None) -> QuerySet:
    """Ids (``collectivity_id``) of the collectivités parties to an ``active`` contract, and of the members of
    an EPCI that is: one ``UNION`` subquery, never read into Python."""
    parties = ContractParty.objects.filter(contract__status=ContractStatus.ACTIVE).order_by()
    if delegation_id is not None:
        parties = parties.filter(contract__delegation_id=delegation_id)
    members = Collectivity.members.through.objects.filter(
        from_collectivity_id__in=parties.values("collectivity_id")
    ).order_by()
    return parties.values_list("collectivity_id").union(members.values_list("to_collectivity_id"))


def department_order(code: str) -> tuple:
    """Départements in their official order: 01…19, 2A, 2B, 21…95, then overseas (971…976)."""
    return (len(code) > 2, code.replace("2A", "20A").replace("2B", "20B"))


def region_order(code: str, name: str) -> tuple:
    """Metropolitan regions alphabetically (accents ignored, as in a French index), then overseas ones."""
    overseas = code.isdigit() and int(code) < 10
    return (overseas, normalize_search(name))


def _coverage_row(key: dict, totals: list[int]) -> dict:
    n_communes, n_population, n_covered, n_covered_population = totals
    return {
        **key,
        "communes": n_communes,
        "covered_communes": n_covered,
        "share_communes": _share(n_covered, n_communes),
        "population": n_population,
        "covered_population": n_covered_population,
        "share_population": _share(n_covered_population, n_population),
    }


def coverage_levels(*, delegation_id: int | None = None) -> tuple[list[dict], list[dict]]:
    """Coverage by département and by region, summed by the database in one pass over the communes. 2 queries.

    A commune is covered if it is a party to an ``active`` contract or a member of an EPCI that is a
    party to one (with ``delegation_id``: a contract of that delegation, in the départements it covers).
    Shares are percentages with one decimal; the population is the municipal population of the INSEE.
    The communes are joined once to the covered ids (a ``LEFT JOIN`` on a ``UNION``): PostgreSQL
    hashes the 30,000 ids once, where a ``pk IN (…) OR pk IN (…)`` filter probed two subplans for
    each commune and each aggregate, and reading the communes into Python cost a round trip per row.
    """
    # Paris is outside the CNFPT: neither covered nor in the total (DESIGN, "Paris is outside the CNFPT").
    communes = Collectivity.objects.covered_by_cnfpt().filter(kind=CollectivityKind.COMMUNE).order_by()
    if delegation_id is not None:
        communes = communes.filter(department__delegations=delegation_id)
    communes_sql, communes_params = communes.values_list("pk", "department_id", "population").query.sql_with_params()
    covered_sql, covered_params = covered_collectivities(delegation_id).query.sql_with_params()
    sql = f"""
        SELECT c.department_id, COUNT(*), COALESCE(SUM(c.population), 0), COUNT(covered.collectivity_id),
               COALESCE(SUM(CASE WHEN covered.collectivity_id IS NOT NULL THEN c.population END), 0)
        FROM ({communes_sql}) c LEFT JOIN ({covered_sql}) covered ON covered.collectivity_id = c.pk
        GROUP BY c.department_id
    """  # noqa: S608 - both parts are compiled by the ORM, with their parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, (*communes_params, *covered_params))
        totals = {department_id: [int(v) for v in values] for department_id, *values in cursor.fetchall()}
    by_department = []
    regions: dict[tuple, list[int]] = {}
    departments = Department.objects.filter(pk__in=list(totals) or [0]).values_list(
        "pk", "code", "name", "region__code", "region__name"
    )
    for pk, code, name, region_code, region_name in departments:
        by_department.append(_coverage_row({"code": code, "name": name, "region": region_name}, totals[pk]))
        region = regions.setdefault((region_code, region_name), [0, 0, 0, 0])
        for index, value in enumerate(totals[pk]):
            region[index] += value
    by_region = [_coverage_row({"code": code, "name": name}, values) for (code, name), values in regions.items()]
    return (
        sorted(by_department, key=lambda row: department_order(row["code"])),
        sorted(by_region, key=lambda row: region_order(row["code"], row["name"])),
    )


def coverage_by_department(*, delegation_id: int | None = None) -> list[dict]:
    """Per département: communes and population, and how many are covered (see ``coverage_levels``). 2 queries."""
    return coverage_levels(delegation_id=delegation_id)[0]


def coverage_by_region(*, delegation_id: int | None = None) -> list[dict]:
    """Per region: the same figures as ``coverage_by_department``, summed over its départements. 2 queries."""
    return coverage_levels(delegation_id=delegation_id)[1]


def coverage_total(rows: list[dict]) -> dict:
    """The national (or delegation) total of coverage rows, computed without a query."""
    communes = sum(r["communes"] for r in rows)
    covered = sum(r["covered_communes"] for r in rows)
    population = sum(r["population"] for r in rows)
    covered_population = sum(r["covered_population"] for r in rows)
    return {
        "communes": communes,
        "covered_communes": covered,
        "share_communes": _share(covered, communes),
        "population": population,
        "covered_population": covered_population,
        "share_population": _share(covered_population, population),
    }


# --- Axis 1: trainings ----------------------------------------------------------------------------
#
# Registrations and attendance are read from their rollup ``TrainingSummary`` (a few thousand rows,
# by delegation, commitment, themes, scheme and category), kept exact by triggers (``stats.tally``);
# ``stats.naive`` holds the same indicators computed from the raw rows, which the tests compare with
# these after random series of writes.

NO_LINE = 0  # ``TrainingSummary.line_theme_id`` of open catalogue actions


def _summaries(delegation_id: int | None) -> QuerySet[TrainingSummary]:
    summaries = TrainingSummary.objects.order_by()
    if delegation_id is not None:
        summaries = summaries.filter(delegation_id=delegation_id)
    return summaries


def trainee_days_by_theme(*, delegation_id: int | None = None) -> list[dict]:
    """Per theme of the contracts' programmes: planned vs delivered trainee-days. 3 queries.

    - planned: Σ planned days × planned trainees of the programme lines of contracts that are signed,
      in force, expired or terminated (``COMMITTED_STATUSES``);
    - delivered: half-days attended × 0.5 in the actions under those programme lines (by the line's theme);
    - catalogue: half-days attended × 0.5 in open catalogue actions (no programme line), by action theme.
    Only themes with a figure are listed.
    """
    rows = (
        _summaries(delegation_id)
        .filter(Q(line_theme_id=NO_LINE) | Q(committed=True))
        .values_list("line_theme_id", "theme_id")
        .annotate(n=Sum("present_half_days"))
    )
    attended = ((line_theme_id or None, theme_id, n) for line_theme_id, theme_id, n in rows)
    return theme_rows(planned_by_theme(delegation_id), attended)


def planned_by_theme(delegation_id: int | None) -> dict[int, Decimal]:
    """Planned trainee-days of the committed contracts' programme lines, by theme: ``{theme_id: days}``."""
    lines = ProgrammeLine.objects.filter(contract__status__in=COMMITTED_STATUSES).order_by()
    if delegation_id is not None:
        lines = lines.filter(contract__delegation_id=delegation_id)
    return dict(
        lines.values_list("theme_id")
        .annotate(total=Sum(F("planned_days") * F("planned_trainees"), output_field=DecimalField()))
        .values_list("theme_id", "total")
    )


def theme_rows(planned: dict[int, Decimal], attended) -> list[dict]:
    """The rows of « jours-stagiaires par thème » from the planned days and the attended half-days.

    ``attended`` yields ``(programme line's theme id or None, action's theme id, half-days present)``:
    under a programme line they count as delivered, in the open catalogue as catalogue days.
    """
    delivered: dict[int, int] = {}
    catalogue: dict[int, int] = {}
    for line_theme_id, action_theme_id, n in attended:
        if line_theme_id is None:
            catalogue[action_theme_id] = catalogue.get(action_theme_id, 0) + n
        else:
            delivered[line_theme_id] = delivered.get(line_theme_id, 0) + n
    # A tally row may hold zeros (every registration cancelled): only figures list a theme.
    wanted = set(planned) | {k for k, v in delivered.items() if v} | {k for k, v in catalogue.items() if v}
    # All themes (a short list) rather than ``pk__in=wanted``: an empty ``IN`` skips the query, and
    # the number of queries must not depend on the data.
    themes = [theme for theme in Theme.objects.order_by("family", "position", "label") if theme.pk in wanted]
    result = []
    for theme in themes:
        planned_days = _days(planned.get(theme.pk))
        delivered_days = _days(delivered.get(theme.pk, 0) * HALF_DAY)
        result.append(
            {
                "theme": theme.label,
                "family": theme.get_family_display(),
                "planned_trainee_days": planned_days,
                "delivered_trainee_days": delivered_days,
                "catalogue_trainee_days": _days(catalogue.get(theme.pk, 0) * HALF_DAY),
                "completion": _share(delivered_days, planned_days),
            }
        )
    return result


def trainee_days_by_scheme(*, delegation_id: int | None = None) -> list[dict]:
    """Per training scheme (loi du 19 février 2007): scheduled vs delivered trainee-days. 2 queries.

    - scheduled: half-days of the sessions (not cancelled) × confirmed registrations × 0.5, what
      would be delivered if every registered agent attended;
    - delivered: half-days attended by confirmed agents × 0.5.
    Only schemes with a figure are listed.
    """
    rows = {
        scheme_id: (scheduled, delivered)
        for scheme_id, scheduled, delivered in _summaries(delegation_id)
        .values_list("scheme_id")
        .annotate(scheduled=Sum("scheduled_half_days"), delivered=Sum("present_half_days"))
        .values_list("scheme_id", "scheduled", "delivered")
        if scheduled or delivered
    }
    schemes = [scheme for scheme in TrainingScheme.objects.order_by("position", "label") if scheme.pk in rows]
    return [
        {
            "scheme": scheme.label,
            "scheduled_trainee_days": _days(rows[scheme.pk][0] * HALF_DAY),
            "delivered_trainee_days": _days(rows[scheme.pk][1] * HALF_DAY),
        }
        for scheme in schemes
    ]


def trainees_by_category(*, delegation_id: int | None = None) -> list[dict]:
    """Per category of agent (A, B, C): trainees and the trainee-days they attended. 1 query.

    A trainee is a confirmed registration to a session that is not cancelled (an agent trained twice
    counts twice, as in CNFPT's reporting); trainee-days are their half-days present × 0.5.
    """
    rows = {
        category: (trainees, present)
        for category, trainees, present in _summaries(delegation_id)
        .values_list("category")
        .annotate(trainees=Sum("trainees"), present=Sum("present_half_days_planned"))
        .values_list("category", "trainees", "present")
    }
    total = sum(trainees for trainees, _present in rows.values())
    result = []
    for value, label in AgentCategory.choices:
        trainees, present = rows.get(value, (0, 0))
        result.append(
            {
                "category": value,
                "label": label,
                "trainees": trainees,
                "share": _share(trainees, total),
                "trainee_days": _days(present * HALF_DAY),
            }
        )
    return result


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


def _interventions_by_region(delegation_id: int | None) -> tuple[dict, dict]:
    """Interventions in events and in trainings, by region of their venue (``None``: online, or no venue). 2 queries."""
    return _event_interventions_by_region(delegation_id), dict(_training_interventions_by_region(delegation_id))


def _event_interventions_by_region(delegation_id: int | None) -> dict:
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
    ``interventions``: what ``_interventions_by_region`` returned, when the caller already read it.
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
    events, trainings = interventions or _interventions_by_region(delegation_id)
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

    ``interventions``: what ``_interventions_by_region`` returned, when the caller already read it.
    """
    events, trainings = interventions or _interventions_by_region(delegation_id)
    return {
        "speakers": _active_speakers().count(),
        "event_interventions": sum(events.values()),
        "training_interventions": sum(trainings.values()),
    }


# --- Axis 5: INET internships and studies -------------------------------------------------------


def internships_by_status() -> list[dict]:
    """INET internships at the AMF per status (national: they belong to no delegation). 1 query."""
    counts = dict(
        Internship.objects.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return [{"status": v, "label": label, "count": counts.get(v, 0)} for v, label in InternshipStatus.choices]


def studies_by_status() -> list[dict]:
    """Studies requested by the AMF per status (national). 1 query."""
    counts = dict(Study.objects.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return [{"status": v, "label": label, "count": counts.get(v, 0)} for v, label in StudyStatus.choices]


# --- Axis 3: the exchange itself ------------------------------------------------------------------


DELIVERED = (ExportStatus.DONE, ExportStatus.EXPIRED)


def exports_by_dataset(*, delegation_id: int | None = None) -> list[dict]:
    """Exports produced per dataset and format: files delivered (``done``), failures, rows delivered. 1 query.

    A file deleted since (``expired``, ``EXPORT_RETENTION_DAYS``) was delivered all the same: it counts.
    With ``delegation_id``: the exports requested by that delegation's staff.
    """
    from .registry import dataset_label  # noqa: PLC0415 — the registry is built on these selectors

    exports = ExportRequest.objects.order_by()
    if delegation_id is not None:
        exports = exports.filter(requested_by__delegation_id=delegation_id)
    rows = exports.values("dataset", "format").annotate(
        done=Count("pk", filter=Q(status__in=DELIVERED)),
        failed=Count("pk", filter=Q(status=ExportStatus.FAILED)),
        rows=Coalesce(Sum("row_count", filter=Q(status__in=DELIVERED)), Value(0)),
    )
    formats = dict(ExportFormat.choices)
    result = [
        {
            "dataset": r["dataset"],
            "label": dataset_label(r["dataset"]),
            "format": formats.get(r["format"], r["format"]),
            "done": r["done"],
            "failed": r["failed"],
            "rows": r["rows"],
        }
        for r in rows
    ]
    return sorted(result, key=lambda r: (-r["done"], r["label"], r["format"]))


# --- Reads of the exports page -------------------------------------------------------------------


def exports_of(user) -> QuerySet[ExportRequest]:
    """The exports ``user`` asked for: anybody else's look like they do not exist."""
    if not (user and user.is_authenticated):
        return ExportRequest.objects.none()
    return ExportRequest.objects.filter(requested_by=user)


def api_token_of(user) -> Token | None:
    """``user``'s token for the detailed API, if they made one."""
    return Token.objects.filter(user=user).first()


def delegation_choices(user) -> list[tuple[int, str]]:
    """Delegations whose figures ``user`` may narrow the dashboard to (1 query, none for the public)."""
    scope = permissions.delegation_scope(user)
    if scope is not None and not scope:
        return []
    delegations = Delegation.objects.order_by("name")
    if scope is not None:
        delegations = delegations.filter(pk__in=scope)
    return sorted(delegations.values_list("pk", "name"), key=lambda row: french_sort_key(row[1]))


def dashboard(*, delegation_id: int | None = None) -> dict:
    """Every indicator of the dashboard, in a constant number of queries (about twenty)."""
    departments, regions = coverage_levels(delegation_id=delegation_id)
    by_status = contracts_by_status(delegation_id=delegation_id)
    by_theme = trainee_days_by_theme(delegation_id=delegation_id)
    by_kind = events_by_kind(delegation_id=delegation_id)
    # Read once for the network's summary and its table by region.
    interventions = _interventions_by_region(delegation_id)
    return {
        "totals": {
            "active_contracts": sum(r["count"] for r in by_status if r["status"] == ContractStatus.ACTIVE),
            "planned_trainee_days": sum((r["planned_trainee_days"] for r in by_theme), Decimal(0)),
            "delivered_trainee_days": sum(
                (r["delivered_trainee_days"] + r["catalogue_trainee_days"] for r in by_theme), Decimal(0)
            ),
            "events": sum(r["events"] for r in by_kind),
            "participants": sum(r["participants"] for r in by_kind),
        },
        "contracts_by_status": by_status,
        "contracts_by_delegation": contracts_by_delegation(delegation_id=delegation_id),
        "contracts_by_start_year": contracts_by_start_year(delegation_id=delegation_id),
        "planned_trainee_days_by_year": planned_trainee_days_by_year(delegation_id=delegation_id),
        "coverage_by_region": regions,
        "coverage_total": coverage_total(regions),
        "coverage_by_department": departments,
        "trainee_days_by_theme": by_theme,
        "trainee_days_by_scheme": trainee_days_by_scheme(delegation_id=delegation_id),
        "trainees_by_category": trainees_by_category(delegation_id=delegation_id),
        "events_by_kind": by_kind,
        "speakers_summary": speakers_summary(delegation_id=delegation_id, interventions=interventions),
        "speakers_by_theme": speakers_by_theme(delegation_id=delegation_id),
        "speakers_by_region": speakers_by_region(delegation_id=delegation_id, interventions=interventions),
        "internships_by_status": internships_by_status(),
        "studies_by_status": studies_by_status(),
        "exports_by_dataset": exports_by_dataset(delegation_id=delegation_id),
    }


def dashboard_cached(*, delegation_id: int | None = None) -> dict:
    """``dashboard()``, kept in the shared cache for ``STATS_CACHE_SECONDS``: aggregated figures move
    slowly, and the coverage aggregates scan every collectivité. 0 disables the cache."""
    if not settings.STATS_CACHE_SECONDS:
        return dashboard(delegation_id=delegation_id)
    key = f"stats:dashboard:{delegation_id or 'all'}"
    data = cache.get(key)
    if data is None:
        data = dashboard(delegation_id=delegation_id)
        cache.set(key, data, timeout=settings.STATS_CACHE_SECONDS)
    return data
