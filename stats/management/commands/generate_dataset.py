"""A synthetic national year of activity, for benchmarks (never for production).

Default volumes are DESIGN's "volumes to design for": 10,000 contracts, 100,000 two-day sessions
(four half-days), 1,000,000 registrations and about 4,000,000 half-day attendance marks, plus a few
hundred events and speakers. The spread follows the territory: a delegation's share of contracts,
sessions and agents follows its number of communes, employers are drawn by population, categories
are mostly C (as in the territorial civil service), and most agents attend.

Rows are written in bulk, bypassing the services (which render a PDF per contract, lock a session
per registration…): on PostgreSQL with ``COPY``, elsewhere with ``executemany``; the database
constraints still hold. This is the bulk path of ``stats.rebuild.bulk_load``: the rollups' triggers are
off during the load, then everything they derive is recomputed once (``statistics_rebuild``: ANALYZE
first, the rollups, the sessions' attendance dates), in the same transaction.

Attendance is taken for every half-day passed, except for a quarter of the sessions of the last two
weeks, still waiting for their sheet as a delegation's would: « À faire » has some to list.

Statistics live above the other apps: this command is theirs, so that the core imports no feature app.
"""

import csv
import datetime
import io
import random
import time
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from agreements.enums import ContractStatus
from agreements.models import ContractParty, ContractTransition, PartnershipContract, ProgrammeLine, Theme
from agreements.services import default_end_date
from events.enums import EventKind, EventStatus, ExpertiseTheme, ParticipantQuality
from events.enums import RegistrationStatus as EventRegistrationStatus
from events.models import Event, EventRegistration, Speaker, SpeakerExpertise, TimeSlot
from partnership.enums import CollectivityKind
from partnership.models import Collectivity, Delegation
from stats.rebuild import bulk_load
from trainings.enums import ActionMode, AgentCategory, AttendanceStatus, Period, RegistrationStatus, SessionStatus
from trainings.models import Attendance, Registration, Session, SessionHalfDay, TrainingAction, TrainingScheme

# Shares drawn from, as (value, weight).
CONTRACT_STATUSES = [
    (ContractStatus.DRAFT, 6),
    (ContractStatus.READY_FOR_SIGNATURE, 4),
    (ContractStatus.SIGNED_BY_COLLECTIVITY, 2),
    (ContractStatus.SIGNED, 3),
    (ContractStatus.ACTIVE, 65),
    (ContractStatus.EXPIRED, 15),
    (ContractStatus.TERMINATED, 5),
]
CATEGORIES = [(AgentCategory.A, 10), (AgentCategory.B, 15), (AgentCategory.C, 75)]
REGISTRATION_STATUSES = [
    (RegistrationStatus.CONFIRMED, 97),
    (RegistrationStatus.WAITLISTED, 1),
    (RegistrationStatus.CANCELLED, 2),
]
ATTENDANCE = [(AttendanceStatus.PRESENT, 88), (AttendanceStatus.ABSENT, 8), (AttendanceStatus.EXCUSED, 4)]
CANCELLED_SESSIONS = 0.02
# Sessions ended within this many days whose attendance is not taken yet, and their share.
UNMARKED_DAYS, UNMARKED_SHARE = 14, 0.25
CHUNK = 100_000


def _picker(rng: random.Random, weighted):
    values = [value for value, _weight in weighted]
    cumulative, total = [], 0
    for _value, weight in weighted:
        total += weight
        cumulative.append(total)
    return lambda k=1: rng.choices(values, cum_weights=cumulative, k=k)


class Loader:
    """Inserts rows with explicit ids: ``COPY`` on PostgreSQL, ``executemany`` elsewhere."""

    def __init__(self):
        self.postgresql = connection.vendor == "postgresql"

    def next_id(self, model) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")  # noqa: S608
            return cursor.fetchone()[0]

    def insert(self, model, columns: list[str], rows) -> int:
        table = model._meta.db_table
        count = 0
        chunk = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= CHUNK:
                self._write(table, columns, chunk)
                count += len(chunk)
                chunk = []
        if chunk:
            self._write(table, columns, chunk)
            count += len(chunk)
        if self.postgresql and "id" in columns:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"  # noqa: S608
                )
        return count

    def _write(self, table, columns, chunk):
        with connection.cursor() as cursor:
            if self.postgresql:
                buffer = io.StringIO()
                csv.writer(buffer).writerows([["\\N" if v is None else v for v in row] for row in chunk])
                buffer.seek(0)
                cursor.cursor.copy_expert(
                    f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer
                )
            else:
                placeholders = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})",  # noqa: S608
                    chunk,
                )


class Command(BaseCommand):
    help = "Génère une année d'activité nationale synthétique pour les mesures de charge (refusé en production)."

    def add_arguments(self, parser):
        parser.add_argument("--contracts", type=int, default=10_000)
        parser.add_argument("--sessions", type=int, default=100_000)
        parser.add_argument("--registrations", type=int, default=1_000_000)
        parser.add_argument("--events", type=int, default=300)
        parser.add_argument("--speakers", type=int, default=500)
        parser.add_argument("--year", type=int, default=2026, help="année de programme des sessions")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--allow-production", action="store_true")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError("Refusé : ce jeu de données est synthétique.")
        if not Delegation.objects.exists():
            raise CommandError("Importez d'abord le référentiel territorial : manage.py import_territories.")
        started = time.monotonic()
        # The rollups are recomputed once at the end rather than row by row: see stats.rebuild.
        with bulk_load(progress=self.stdout.write):
            counts = Generator(random.Random(options["seed"]), options, self.stdout).run()
            self.stdout.write(f"Lignes écrites en {time.monotonic() - started:.0f} s ; recalcul des cumuls…")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        summary = ", ".join(f"{n:,} {label}".replace(",", "\u202f") for label, n in counts.items())
        self.stdout.write(f"Généré en {time.monotonic() - started:.0f} s : {summary}.")


class Generator:
    def __init__(self, rng: random.Random, options: dict, stdout):
        self.rng = rng
        self.options = options
        self.stdout = stdout
        self.loader = Loader()
        self.now = timezone.now()
        self.counts: dict[str, int] = {}

    def log(self, message: str) -> None:
        self.stdout.write(message)

    def run(self) -> dict[str, int]:
        self.territory()
        self.contracts()
        self.speakers()
        self.trainings()
        self.events()
        return self.counts

    # --- The territory, by delegation ----------------------------------------------------------

    def territory(self):
        self.delegations = list(Delegation.objects.order_by("pk").prefetch_related("departments"))
        self.collectivities = {}  # delegation id -> (ids, cumulative population weights, kinds)
        weights = []
        for delegation in self.delegations:
            rows = list(
                Collectivity.objects.covered_by_cnfpt()
                .filter(department__in=delegation.departments.all())
                .order_by("pk")
                .values_list("pk", "kind", "population")
            )
            cumulative, total = [], 0
            for _pk, _kind, population in rows:
                total += (population or 0) + 200
                cumulative.append(total)
            self.collectivities[delegation.pk] = (rows, cumulative)
            communes = sum(1 for _pk, kind, _p in rows if kind == CollectivityKind.COMMUNE)
            weights.append(max(communes, 50))
        self.pick_delegation = _picker(self.rng, list(zip(self.delegations, weights, strict=True)))

    def employers(self, delegation_id: int, k: int) -> list[int]:
        rows, cumulative = self.collectivities[delegation_id]
        if not rows:
            return []
        return [row[0] for row in self.rng.choices(rows, cum_weights=cumulative, k=k)]

    # --- Contracts (bulk_create: ten thousand rows) ----------------------------------------------

    def contracts(self):
        rng = self.rng
        themes = list(Theme.objects.order_by("pk"))
        status_of = _picker(rng, CONTRACT_STATUSES)
        first = PartnershipContract.objects.count()
        new = []
        for index in range(self.options["contracts"]):
            delegation = self.pick_delegation()[0]
            status = status_of()[0]
            year = self.options["year"] - rng.choice([0, 1, 2]) if status != ContractStatus.EXPIRED else 2022
            start = datetime.date(year, rng.randint(1, 12), 1)
            new.append(
                PartnershipContract(
                    reference=None if status == ContractStatus.DRAFT else f"PFX{first + index:07d}",
                    title=f"Contrat de formation n° {first + index + 1}",
                    delegation=delegation,
                    start_date=start,
                    end_date=default_end_date(start),
                    status=status,
                    objectives="Jeu de données de mesure.",
                )
            )
        created = PartnershipContract.objects.bulk_create(new, batch_size=2000)
        parties, lines, transitions = [], [], []
        self.lines_by_delegation: dict[int, list[tuple[int, int]]] = {}
        for contract in created:
            chosen = set(self.employers(contract.delegation_id, rng.choice([1, 1, 1, 2, 3])))
            for position, collectivity_id in enumerate(sorted(chosen)):
                parties.append(
                    ContractParty(
                        contract=contract,
                        collectivity_id=collectivity_id,
                        signatory_name="Maire de la commune",
                        signatory_function="Maire",
                        signatory_email=f"mairie-{collectivity_id}@bench.example",
                        deliberation_date=contract.start_date - datetime.timedelta(days=30),
                        position=position,
                    )
                )
            for year in range(contract.start_date.year, contract.end_date.year + 1):
                theme = rng.choice(themes)
                lines.append(
                    ProgrammeLine(
                        contract=contract,
                        year=year,
                        theme=theme,
                        title=theme.label[:200],
                        planned_days=Decimal(rng.choice([1, 2, 3, 5])),
                        planned_trainees=rng.randint(5, 60),
                    )
                )
            transitions.append(
                ContractTransition(
                    contract=contract, from_status="", to_status=contract.status, actor_label="Jeu de mesure"
                )
            )
        ContractParty.objects.bulk_create(parties, batch_size=5000)
        ProgrammeLine.objects.bulk_create(lines, batch_size=5000)
        ContractTransition.objects.bulk_create(transitions, batch_size=5000)
        committed = {ContractStatus.SIGNED, ContractStatus.ACTIVE, ContractStatus.EXPIRED, ContractStatus.TERMINATED}
        status = {contract.pk: contract.status for contract in created}
        delegation = {contract.pk: contract.delegation_id for contract in created}
        for line in lines:
            if line.year == self.options["year"] and status[line.contract_id] in committed:
                self.lines_by_delegation.setdefault(delegation[line.contract_id], []).append((line.pk, line.theme_id))
        self.counts.update(contrats=len(created), parties=len(parties), **{"lignes de programme": len(lines)})
        self.log(f"{len(created)} contrats.")

    # --- Speakers -----------------------------------------------------------------------------------

    def speakers(self):
        rng = self.rng
        first = Speaker.objects.count()
        speakers = Speaker.objects.bulk_create(
            [
                Speaker(
                    first_name="Intervenant",
                    last_name=f"Mesure {first + i}",
                    email=f"intervenant{first + i}@bench.example",
                    organisation="Jeu de mesure",
                    is_active=rng.random() > 0.05,
                )
                for i in range(self.options["speakers"])
            ]
        )
        themes = ExpertiseTheme.values
        SpeakerExpertise.objects.bulk_create(
            [
                SpeakerExpertise(speaker=speaker, theme=theme)
                for speaker in speakers
                for theme in rng.sample(themes, k=rng.randint(1, 3))
            ]
        )
        regions = [delegation.region_id for delegation in self.delegations]
        Speaker.regions.through.objects.bulk_create(
            [
                Speaker.regions.through(speaker_id=speaker.pk, region_id=region)
                for speaker in speakers
                for region in rng.sample(regions, k=min(len(regions), rng.randint(1, 2)))
            ]
        )
        self.speaker_ids = [speaker.pk for speaker in speakers]
        self.counts["intervenants"] = len(speakers)

    # --- Trainings (COPY: a million registrations, four million attendance marks) -------------------

    def trainings(self):
        rng, loader, options = self.rng, self.loader, self.options
        schemes = list(TrainingScheme.objects.order_by("position").values_list("pk", flat=True))
        scheme_of = _picker(rng, [(pk, 12 if i < 4 else 3) for i, pk in enumerate(schemes)])
        themes = list(Theme.objects.order_by("pk").values_list("pk", flat=True))
        category_of = _picker(rng, CATEGORIES)
        registration_status_of = _picker(rng, REGISTRATION_STATUSES)
        attendance_of = _picker(rng, ATTENDANCE)
        sessions_wanted = options["sessions"]
        per_session = options["registrations"] / max(sessions_wanted, 1)
        year_start = datetime.date(options["year"] - 1, 12, 1)
        today = timezone.localdate()

        action_id = loader.next_id(TrainingAction)
        actions = []
        sessions_of_action = []
        remaining = sessions_wanted
        while remaining > 0:
            delegation = self.pick_delegation()[0]
            lines = self.lines_by_delegation.get(delegation.pk) or []
            under_contract = lines and rng.random() < 0.6
            line_id, line_theme = rng.choice(lines) if under_contract else (None, None)
            n = min(remaining, rng.randint(1, 7))
            remaining -= n
            actions.append(
                (
                    action_id,
                    delegation.pk,
                    line_id,
                    f"Action de formation {action_id}",
                    scheme_of()[0],
                    line_theme or rng.choice(themes),
                    ActionMode.INTRA if under_contract else ActionMode.INTER,
                    True,
                    True,
                    True,
                    "",
                    Decimal(2),
                    self.now,
                )
            )
            sessions_of_action.append((action_id, delegation.pk, n))
            action_id += 1
        self.counts["actions"] = loader.insert(
            TrainingAction,
            [
                "id",
                "delegation_id",
                "programme_line_id",
                "title",
                "scheme_id",
                "theme_id",
                "mode",
                "for_category_a",
                "for_category_b",
                "for_category_c",
                "objectives",
                "duration_days",
                "created_at",
            ],
            actions,
        )
        self.log(f"{len(actions)} actions.")

        session_id = loader.next_id(Session)
        half_day_id = loader.next_id(SessionHalfDay)
        sessions, half_days, trainers = [], [], []
        plan = []  # (session id, delegation id, planned?, half-day ids and dates)
        for action, delegation_id, n in sessions_of_action:
            for _ in range(n):
                start = year_start + datetime.timedelta(days=rng.randrange(0, 360))
                if start.weekday() >= 4:  # two consecutive working days
                    start -= datetime.timedelta(days=start.weekday() - 3)
                end = start + datetime.timedelta(days=1)
                planned = rng.random() > CANCELLED_SESSIONS
                venue = self.employers(delegation_id, 1)[0]
                sessions.append(
                    (
                        session_id,
                        action,
                        SessionStatus.PLANNED if planned else SessionStatus.CANCELLED,
                        venue,
                        "",
                        20,
                        start,
                        end,
                        self.now,
                        self.now,
                    )
                )
                ids = []
                for day in (start, end):
                    for period in (Period.MORNING, Period.AFTERNOON):
                        half_days.append((half_day_id, session_id, day, period))
                        ids.append((half_day_id, day))
                        half_day_id += 1
                plan.append((session_id, delegation_id, planned, ids))
                if self.speaker_ids:
                    trainers.append((session_id, rng.choice(self.speaker_ids)))
                session_id += 1
        self.counts["sessions"] = loader.insert(
            Session,
            [
                "id",
                "action_id",
                "status",
                "venue_id",
                "address",
                "capacity",
                "start_date",
                "end_date",
                "created_at",
                "updated_at",
            ],
            sessions,
        )
        self.counts["demi-journées"] = loader.insert(SessionHalfDay, ["id", "session_id", "date", "period"], half_days)
        loader.insert(Session.trainers.through, ["session_id", "speaker_id"], trainers)
        self.log(f"{len(sessions)} sessions.")
        del sessions, half_days, trainers

        registration_id = loader.next_id(Registration)
        first_registration = registration_id
        marks = []
        attendance_id = loader.next_id(Attendance)
        mark_count = 0

        def flush_marks():
            nonlocal attendance_id, mark_count
            loader.insert(
                Attendance,
                ["id", "registration_id", "half_day_id", "status", "recorded_at"],
                ((attendance_id + i, *mark) for i, mark in enumerate(marks)),
            )
            attendance_id += len(marks)
            mark_count += len(marks)
            marks.clear()

        def registrations():
            nonlocal registration_id
            for session, delegation_id, planned, ids in plan:
                n = max(1, round(rng.gauss(per_session, per_session / 4)))
                recent = today - datetime.timedelta(days=UNMARKED_DAYS) <= ids[-1][1] <= today
                unmarked = recent and rng.random() < UNMARKED_SHARE
                employers = self.employers(delegation_id, n)
                categories = category_of(n)
                statuses = registration_status_of(n)
                for employer, category, status in zip(employers, categories, statuses, strict=True):
                    if not planned:
                        status = RegistrationStatus.CANCELLED
                    yield (
                        registration_id,
                        session,
                        "Agent",
                        f"Mesure {registration_id}",
                        f"agent{registration_id}@bench.example",
                        category,
                        "",
                        employer,
                        status,
                        self.now,
                        self.now if status == RegistrationStatus.CONFIRMED else None,
                        self.now if status == RegistrationStatus.CANCELLED else None,
                    )
                    if status == RegistrationStatus.CONFIRMED and not unmarked:
                        for half_day, day in ids:
                            if day <= today:
                                marks.append((registration_id, half_day, attendance_of()[0], self.now))
                    registration_id += 1
                if len(marks) >= CHUNK:
                    # Foreign keys are checked at commit: marks may reach the table before their registrations.
                    flush_marks()

        self.counts["inscriptions"] = loader.insert(
            Registration,
            [
                "id",
                "session_id",
                "first_name",
                "last_name",
                "email",
                "category",
                "job",
                "employer_id",
                "status",
                "created_at",
                "confirmed_at",
                "cancelled_at",
            ],
            registrations(),
        )
        self.log(f"{registration_id - first_registration} inscriptions.")
        flush_marks()
        self.counts["émargements"] = mark_count
        self.log(f"{mark_count} émargements.")

    # --- Events (bulk_create: a few hundred events) --------------------------------------------------

    def events(self):
        rng = self.rng
        kinds = EventKind.values
        events = []
        for i in range(self.options["events"]):
            delegation = self.pick_delegation()[0] if rng.random() < 0.8 else None
            starts = timezone.make_aware(
                datetime.datetime(self.options["year"], rng.randint(1, 12), rng.randint(1, 28), 9, 30)
            )
            online = rng.random() < 0.25
            venue = None if online or delegation is None else self.employers(delegation.pk, 1)[0]
            events.append(
                Event(
                    title=f"Événement de mesure {i + 1}",
                    kind=rng.choice(kinds),
                    topic="Actualité des collectivités",
                    theme=rng.choice(ExpertiseTheme.values),
                    status=EventStatus.PUBLISHED if rng.random() < 0.9 else EventStatus.DRAFT,
                    delegation=delegation,
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=7),
                    venue_commune_id=venue,
                    online_url="https://visio.bench.example/salle" if venue is None else "",
                    capacity=rng.choice([50, 100, 200]),
                    registration_closes_at=starts - datetime.timedelta(days=2),
                )
            )
        events = Event.objects.bulk_create(events)
        slots, registrations = [], []
        for event in events:
            slots.append(TimeSlot(event=event, title="Table ronde", starts_at=event.starts_at, ends_at=event.ends_at))
            collectivities = self.employers(event.delegation_id or self.delegations[0].pk, event.capacity)
            for j, collectivity in enumerate(collectivities[: rng.randint(event.capacity // 2, event.capacity)]):
                confirmed = rng.random() < 0.95
                registrations.append(
                    EventRegistration(
                        event=event,
                        first_name="Participant",
                        last_name=f"Mesure {j}",
                        email=f"participant{event.pk}-{j}@bench.example",
                        quality=rng.choice(ParticipantQuality.values),
                        collectivity_id=collectivity,
                        status=EventRegistrationStatus.CONFIRMED if confirmed else EventRegistrationStatus.WAITLISTED,
                        token_hash=f"bench-{event.pk}-{j}",
                        checked_in_at=self.now if confirmed and rng.random() < 0.8 else None,
                    )
                )
        slots = TimeSlot.objects.bulk_create(slots)
        TimeSlot.speakers.through.objects.bulk_create(
            [
                TimeSlot.speakers.through(timeslot_id=slot.pk, speaker_id=speaker)
                for slot in slots
                for speaker in rng.sample(self.speaker_ids, k=min(2, len(self.speaker_ids)))
            ]
        )
        EventRegistration.objects.bulk_create(registrations, batch_size=5000)
        self.counts["événements"] = len(events)
        self.counts["participants"] = len(registrations)
