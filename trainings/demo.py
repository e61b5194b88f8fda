"""Demo training actions for the demo delegation (Auvergne-Rhône-Alpes) and Saint-Étienne.

Idempotent: actions are found by (delegation, title) and only an action without sessions gets
its demo sessions. Registrations are written directly (no e-mail to fictitious agents), with the
same rule as the service: confirmed up to the capacity, then waiting list.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from agreements.enums import ContractStatus
from agreements.models import PartnershipContract, Theme
from events.models import Speaker
from partnership.demo import Seeder, register

from . import attendance as attendance_services
from . import services
from .attendance_due import session_attendance_refresh
from .enums import ActionMode, AgentCategory, AttendanceStatus, Period, RegistrationStatus
from .models import Registration, Session, TrainingAction, TrainingScheme

AGENTS = [
    ("Camille", "Martin", "Agent d'accueil", AgentCategory.C),
    ("Lucas", "Bernard", "Agent des espaces verts", AgentCategory.C),
    ("Léa", "Thomas", "Secrétaire de mairie", AgentCategory.B),
    ("Hugo", "Petit", "Agent technique", AgentCategory.C),
    ("Chloé", "Robert", "Responsable RH", AgentCategory.A),
    ("Louis", "Richard", "Animateur", AgentCategory.C),
    ("Emma", "Durand", "Rédactrice", AgentCategory.B),
    ("Nathan", "Dubois", "Agent de restauration", AgentCategory.C),
    ("Manon", "Moreau", "Auxiliaire de puériculture", AgentCategory.C),
    ("Jules", "Laurent", "Policier municipal", AgentCategory.C),
]


def _half_days(first: datetime.date, days: int) -> list[tuple[datetime.date, str]]:
    result, day = [], first
    while len(result) < days * 2:
        if day.weekday() < 5:
            result += [(day, Period.MORNING), (day, Period.AFTERNOON)]
        day += datetime.timedelta(days=1)
    return result


def _register_directly(session: Session, employer, agents, by) -> list[Registration]:
    now = timezone.now()
    registrations = []
    for index, (first_name, last_name, job, category) in enumerate(agents):
        confirmed = index < session.capacity
        registrations.append(
            Registration.objects.create(
                session=session,
                first_name=first_name,
                last_name=last_name,
                email=f"{first_name}.{last_name}@demo.saint-etienne.fr".lower().replace("é", "e").replace("è", "e"),
                category=category,
                job=job,
                employer=employer,
                status=RegistrationStatus.CONFIRMED if confirmed else RegistrationStatus.WAITLISTED,
                confirmed_at=now if confirmed else None,
                registered_by=by,
            )
        )
    # What ``registrations.registration_create`` keeps up to date: the session owes their attendance.
    session_attendance_refresh(session_ids=[session.pk])
    return registrations


def _action(staff, **fields) -> tuple[TrainingAction, bool]:
    existing = TrainingAction.objects.filter(delegation=staff.delegation, title=fields["title"]).first()
    if existing:
        return existing, False
    return services.training_action_create(actor=staff, delegation=staff.delegation, **fields), True


def _attach_trainers(delegation, trainers) -> None:
    """The speakers' demo may run after this one: attach the trainer on a later run."""
    if not trainers:
        return
    for session in Session.objects.filter(action__delegation=delegation, trainers__isnull=True):
        session.trainers.add(*trainers)


def _reminders_due(staff, hr, action, venue, trainers, today) -> None:
    """Sessions the reminders engine acts on at once: one in 2 days (trainers, agents), one ended without attendance."""
    soon = services.session_create(
        actor=staff,
        action=action,
        half_days=[(today + datetime.timedelta(days=2), Period.MORNING)],
        venue=venue,
        address="CNFPT, antenne de la Loire",
        capacity=15,
        trainers=trainers,
    )
    _register_directly(soon, venue, AGENTS[6:9], hr)
    ended = services.session_create(
        actor=staff,
        action=action,
        half_days=[(today - datetime.timedelta(days=4), Period.MORNING)],
        venue=venue,
        address="CNFPT, antenne de la Loire",
        capacity=15,
        trainers=trainers,
    )
    _register_directly(ended, venue, AGENTS[:3], hr)


def seed(accounts) -> None:
    staff, hr = accounts["delegation"], accounts["hr"]
    delegation, saint_etienne = staff.delegation, hr.collectivity
    today = timezone.localdate()
    trainers = list(Speaker.objects.filter(user=accounts["speaker"])[:1])
    scheme = {s.code: s for s in TrainingScheme.objects.all()}
    themes = {t.code: t for t in Theme.objects.filter(is_active=True)}
    contract = (
        PartnershipContract.objects.filter(
            delegation=delegation,
            status__in=[ContractStatus.ACTIVE, ContractStatus.SIGNED],
            programme_lines__isnull=False,
        )
        .order_by("status", "-start_date")
        .distinct()
        .first()
    )
    if contract is not None:
        lines = list(contract.programme_lines.select_related("theme").order_by("-year", "pk"))
        latest_year = lines[0].year
        for line in [line for line in lines if line.year == latest_year]:
            action, created = _action(
                staff,
                title=line.title,
                programme_line=line,
                scheme=scheme["perfectionnement"],
                theme=line.theme,
                mode=ActionMode.INTRA if contract.parties.count() == 1 else ActionMode.UNION,
                audience=["A", "B", "C"],
                duration_days=Decimal("2"),
                objectives=f"Action du programme {line.year} du contrat {contract.reference}.",
            )
            if not created or action.sessions.exists():
                continue
            # A past session with its attendance taken, and a full upcoming one with a waiting list.
            past = services.session_create(
                actor=staff,
                action=action,
                half_days=_half_days(today - datetime.timedelta(days=40), 2),
                venue=saint_etienne,
                address="Hôtel de ville, place de l'Hôtel de Ville",
                capacity=8,
                trainers=trainers,
            )
            attendees = _register_directly(past, saint_etienne, AGENTS[:6], hr)
            marks = {}
            for position, registration in enumerate(attendees):
                for half_day in past.half_days.all():
                    absent = position == 5 or (position == 4 and half_day.period == Period.AFTERNOON)
                    status = AttendanceStatus.EXCUSED if absent else AttendanceStatus.PRESENT
                    marks[(registration.pk, half_day.pk)] = status
            attendance_services.attendance_record(actor=staff, session=past, marks=marks)
            upcoming = services.session_create(
                actor=staff,
                action=action,
                half_days=_half_days(today + datetime.timedelta(days=14), 2),
                venue=saint_etienne,
                address="Centre de gestion, salle 2",
                capacity=6,
                trainers=trainers,
            )
            _register_directly(upcoming, saint_etienne, AGENTS, hr)
    theme = themes.get("developpement-durable") or next(iter(themes.values()))
    action, created = _action(
        staff,
        title="Sobriété énergétique des bâtiments communaux",
        programme_line=None,
        scheme=scheme["professionnalisation-carriere"],
        theme=theme,
        mode=ActionMode.INTER,
        audience=["B", "C"],
        duration_days=Decimal("1"),
        objectives="Connaître les leviers d'économie d'énergie dans les bâtiments publics.",
    )
    if created:
        _reminders_due(staff, hr, action, saint_etienne, trainers, today)
        for weeks in (3, 7):
            services.session_create(
                actor=staff,
                action=action,
                half_days=_half_days(today + datetime.timedelta(weeks=weeks), 1),
                venue=saint_etienne,
                address="CNFPT, antenne de la Loire",
                capacity=15,
                trainers=trainers,
            )
    _attach_trainers(delegation, trainers)


# After the contracts (10) and events (20): actions run under a programme line, trained by speakers.
register(Seeder("trainings", 40, seed))
