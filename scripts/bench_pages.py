"""The pages ``bench_load.py`` times: every page of the access matrix (``tests/security/test_access_matrix.py``)
that answers a persona 200, for each persona, with objects of the generated data of a small and of the
largest delegation. Imported by ``bench_load.py`` once Django is set up on the benchmark's database.

A scope is one delegation: its délégué(e), the collectivité of the delegation with the most registered
agents (its HR contact and signatory), a past session where one of its agents attended, a contract it is a
party to, a draft, a contract sent for signature (its document and a signing link), an event. The objects
are chosen by the same rule in both scopes, and created once (``bench-`` accounts, « Contrat de mesure »):
a second run finds them again.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db.models import CharField, Count, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from agreements.axis5.models import Internship, Study
from agreements.enums import ContractStatus, DocumentKind
from agreements.models import PartnershipContract
from agreements.signing.models import SignatureRequest
from agreements.signing.services import sending
from events.enums import EventKind, EventStatus, ExpertiseTheme, ParticipantQuality
from events.enums import RegistrationStatus as EventRegistrationStatus
from events.models import Event, EventRegistration, Speaker
from notifications.services import unsubscribe_token
from partnership.enums import ImportStatus, Role
from partnership.models import Collectivity, Delegation, ImportRequest, User
from partnership.tokens import token_hash
from stats.models import ExportRequest
from tests.agreements.factories import make_contract
from tests.security.test_access_matrix import CHECKS, SHORT
from trainings.convocation import convocation_url
from trainings.enums import AttendanceStatus, RegistrationStatus, SessionStatus
from trainings.models import Attendance, CalendarFeed, Registration, Session

BENCH_TOKEN = "jeton-du-banc-de-mesure"
SENT_TITLE = "Contrat de mesure (envoyé à la signature)"
EVENT_TITLE = "Événement de mesure (banc)"
# Personas timed, as the access matrix names them; the "other" ones (OD, OS, OH) only repeat D, S, H elsewhere.
SCOPED = ("D", "S", "H")
GLOBAL = ("anon", "N", "A", "SP")


@dataclass
class World:
    """The objects the access matrix's URLs name, taken from one delegation of the generated data."""

    delegation: Delegation
    contract: PartnershipContract
    draft: PartnershipContract
    sent: PartnershipContract
    document: object
    signature_request: SignatureRequest
    token: str
    action: object
    session: Session
    registration: Registration
    feed: CalendarFeed
    event: Event
    event_registration: EventRegistration
    speaker: Speaker
    internship: Internship
    study: Study
    export: ExportRequest | None
    import_request: ImportRequest | None = None
    users: dict = field(default_factory=dict)  # short persona name → user


def _user(email: str, role: str, **fields) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": "Banc", "last_name": "de mesure", "role": role, **fields}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def delegations_by_size() -> tuple[Delegation, Delegation]:
    """(smallest, largest) delegation by number of sessions, among those with a registered agent."""
    ranked = list(
        Delegation.objects.annotate(sessions=Count("training_actions__sessions"))
        .filter(sessions__gt=0)
        .order_by("sessions", "pk")
    )
    return ranked[0], ranked[-1]


def _top_employer(delegation) -> Collectivity:
    """The collectivité of the delegation with the most registered agents (not Paris)."""
    top = (
        Registration.objects.filter(session__action__delegation=delegation)
        .values("employer")
        .annotate(n=Count("pk"))
        .order_by("-n", "employer")
        .first()
    )
    return Collectivity.objects.get(pk=top["employer"])


def build_world(delegation: Delegation, label: str) -> World:
    code = delegation.region.code
    staff = _user(
        f"bench-delegue-{code}@bench.example", Role.DELEGATION_STAFF, delegation=delegation, function="Délégué régional"
    )
    employer = _top_employer(delegation)
    hr = _user(f"bench-rh-{code}@bench.example", Role.HR_CONTACT, collectivity=employer)
    present = Attendance.objects.filter(registration=OuterRef("pk"), status=AttendanceStatus.PRESENT)
    today = timezone.localdate()
    registration = (
        Registration.objects.filter(
            employer=employer,
            status=RegistrationStatus.CONFIRMED,
            session__action__delegation=delegation,
            session__status=SessionStatus.PLANNED,
            session__end_date__lt=today,
        )
        .filter(Exists(present))
        .select_related("session__action")
        .order_by("-session__start_date", "pk")
        .first()
    )
    session = registration.session
    contracts = PartnershipContract.objects.filter(delegation=delegation)
    signatory = _user(f"bench-maire-{code}@bench.example", Role.SIGNATORY, collectivity=employer, function="Maire")
    draft = contracts.filter(status=ContractStatus.DRAFT).order_by("pk").first() or make_contract(
        actor=staff, collectivities=[employer], start=datetime.date(2060, 1, 1), title="Brouillon de mesure"
    )
    sent = contracts.filter(title=SENT_TITLE).first()
    if sent is None:
        # Sent for signature once, by the services: its document and its signing requests, as the matrix's.
        sent = make_contract(actor=staff, collectivities=[employer], start=datetime.date(2070, 1, 1), title=SENT_TITLE)
        sending.contract_send_for_signature(contract=sent, actor=staff)
        sent.refresh_from_db()
    # A contract in force of the same collectivité (the sent one when it has none): the contract page.
    contract = (
        contracts.filter(status=ContractStatus.ACTIVE, parties__collectivity=employer).order_by("pk").first() or sent
    )
    signature_request = sent.signature_requests.order_by("step", "pk").first()
    token = f"{BENCH_TOKEN}-{code}"
    SignatureRequest.objects.filter(pk=signature_request.pk).update(token_hash=token_hash(token))
    # The same event in both scopes (a small delegation may have none): its pages show its participants.
    event = Event.objects.filter(delegation=delegation, title=EVENT_TITLE).first() or _event(delegation, employer)
    event_registration = event.registrations.order_by("pk").first()
    # The link's token moves to this run's objects (an earlier run may have given it to others).
    EventRegistration.objects.filter(token_hash=token_hash(token)).exclude(pk=event_registration.pk).update(
        token_hash=Concat(Value("banc-libere-"), Cast("pk", CharField()))
    )
    EventRegistration.objects.filter(pk=event_registration.pk).update(token_hash=token_hash(token))
    export = ExportRequest.objects.filter(requested_by=staff).first()
    if export is None:
        export = ExportRequest(
            requested_by=staff, dataset="contracts", format="csv", status="done", finished_at=timezone.now()
        )
        export.file.save("banc.csv", ContentFile(b"a;b\n"), save=False)
        export.save()
    import_request = ImportRequest.objects.filter(requested_by=staff).first()
    if import_request is None:
        import_request = ImportRequest(
            requested_by=staff,
            kind="trainings.registrations",
            parameters={"session_id": session.pk},
            target_label="Session du banc",
            line_count=600,
            status=ImportStatus.REFUSED,
            error_count=1,
            finished_at=timezone.now(),
        )
        import_request.report.save("rapport.csv", ContentFile(b"ligne;erreurs\r\n"), save=False)
        import_request.save()
    world = World(
        delegation=delegation,
        contract=contract,
        draft=draft,
        sent=sent,
        document=sent.documents.get(kind=DocumentKind.FOR_SIGNATURE),
        signature_request=signature_request,
        token=token,
        action=session.action,
        session=session,
        registration=registration,
        feed=CalendarFeed.objects.get_or_create(delegation=delegation)[0],
        event=event,
        event_registration=event_registration,
        speaker=_speaker(),
        internship=Internship.objects.order_by("pk").first(),
        study=_study(),
        export=export,
        import_request=import_request,
    )
    world.users = {
        "anon": None,
        "N": _user("bench-national@bench.example", Role.NATIONAL_STAFF),
        "A": _user("bench-amf@bench.example", Role.AMF_STAFF, is_staff=True),
        "D": staff,
        "S": signatory,
        "H": hr,
        "SP": world.speaker.user,
    }
    print(
        f"Périmètre {label} : {delegation} ({Session.objects.filter(action__delegation=delegation).count()} sessions),"
        f" collectivité {employer}, session {session.pk}, contrat {contract.pk}"
    )
    return world


def _event(delegation, collectivity) -> Event:
    """A delegation of the data without an event gets one, with a participant (written as the generator does)."""
    starts = timezone.now().replace(hour=9, minute=30, second=0, microsecond=0) - datetime.timedelta(days=30)
    event = Event.objects.create(
        title=EVENT_TITLE,
        kind=EventKind.SEMINAR,
        topic="Actualité des collectivités",
        theme=ExpertiseTheme.values[0],
        status=EventStatus.PUBLISHED,
        delegation=delegation,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=7),
        venue_commune=collectivity,
        capacity=50,
        registration_closes_at=starts - datetime.timedelta(days=2),
    )
    EventRegistration.objects.create(
        event=event,
        first_name="Participant",
        last_name="Mesure",
        email=f"participant-banc-{event.pk}@bench.example",
        quality=ParticipantQuality.values[0],
        collectivity=collectivity,
        status=EventRegistrationStatus.CONFIRMED,
        token_hash=f"banc-{event.pk}",
        checked_in_at=timezone.now(),
    )
    return event


def _study() -> Study:
    """A delivered study with its file (the demo's have none)."""
    study = Study.objects.filter(subject="Étude de mesure (banc)").first()
    if study is None:
        study = Study(
            subject="Étude de mesure (banc)",
            requester="Département formation",
            requested_on=timezone.localdate(),
            status="delivered",
            delivered_on=timezone.localdate(),
        )
        study.deliverable.save("etude-banc.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
        study.save()
    return study


def _speaker() -> Speaker:
    """The speaker who trains the most sessions, with an account."""
    speaker = Speaker.objects.annotate(n=Count("training_sessions")).order_by("-n", "pk").first()
    if speaker.user_id is None:
        speaker.user = _user("bench-intervenant@bench.example", Role.SPEAKER)
        speaker.save(update_fields=["user"])
    return speaker


def reset_throttles(worlds) -> None:
    """Forget the open API's request counts (``stats.api`` throttles per address and per user), so that its
    pages are timed answering, not refusing with 429; the production limits themselves are unchanged."""
    users = {user.pk for world in worlds for user in world.users.values() if user is not None}
    cache.delete_many(["throttle_anon_127.0.0.1", *(f"throttle_user_{pk}" for pk in sorted(users))])


def session_cookie(user) -> str | None:
    if user is None:
        return None
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "partnership.auth.AccountBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"sessionid={store.session_key}"


# The matrix's URLs name objects its own world holds; these pages take the bench's equivalents, or are left
# out with the reason.
URLS = {
    "contrats/<int:pk>/modifier/": lambda w: f"/contrats/{w.draft.pk}/modifier/",  # a draft: the form
    # The document presented for signature (a contract in force of the data has no sealed PDF to hand out).
    "contrats/<int:pk>/pdf/": lambda w: f"/contrats/{w.sent.pk}/pdf/",
    "contrats/<int:pk>/documents/<int:document_pk>/": lambda w: f"/contrats/{w.sent.pk}/documents/{w.document.pk}/",
    "signature/<str:token>/": lambda w: f"/signature/{w.token}/",
    "evenements/inscription/<str:token>/": lambda w: f"/evenements/inscription/{w.token}/",
    "evenements/gestion/<int:pk>/inscriptions/<int:registration_pk>/attestation.pdf": (
        lambda w: f"/evenements/gestion/{w.event.pk}/inscriptions/{w.event_registration.pk}/attestation.pdf"
    ),
    "formations/convocation/<str:token>/": lambda w: urlsplit(convocation_url(w.registration)).path,
    "formations/convocation/<str:token>/formation.ics": (
        lambda w: urlsplit(convocation_url(w.registration)).path + "formation.ics"
    ),
    "notifications/desabonnement/<str:token>/": (
        lambda w: f"/notifications/desabonnement/{unsubscribe_token(email=w.users['D'].email, kind='event_upcoming')}/"
    ),
}
# Where the bench's object differs from the matrix's, who gets the page (the matrix's contract is sent for
# signature: its edit page sends everyone back; the bench's draft opens the form to its delegation).
PERSONAS = {"contrats/<int:pk>/modifier/": ("N", "D")}
LEFT_OUT = {
    "healthz": "sonde de disponibilité (base et courtier), pas une page",
    "contrats/<int:pk>/contresigner/": "aucun contrat n'attend de contre-signature dans les données ; « À contresigner » est mesurée",
    "connexion/": "formulaire de connexion (anonyme seulement), sans donnée",
    "admin/login/": "formulaire de connexion (anonyme seulement), sans donnée",
}


# Pages whose size is, by what they are, the delegation's whole activity: timed once, anonymously, and
# reported apart (they do not fail the benchmark); BENCHMARKS.md says why and what would bound them.
WHOLE_ACTIVITY = {
    "formations/delegations/<slug:code>/calendrier.ics": (
        "le flux iCalendar d'une délégation : chaque demi-journée d'un an de sessions, à la taille de son activité"
    ),
}


@dataclass(frozen=True)
class Page:
    route: str
    persona: str  # short name of the access matrix
    url: object  # World -> str
    scoped: bool  # timed for a small and the largest delegation
    whole_activity: str = ""  # why the page is as large as the delegation's activity


def pages() -> list[Page]:
    """Every GET page of the access matrix, for every persona it answers 200 (OD, OS, OH aside)."""
    found = []
    for check in CHECKS:
        if check.method != "GET" or check.route in LEFT_OUT:
            continue
        url = URLS.get(check.route, check.url)
        if check.route in WHOLE_ACTIVITY:
            found.append(Page(check.route, "anon", url, True, WHOLE_ACTIVITY[check.route]))
            continue
        for short in SCOPED + GLOBAL:
            if short in PERSONAS.get(check.route, ()) or check.expected[SHORT[short]] == 200:
                found.append(Page(check.route, short, url, short in SCOPED))
    return found
