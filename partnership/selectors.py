"""Reads of the directory: the one collectivité search behind every picker, and each role's « À faire » page.

The collectivité search: the contract form, the training registration form and the public event form all
search through ``collectivities_search`` (via the ``collectivity_search`` endpoint when JavaScript runs)
and read back what was typed through ``collectivity_lookup`` (always, so the forms work without JavaScript).

The « À faire » page gathers, per role, what waits for the user and where it is done (as the
instructors' task lists of Démarches Simplifiées, or the « to sign » inbox of a signing portal).
Each block is built from the owning app's permission-aware selectors (``contracts_manageable_by``,
``sessions_visible_to``…), so nothing here widens what a user can see. Every block costs a fixed
number of queries whatever the number of items (one count, one page of items), and the menu's
counter reads the same blocks' counts.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Case, Count, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from agreements.enums import ContractStatus, InternshipStatus, SignatureRequestStatus, StudyStatus
from agreements.models import Internship, SignatureRequest, Study
from agreements.selectors import contracts_manageable_by, contracts_visible_to, parties_prefetch
from agreements.services import readiness_problems
from agreements.signing.selectors import contracts_awaiting_countersignature
from stats.enums import ExportStatus
from stats.selectors import dashboard_cached, exports_of
from trainings.enums import AttendanceStatus, RegistrationStatus, SessionStatus
from trainings.models import Attendance, Registration, SessionHalfDay
from trainings.selectors import registrations_visible_to, sessions_visible_to, with_counts

from . import permissions
from .enums import INVITABLE_ROLES, CollectivityKind
from .models import Collectivity, Delegation, Department, MayorsAssociation, Region, User
from .text import french_date, french_sort_key, normalize_search

SEARCH_LIMIT = 20
# INSEE codes (5 characters, 2A/2B in Corsica) and SIRENs (9 digits), typed alone or heading a picker label.
_CODE = re.compile(r"^\s*((?:\d{2}|2[AB])\d{3}|\d{9})(?:\s|–|-|$)", re.IGNORECASE)


def collectivities_search(query: str, *, limit: int = SEARCH_LIMIT) -> QuerySet[Collectivity]:
    """Communes and EPCIs matching ``query``, best first: the exact name, then names starting with it.

    The name is compared through ``normalize_search``, the function that fills ``search_name``: accents,
    case, hyphens, apostrophes and « St »/« Ste » do not matter. Digits search the INSEE code and the SIREN.
    Fewer than two characters find nothing. Served on PostgreSQL by the trigram and prefix indexes.
    """
    query = (query or "").strip()
    code = _CODE.match(query)
    if code:
        # A picker label typed back (``42218 – Saint-Étienne (42)``) searches its code.
        query = code.group(1)
    folded = normalize_search(query)
    if len(query) < 2 or not folded:
        return Collectivity.objects.none()
    rank = Case(
        When(search_name=folded, then=Value(0)),
        When(search_name__startswith=folded, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        Collectivity.objects.search(query)
        .select_related("department")
        .annotate(rank=rank)
        .order_by("rank", "-population", "name", "pk")[:limit]
    )


@dataclass
class Lookup:
    """What a typed collectivité resolves to: one ``found``, or the ``candidates`` to choose from."""

    found: Collectivity | None = None
    candidates: list[Collectivity] = field(default_factory=list)


def collectivity_lookup(text: str) -> Lookup:
    """Read back a collectivité typed or picked in a form: a picker label, an INSEE code, a SIREN or a name.

    A code decides alone (``42218 – Saint-Étienne (42)`` is 42218). A name is taken when exactly one
    collectivité bears it, or when it matches exactly one; otherwise the candidates are returned.
    """
    text = (text or "").strip()
    if not text:
        return Lookup()
    directory = Collectivity.objects.select_related("department")
    code = _CODE.match(text)
    if code:
        value = code.group(1).upper()
        found = directory.filter(code=value).order_by("kind").first() or directory.filter(siren=value).first()
        return Lookup(found=found)
    folded = normalize_search(text)
    same_name = list(directory.filter(search_name=folded).order_by("-population", "pk")[:SEARCH_LIMIT])
    if len(same_name) == 1:
        return Lookup(found=same_name[0])
    candidates = same_name or list(collectivities_search(text))
    if len(candidates) == 1:
        return Lookup(found=candidates[0])
    return Lookup(candidates=candidates)


def territory_counts() -> dict:
    """The directory in figures (regions, départements, communes, EPCIs, population, delegations, associations
    of mayors), as the home and « À propos » pages show them. Seven queries, whatever the size of the directory."""
    by_kind = dict(Collectivity.objects.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    population = Collectivity.objects.filter(kind=CollectivityKind.COMMUNE).aggregate(total=Sum("population"))["total"]
    return {
        "regions": Region.objects.count(),
        "departments": Department.objects.count(),
        "communes": by_kind.get(CollectivityKind.COMMUNE, 0),
        "epcis": by_kind.get(CollectivityKind.EPCI, 0),
        "population": population or 0,
        "delegations": Delegation.objects.count(),
        "mayors_associations": MayorsAssociation.objects.exclude(department=None).count(),
    }


def delegation_by_code(code: str) -> Delegation | None:
    """The delegation of ``code`` (« 11 », « 2A »…), or ``None``; a code that no delegation could bear finds none."""
    return Delegation.objects.filter(code=code).first() if code.isascii() and code else None


def delegations_by_name() -> list[Delegation]:
    """The delegations in French alphabetical order (``french_sort_key``: « Île-de-France » among the I)."""
    return sorted(Delegation.objects.all(), key=lambda delegation: french_sort_key(delegation.name))


def delegations_with_department_counts() -> QuerySet[Delegation]:
    """Every regional delegation with its region and ``department_count``."""
    return Delegation.objects.select_related("region").annotate(department_count=Count("departments"))


# Items shown per block; the block's link leads to the complete list.
TODO_ITEMS_PER_BLOCK = 10


@dataclass
class TodoItem:
    label: str
    url: str
    notes: list[str] = field(default_factory=list)
    warning: bool = False


@dataclass
class TodoBlock:
    """One kind of work waiting for the user: how many, the first ones, and where to see them all."""

    key: str
    title: str
    empty: str
    count: int = 0
    items: list[TodoItem] = field(default_factory=list)
    more_url: str = ""
    more_label: str = "Tout voir"
    # Counted in the menu's « À faire » badge: work the user has to do, not information.
    actionable: bool = True
    figures: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class _BlockSpec:
    key: str
    title: str
    empty: str
    queryset: Callable  # user -> QuerySet, or a list for blocks built from several
    item: Callable  # object -> TodoItem
    more_url: Callable = lambda user: ""
    actionable: bool = True


def _today() -> datetime.date:
    return timezone.localdate()


# --- Contracts (agreements) ----------------------------------------------------------------------


def drafts_to_complete(user) -> QuerySet:
    """Draft contracts ``user`` may change, with what ``readiness_problems`` reads joined in."""
    return (
        contracts_manageable_by(user)
        .filter(status=ContractStatus.DRAFT)
        .prefetch_related(parties_prefetch(), "programme_lines")
        .order_by("-updated_at", "-pk")
    )


def signature_requests_needing_attention(user, *, now=None) -> QuerySet:
    """Requests of a signing still in progress that the delegation must act on: link blocked after
    wrong codes, link expired or about to expire, or refused (the contract went back to draft and was
    not sent again since)."""
    now = now or timezone.now()
    soon = now + datetime.timedelta(days=settings.SIGNATURE_EXPIRY_WARNING_DAYS)
    in_progress = Q(contract__status__in=(ContractStatus.READY_FOR_SIGNATURE, ContractStatus.SIGNED_BY_COLLECTIVITY))
    sent = Q(status=SignatureRequestStatus.SENT)
    return (
        SignatureRequest.objects.filter(contract__in=contracts_manageable_by(user).values("pk"))
        .filter(
            in_progress & sent & (Q(locked_at__isnull=False) | Q(expires_at__lte=soon))
            | in_progress & Q(status=SignatureRequestStatus.EXPIRED)
            | Q(
                status=SignatureRequestStatus.DECLINED,
                contract__status=ContractStatus.DRAFT,
                contract__submitted_at__lte=F("created_at"),
            )
        )
        .select_related("contract")
        .order_by("expires_at", "pk")
    )


def _signature_problem(request, now) -> tuple[str, bool]:
    if request.status == SignatureRequestStatus.DECLINED:
        return f"Refusée : « {request.decline_reason} »", True
    if request.status == SignatureRequestStatus.EXPIRED:
        return "Lien expiré : remplacez le signataire ou remettez le contrat en brouillon.", True
    if request.locked_at is not None:
        return "Lien bloqué après plusieurs codes erronés : renvoyez un lien.", True
    if request.expires_at <= now:
        return "Lien expiré.", True
    return f"Le lien expire le {french_date(timezone.localtime(request.expires_at), 'j F Y à H:i')}.", False


def contracts_to_sign(user) -> QuerySet:
    """Contracts a signatory's collectivité has to sign now (its request is sent, not yet signed)."""
    if not permissions.is_signatory(user):
        return contracts_visible_to(user).none()
    waiting = SignatureRequest.objects.filter(
        party__collectivity_id=user.collectivity_id, status=SignatureRequestStatus.SENT
    ).values("contract_id")
    return (
        contracts_visible_to(user)
        .filter(status=ContractStatus.READY_FOR_SIGNATURE, pk__in=waiting)
        .prefetch_related(parties_prefetch())
        .order_by("submitted_at", "pk")
    )


def signed_contracts(user) -> QuerySet:
    """Contracts ``user`` may read that every party has signed, most recent first."""
    return (
        contracts_visible_to(user)
        .filter(signed_at__isnull=False)
        .select_related("delegation")
        .prefetch_related(parties_prefetch())
        .order_by("-signed_at", "-pk")
    )


def _contract_label(contract) -> str:
    names = ", ".join(party.collectivity.name for party in contract.parties.all())
    reference = contract.reference or "Brouillon"
    return f"{reference} – {contract.title}" + (f" ({names})" if names else "")


def _contract_url(contract) -> str:
    return contract.get_absolute_url()


def _draft_item(contract) -> TodoItem:
    problems = readiness_problems(contract)
    notes = [f"À compléter : {problem}" for problem in problems] or ["Prêt : il peut être envoyé à la signature."]
    return TodoItem(_contract_label(contract), _contract_url(contract), notes)


def _signature_item(request) -> TodoItem:
    note, warning = _signature_problem(request, timezone.now())
    contract = request.contract
    label = f"{contract.reference or 'Brouillon'} – {contract.title} : {request.signer_name}"
    return TodoItem(label, _contract_url(contract), [note], warning=warning)


def _to_sign_item(contract) -> TodoItem:
    notes = []
    if contract.submitted_at:
        notes.append(f"Envoyé à la signature le {french_date(timezone.localtime(contract.submitted_at))}.")
    notes.append("Le lien personnel de signature vous a été envoyé par e-mail.")
    return TodoItem(_contract_label(contract), _contract_url(contract), notes)


def _signed_item(contract) -> TodoItem:
    return TodoItem(
        _contract_label(contract),
        _contract_url(contract),
        [f"Signé le {french_date(timezone.localtime(contract.signed_at))} – {contract.delegation.name}"],
    )


def _countersign_queryset(user):
    # Already with its parties, the longest waiting first.
    return contracts_awaiting_countersignature(user)


def _countersign_item(contract) -> TodoItem:
    return TodoItem(
        _contract_label(contract),
        _contract_url(contract),
        ["Toutes les collectivités ont signé : le contrat attend votre contre-signature."],
    )


# --- Trainings ---------------------------------------------------------------------------------


def _week(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    monday = today - datetime.timedelta(days=today.weekday())
    return monday, monday + datetime.timedelta(days=6)


def sessions_this_week(user, *, today=None) -> QuerySet:
    """Planned sessions ``user`` may see that take place, even partly, this week (Monday to Sunday)."""
    monday, sunday = _week(today or _today())
    sessions = sessions_visible_to(user).filter(
        status=SessionStatus.PLANNED, start_date__lte=sunday, end_date__gte=monday
    )
    return with_counts(sessions).order_by("start_date", "pk")


def _count_of(queryset: QuerySet, group_by: str):
    """A correlated ``COUNT(*)``: several counts on one row never multiply each other."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def sessions_awaiting_attendance(user, *, today=None) -> QuerySet:
    """Sessions ``user`` may take attendance of that have a past half-day with a confirmed agent not marked.

    Missing marks = confirmed agents × past half-days − marks recorded for them on those half-days.
    """
    today = today or _today()
    if not (permissions.is_cnfpt_staff(user) or permissions.is_speaker(user)):
        return sessions_visible_to(user).none()
    sessions = sessions_visible_to(user).filter(status=SessionStatus.PLANNED, start_date__lte=today)
    return (
        sessions.annotate(
            confirmed=_count_of(
                Registration.objects.filter(session=OuterRef("pk"), status=RegistrationStatus.CONFIRMED), "session"
            ),
            past_half_days=_count_of(SessionHalfDay.objects.filter(session=OuterRef("pk"), date__lte=today), "session"),
            marks=_count_of(
                Attendance.objects.filter(
                    half_day__session=OuterRef("pk"),
                    half_day__date__lte=today,
                    registration__status=RegistrationStatus.CONFIRMED,
                ),
                "half_day__session",
            ),
        )
        .annotate(missing_marks=F("confirmed") * F("past_half_days") - F("marks"))
        .filter(missing_marks__gt=0)
        .order_by("start_date", "pk")
    )


def _session_dates(session) -> str:
    if session.start_date == session.end_date:
        return f"le {french_date(session.start_date, 'l j F Y')}"
    return f"du {french_date(session.start_date, 'l j F Y')} au {french_date(session.end_date, 'l j F Y')}"


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if abs(count) < 2 else plural}"


def _session_week_item(session) -> TodoItem:
    notes = [
        f"{_session_dates(session)}, {session.venue.name}",
        f"{_plural(session.confirmed_count, 'inscrit confirmé', 'inscrits confirmés')} sur "
        f"{_plural(session.capacity, 'place', 'places')}",
    ]
    return TodoItem(session.action.title, session.get_absolute_url(), notes)


def _attendance_item(session) -> TodoItem:
    notes = [
        _session_dates(session),
        f"{_plural(session.missing_marks, 'présence', 'présences')} à saisir "
        f"({_plural(session.confirmed, 'agent', 'agents')}, "
        f"{_plural(session.past_half_days, 'demi-journée passée', 'demi-journées passées')})",
    ]
    return TodoItem(session.action.title, reverse("trainings:attendance", args=[session.pk]), notes, warning=True)


def agents_coming_sessions(user, *, today=None) -> QuerySet:
    """Confirmed registrations of an HR contact's agents to sessions not over yet."""
    return (
        registrations_visible_to(user)
        .filter(
            status=RegistrationStatus.CONFIRMED,
            session__status=SessionStatus.PLANNED,
            session__end_date__gte=today or _today(),
        )
        .select_related("session__action")
        .order_by("session__start_date", "last_name", "first_name", "pk")
    )


def agents_waiting_list(user, *, today=None) -> QuerySet:
    """Waitlisted registrations of an HR contact's agents, each with its ``position`` in the queue.

    The queue is the order promotions follow (``trainings.services``): created_at, then pk.
    """
    ahead = Registration.objects.filter(session=OuterRef("session"), status=RegistrationStatus.WAITLISTED).filter(
        Q(created_at__lt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
    )
    return (
        registrations_visible_to(user)
        .filter(
            status=RegistrationStatus.WAITLISTED,
            session__status=SessionStatus.PLANNED,
            session__end_date__gte=today or _today(),
        )
        .select_related("session__action")
        .annotate(position=_count_of(ahead, "session") + 1)
        .order_by("session__start_date", "position", "pk")
    )


def agents_certificates(user) -> QuerySet:
    """Registrations of an HR contact's agents who attended at least one half-day: a certificate exists."""
    attended = Attendance.objects.filter(status=AttendanceStatus.PRESENT).values("registration_id")
    return (
        registrations_visible_to(user)
        .filter(status=RegistrationStatus.CONFIRMED, pk__in=attended)
        .select_related("session__action")
        .order_by("-session__end_date", "last_name", "first_name", "pk")
    )


def _registration_label(registration) -> str:
    return f"{registration.full_name} – {registration.session.action.title}"


def _coming_item(registration) -> TodoItem:
    session = registration.session
    return TodoItem(
        _registration_label(registration),
        session.get_absolute_url(),
        [f"{_session_dates(session)}, {session.venue.name}"],
    )


def _waiting_item(registration) -> TodoItem:
    session = registration.session
    position = registration.position
    rank = "1re" if position == 1 else f"{position}e"
    return TodoItem(
        _registration_label(registration),
        session.get_absolute_url(),
        [f"{rank} place sur la liste d'attente", _session_dates(session)],
    )


def _certificate_item(registration) -> TodoItem:
    return TodoItem(
        _registration_label(registration),
        reverse("trainings:certificate", args=[registration.pk]),
        [f"Attestation de présence (PDF) – session {_session_dates(registration.session)}"],
    )


def speaker_coming_sessions(user, *, today=None) -> QuerySet:
    """Sessions a speaker trains that are not over yet."""
    if not permissions.is_speaker(user):
        return sessions_visible_to(user).none()
    sessions = sessions_visible_to(user).filter(status=SessionStatus.PLANNED, end_date__gte=today or _today())
    return with_counts(sessions).order_by("start_date", "pk")


# --- Exports, axis 5, national figures ---------------------------------------------------------


def exports_ready(user, *, now=None) -> QuerySet:
    """The user's exports finished within the last week, ready to download."""
    since = (now or timezone.now()) - datetime.timedelta(days=7)
    return exports_of(user).filter(status=ExportStatus.DONE, finished_at__gte=since).order_by("-finished_at", "-pk")


def _export_item(export) -> TodoItem:
    return TodoItem(
        f"{export.dataset_label} ({export.get_format_display()})",
        export.get_absolute_url(),
        [f"Prêt depuis le {french_date(timezone.localtime(export.finished_at), 'j F Y à H:i')}"],
    )


def internships_due(user, *, today=None) -> QuerySet:
    """INET internships starting within the horizon (still planned) or ending within it (still running)."""
    if not permissions.can_view_axis5(user):
        return Internship.objects.none()
    horizon = (today or _today()) + datetime.timedelta(days=settings.AXIS5_DUE_HORIZON_DAYS)
    return Internship.objects.filter(
        Q(status=InternshipStatus.PLANNED, start_date__lte=horizon)
        | Q(status=InternshipStatus.IN_PROGRESS, end_date__lte=horizon)
    ).order_by("start_date", "pk")


def studies_due(user, *, today=None) -> QuerySet:
    """AMF studies not delivered whose due date falls within the horizon, or has passed."""
    if not permissions.can_view_axis5(user):
        return Study.objects.none()
    horizon = (today or _today()) + datetime.timedelta(days=settings.AXIS5_DUE_HORIZON_DAYS)
    return Study.objects.filter(
        status__in=(StudyStatus.REQUESTED, StudyStatus.IN_PROGRESS), due_on__lte=horizon
    ).order_by("due_on", "pk")


def _internship_item(internship) -> TodoItem:
    today = _today()
    if internship.status == InternshipStatus.PLANNED:
        late = internship.start_date < today
        note = f"Stage {'prévu depuis' if late else 'débutant'} le {french_date(internship.start_date)}"
    else:
        late = internship.end_date < today
        note = f"Stage {'terminé' if late else 'se terminant'} le {french_date(internship.end_date)} : à clôturer"
    return TodoItem(
        f"Stage INET – {internship.student_name} : {internship.subject}",
        internship.get_absolute_url(),
        [note],
        warning=late,
    )


def _study_item(study) -> TodoItem:
    late = study.due_on < _today()
    note = f"{'En retard : échéance' if late else 'Échéance'} le {french_date(study.due_on)}"
    return TodoItem(f"Étude – {study.subject}", study.get_absolute_url(), [note], warning=late)


def national_figures() -> list[tuple[str, str]]:
    """The headline figures of the statistics dashboard (the same cached computation)."""
    totals = dashboard_cached()["totals"]
    return [
        ("contrats en vigueur", intcomma(totals["active_contracts"])),
        ("jours-stagiaires prévus", intcomma(totals["planned_trainee_days"])),
        ("jours-stagiaires réalisés", intcomma(totals["delivered_trainee_days"])),
        ("événements publiés", intcomma(totals["events"])),
        ("participants aux événements", intcomma(totals["participants"])),
    ]


# --- Blocks per role ------------------------------------------------------------------------------


def _specs_for(user) -> list[_BlockSpec]:
    staff_contracts = lambda user: reverse("agreements:contract_list")  # noqa: E731
    drafts = _BlockSpec(
        "drafts",
        "Brouillons de contrat",
        "Aucun brouillon en cours.",
        drafts_to_complete,
        _draft_item,
        lambda user: reverse("agreements:contract_list") + "?status=draft",
    )
    signatures = _BlockSpec(
        "signatures",
        "Signatures bloquées, expirant ou refusées",
        "Aucune signature en difficulté.",
        signature_requests_needing_attention,
        _signature_item,
        staff_contracts,
    )
    countersign = _BlockSpec(
        "countersign",
        "Contrats à contresigner",
        "Aucun contrat n'attend votre contre-signature.",
        _countersign_queryset,
        _countersign_item,
    )
    week = _BlockSpec(
        "sessions_week",
        "Sessions de la semaine",
        "Aucune session cette semaine.",
        sessions_this_week,
        _session_week_item,
        lambda user: reverse("trainings:session_calendar"),
        actionable=False,
    )
    attendance = _BlockSpec(
        "attendance",
        "Émargement à saisir",
        "Toutes les présences des demi-journées passées sont saisies.",
        sessions_awaiting_attendance,
        _attendance_item,
        lambda user: reverse("trainings:session_list"),
    )
    exports = _BlockSpec(
        "exports",
        "Exports prêts",
        "Aucun export terminé cette semaine.",
        exports_ready,
        _export_item,
        lambda user: reverse("stats:export_list"),
        actionable=False,
    )
    axis5 = _BlockSpec(
        "axis5_due",
        "Stages et études à échéance",
        f"Aucun stage ni aucune étude à échéance dans les {settings.AXIS5_DUE_HORIZON_DAYS} prochains jours.",
        lambda user: [internships_due(user), studies_due(user)],
        lambda obj: _internship_item(obj) if hasattr(obj, "student_name") else _study_item(obj),
        lambda user: reverse("axis5:internship_list"),
    )
    latest_signed = _BlockSpec(
        "latest_signed",
        "Derniers contrats signés",
        "Aucun contrat signé pour l'instant.",
        signed_contracts,
        _signed_item,
        lambda user: reverse("agreements:contract_list") + "?status=active",
        actionable=False,
    )
    if permissions.is_delegation_staff(user):
        return [countersign, drafts, signatures, week, attendance, exports]
    if permissions.is_national_staff(user) or permissions.is_amf_staff(user):
        return [axis5, latest_signed, exports]
    if permissions.is_signatory(user):
        return [
            _BlockSpec(
                "to_sign",
                "Contrats à signer",
                "Aucun contrat n'attend votre signature.",
                contracts_to_sign,
                _to_sign_item,
                lambda user: reverse("agreements:my_contracts"),
            ),
            _BlockSpec(
                "signed",
                "Contrats signés",
                "Aucun contrat signé pour l'instant.",
                signed_contracts,
                _signed_item,
                lambda user: reverse("agreements:my_contracts"),
                actionable=False,
            ),
        ]
    if permissions.is_hr_contact(user):
        registrations = lambda user: reverse("trainings:registration_list")  # noqa: E731
        return [
            _BlockSpec(
                "coming_sessions",
                "Prochaines sessions de vos agents",
                "Aucun de vos agents n'est inscrit à une session à venir.",
                agents_coming_sessions,
                _coming_item,
                registrations,
                actionable=False,
            ),
            _BlockSpec(
                "waiting_list",
                "Vos agents en liste d'attente",
                "Aucun de vos agents n'est en liste d'attente.",
                agents_waiting_list,
                _waiting_item,
                registrations,
                actionable=False,
            ),
            _BlockSpec(
                "certificates",
                "Attestations disponibles",
                "Aucune attestation disponible pour l'instant.",
                agents_certificates,
                _certificate_item,
                registrations,
                actionable=False,
            ),
        ]
    if permissions.is_speaker(user):
        return [
            _BlockSpec(
                "speaker_sessions",
                "Vos prochaines sessions de formation",
                "Aucune session à venir.",
                speaker_coming_sessions,
                _session_week_item,
                lambda user: reverse("trainings:session_list"),
                actionable=False,
            ),
            attendance,
        ]
    return []


def _querysets(spec: _BlockSpec, user) -> list[QuerySet]:
    result = spec.queryset(user)
    return result if isinstance(result, list) else [result]


def todo_blocks(user) -> list[TodoBlock]:
    """The « À faire » page of ``user``: each block with its count and its first items."""
    blocks = []
    for spec in _specs_for(user):
        querysets = _querysets(spec, user)
        objects = [obj for queryset in querysets for obj in queryset[:TODO_ITEMS_PER_BLOCK]][:TODO_ITEMS_PER_BLOCK]
        blocks.append(
            TodoBlock(
                key=spec.key,
                title=spec.title,
                empty=spec.empty,
                count=sum(queryset.count() for queryset in querysets),
                items=[spec.item(obj) for obj in objects],
                more_url=spec.more_url(user),
                actionable=spec.actionable,
            )
        )
    if permissions.is_national_staff(user) or permissions.is_amf_staff(user):
        blocks.insert(
            0,
            TodoBlock(
                key="national_figures",
                title="Chiffres nationaux",
                empty="",
                more_url=reverse("stats:dashboard"),
                more_label="Tableau de bord statistique",
                actionable=False,
                figures=national_figures(),
            ),
        )
    return blocks


class _CountAll(Func):
    """``COUNT(*)`` that Django does not see as an aggregate: no GROUP BY, one row, usable as a subquery."""

    template = "COUNT(*)"
    output_field = IntegerField()


def todo_count(user) -> int:
    """What the menu's « À faire » badge shows: the number of items the user has to act on.

    One query whatever the role: each block's count is a scalar subquery of the same querysets the
    page lists, so every page pays one round trip for the badge.
    """
    querysets = [queryset for spec in _specs_for(user) if spec.actionable for queryset in _querysets(spec, user)]
    if not querysets:
        return 0
    counts = {
        f"count_{i}": Subquery(queryset.order_by().annotate(n=_CountAll()).values("n")[:1])
        for i, queryset in enumerate(querysets)
    }
    row = User.objects.filter(pk=user.pk).annotate(**counts).values(*counts).first() or {}
    return sum(value or 0 for value in row.values())


# --- Accounts ------------------------------------------------------------------------------------


def accounts_manageable_by(user) -> QuerySet[User]:
    """Accounts ``user`` may invite, deactivate and reactivate; every other account does not exist for them.

    National staff: every account but superusers'. Delegation staff: the HR contacts and signatories
    of the collectivités in their delegation's départements.
    """
    accounts = User.objects.select_related("collectivity__department", "delegation")
    if permissions.is_national_staff(user):
        return accounts.filter(is_superuser=False)
    if permissions.is_delegation_staff(user):
        return accounts.filter(
            role__in=INVITABLE_ROLES, collectivity__department__delegations=user.delegation_id
        ).distinct()
    return accounts.none()
