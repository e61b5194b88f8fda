"""Every edit form of the workspace, with a realistic populated object to edit and one change to make.

``test_round_trip`` renders each form, sends back what the browser would send, and checks that the
database did not move; then it makes each declared change and checks that nothing else moved.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from agreements.models import Internship, Study
from events.enums import EventKind, EventStatus, ExpertiseTheme
from events.models import SPEAKER_CONSENT_VERSION, Speaker, SpeakerExpertise
from notifications.keys import address_key
from notifications.models import ReminderOptOut
from partnership.enums import Role
from partnership.models import MayorsAssociation, Region
from tests.agreements.factories import make_programmed_draft
from tests.events.factories import EventFactory, EventRegistrationFactory, TimeSlotFactory
from tests.factories import DepartmentFactory, UserFactory
from tests.trainings.factories import (
    ProgrammeLineFactory,
    RegistrationFactory,
    SessionFactory,
    SpeakerFactory,
    TrainingActionFactory,
    TrainingSchemeFactory,
    in_days,
)
from trainings.enums import ActionMode, AttendanceStatus, Period
from trainings.models import Attendance

CHANGED = object()  # the column changed, to a value the test does not predict (a timestamp)


@dataclass
class Target:
    user: object
    url: str
    rows: dict  # name → model instance, for the changes to name the row they expect to move


@dataclass(frozen=True)
class Change:
    """Do ``apply(form)``, then expect exactly ``expect``: (row name, column, new value or CHANGED)."""

    name: str
    apply: Callable
    expect: list


def set_field(name: str, value: str) -> Callable:
    def apply(form):
        form[name] = value

    return apply


@dataclass(frozen=True)
class EditForm:
    route: str  # the URL pattern, as the resolver spells it (the access matrix's key too)
    form_id: str
    build: Callable  # (fixture resolver) → Target
    changes: list = field(default_factory=list)


# --- Builders -----------------------------------------------------------------------------------


def contract_draft(fx) -> Target:
    staff = fx("delegation_staff")
    adviser = UserFactory(
        role=Role.DELEGATION_STAFF, delegation=staff.delegation, first_name="Inès", last_name="Conseil"
    )
    contract = make_programmed_draft(
        actor=staff, collectivities=[fx("commune"), fx("other_commune")], advisers=[adviser]
    )
    lines = list(contract.programme_lines.all())
    parties = list(contract.parties.all())
    return Target(
        staff,
        f"/contrats/{contract.pk}/modifier/",
        {"contract": contract, "line1": lines[1], "party1": parties[1]},
    )


def training_session(fx) -> Target:
    delegation, commune = fx("delegation"), fx("commune")
    line = ProgrammeLineFactory(contract=make_programmed_draft(actor=fx("delegation_staff"), collectivities=[commune]))
    action = TrainingActionFactory(
        delegation=delegation, programme_line=line, mode=ActionMode.INTRA, scheme=TrainingSchemeFactory()
    )
    start = in_days(20)
    session = SessionFactory(
        action=action,
        venue=commune,
        capacity=10,
        start_date=start,
        end_date=start + timedelta(days=1),
        half_days=[
            (start, Period.MORNING),
            (start, Period.AFTERNOON),
            (start + timedelta(days=1), Period.MORNING),
        ],
    )
    session.trainers.set(
        [
            SpeakerFactory(first_name="Marc", last_name="Formateur", email="marc.formateur@example.fr"),
            SpeakerFactory(first_name="Lina", last_name="Formatrice", email="lina.formatrice@example.fr"),
            # A trainer who has since left the network stays on the sessions they were booked for.
            SpeakerFactory(first_name="Yves", last_name="Parti", email="yves.parti@example.fr", is_active=False),
        ]
    )
    for number in range(3):
        RegistrationFactory(session=session, employer=commune, email=f"agent-session-{number}@mairie.example.fr")
    return Target(fx("delegation_staff"), f"/formations/sessions/{session.pk}/modifier/", {"session": session})


def attendance_sheet(fx) -> Target:
    delegation, commune = fx("delegation"), fx("commune")
    action = TrainingActionFactory(delegation=delegation, mode=ActionMode.INTER, scheme=TrainingSchemeFactory())
    start = in_days(-3)
    session = SessionFactory(action=action, venue=commune, start_date=start, end_date=start)
    morning, afternoon = session.half_days.order_by("period")
    registrations = [
        RegistrationFactory(
            session=session, employer=commune, last_name=name, email=f"{name.lower()}@mairie.example.fr"
        )
        for name in ("Arnaud", "Bernard", "Chevalier")
    ]
    marks = [
        (registrations[0], morning, AttendanceStatus.PRESENT),
        (registrations[0], afternoon, AttendanceStatus.PRESENT),
        (registrations[1], morning, AttendanceStatus.EXCUSED),
        (registrations[2], morning, AttendanceStatus.ABSENT),
    ]
    Attendance.objects.bulk_create(Attendance(registration=r, half_day=h, status=s) for r, h, s in marks)
    mark = Attendance.objects.get(registration=registrations[2], half_day=morning)
    return Target(
        fx("delegation_staff"),
        f"/formations/sessions/{session.pk}/emargement/",
        {"mark": mark, "registration": registrations[2], "half_day": morning},
    )


def _minute(days: int, hour: int) -> datetime.datetime:
    """A time as the form's datetime-local input writes it: to the minute, Paris time."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 30)))


def managed_event(fx) -> Target:
    commune = fx("commune")
    event = EventFactory(
        delegation=fx("delegation"),
        title="Colloque sur la santé au travail",
        kind=EventKind.CONFERENCE,
        theme=ExpertiseTheme.TRAINING_PLAN,
        description="Une journée d'échanges entre élus et agents.",
        starts_at=_minute(30, 9),
        ends_at=_minute(30, 17),
        registration_closes_at=_minute(27, 18),
        venue_commune=commune,
        venue_address="Salle des fêtes, place de la République",
        online_url="https://visio.example.fr/colloque",
        capacity=80,
    )
    event.mayors_associations.set(
        [
            MayorsAssociation.objects.create(name="Association des maires du département (aller-retour)"),
            MayorsAssociation.objects.create(
                name="Association des maires d'un autre département (aller-retour)",
                department=DepartmentFactory(),
            ),
        ]
    )
    TimeSlotFactory(event=event, title="Ouverture", starts_at=_minute(30, 9), ends_at=_minute(30, 10))
    for number in range(2):
        EventRegistrationFactory(
            event=event, collectivity=commune, first_name="Élise", last_name=f"Participante{number}"
        )
    return Target(fx("delegation_staff"), f"/evenements/gestion/{event.pk}/modifier/", {"event": event})


def event_check_in(fx) -> Target:
    commune = fx("commune")
    event = EventFactory(
        delegation=fx("delegation"),
        status=EventStatus.PUBLISHED,
        starts_at=_minute(0, 9),
        ends_at=_minute(0, 17),
        registration_closes_at=_minute(-2, 18),
    )
    registrations = [
        EventRegistrationFactory(event=event, collectivity=commune, first_name="Élise", last_name=name)
        for name in ("Aubert", "Barbier", "Colin")
    ]
    for registration in registrations[:2]:
        registration.checked_in_at = timezone.now() - timedelta(hours=1)
        registration.save(update_fields=["checked_in_at"])
    return Target(fx("delegation_staff"), f"/evenements/gestion/{event.pk}/pointage/", {"late": registrations[2]})


def internship(fx) -> Target:
    item = Internship.objects.create(
        student_name="Léa Roussel",
        student_email="lea.roussel@inet.example.fr",
        promotion="Promotion Simone Veil",
        start_date=datetime.date(2027, 1, 4),
        end_date=datetime.date(2027, 3, 26),
        tutor="Direction des études",
        subject="La mutualisation de la formation dans les intercommunalités",
    )
    return Target(fx("amf_staff"), f"/stages-etudes/stages/{item.pk}/modifier/", {"internship": item})


def study(fx) -> Target:
    item = Study.objects.create(
        subject="Les besoins de formation des petites communes",
        requester="Département formation",
        requested_on=datetime.date(2026, 9, 1),
        due_on=datetime.date(2027, 3, 1),
        authors="Élèves de la promotion Simone Veil",
    )
    return Target(fx("amf_staff"), f"/stages-etudes/etudes/{item.pk}/modifier/", {"study": item})


def speaker_profile(fx) -> Target:
    user = fx("speaker_user")
    speaker = Speaker.objects.create(
        user=user,
        first_name="Paul",
        last_name="Orateur",
        email=user.email,
        phone="04 77 00 00 00",
        organisation="Cabinet Conseil",
        job_title="Consultant en prévention",
        availability="Les mardis et jeudis.",
        bio="Vingt ans d'accompagnement des collectivités.",
        consent_given_at=timezone.now(),
        consent_text_version=SPEAKER_CONSENT_VERSION,
    )
    speaker.regions.set(Region.objects.order_by("pk")[:2])
    SpeakerExpertise.objects.bulk_create(
        SpeakerExpertise(speaker=speaker, theme=theme)
        for theme in (ExpertiseTheme.TRAINING_PLAN, ExpertiseTheme.ILLITERACY)
    )
    return Target(user, "/evenements/mon-profil/", {"speaker": speaker})


def reminder_preferences(fx) -> Target:
    staff = fx("delegation_staff")
    opt_out = ReminderOptOut.objects.create(email_key=address_key(staff.email), kind="weekly_digest")
    return Target(staff, "/compte/notifications/", {"opt_out": opt_out})


def _tick_third(form):
    boxes = form.fields["present"]
    assert [box.checked for box in boxes] == [True, True, False]
    boxes[2].checked = True


EDIT_FORMS = [
    EditForm(
        "contrats/<int:pk>/modifier/",
        "contract-form",
        contract_draft,
        [
            Change("intitulé", set_field("title", "Contrat modifié"), [("contract", "title", "Contrat modifié")]),
            Change(
                "une ligne du programme",
                set_field("lines-1-planned_trainees", "30"),
                [("line1", "planned_trainees", 30)],
            ),
            Change(
                "la délibération d'une partie",
                set_field("parties-1-deliberation_date", "2026-09-15"),
                [("party1", "deliberation_date", datetime.date(2026, 9, 15))],
            ),
        ],
    ),
    EditForm(
        "formations/sessions/<int:pk>/modifier/",
        "session-form",
        training_session,
        [
            Change("places", set_field("capacity", "12"), [("session", "capacity", 12)]),
            Change("adresse", set_field("address", "Salle B"), [("session", "address", "Salle B")]),
        ],
    ),
    EditForm(
        "formations/sessions/<int:pk>/emargement/",
        "attendance-form",
        attendance_sheet,
        [
            Change(
                "une présence",
                lambda form: _set_mark(form),
                [("mark", "status", AttendanceStatus.PRESENT), ("mark", "recorded_by", CHANGED)],
            )
        ],
    ),
    EditForm(
        "evenements/gestion/<int:pk>/modifier/",
        "event-form",
        managed_event,
        [
            Change("intitulé", set_field("title", "Colloque modifié"), [("event", "title", "Colloque modifié")]),
            Change("places", set_field("capacity", "90"), [("event", "capacity", 90)]),
        ],
    ),
    EditForm(
        "evenements/gestion/<int:pk>/pointage/",
        "check-in-form",
        event_check_in,
        [Change("un arrivant", _tick_third, [("late", "checked_in_at", CHANGED)])],
    ),
    EditForm(
        "stages-etudes/stages/<int:pk>/modifier/",
        "axis5-form",
        internship,
        [Change("tuteur", set_field("tutor", "Service juridique"), [("internship", "tutor", "Service juridique")])],
    ),
    EditForm(
        "stages-etudes/etudes/<int:pk>/modifier/",
        "axis5-form",
        study,
        [Change("auteurs", set_field("authors", "Une équipe INET"), [("study", "authors", "Une équipe INET")])],
    ),
    EditForm(
        "evenements/mon-profil/",
        "speaker-profile-form",
        speaker_profile,
        [Change("téléphone", set_field("phone", "04 77 11 11 11"), [("speaker", "phone", "04 77 11 11 11")])],
    ),
    EditForm("compte/notifications/", "preferences-form", reminder_preferences),
]


def _set_mark(form):
    name = next(name for name in form.fields if name and name.startswith("presence_") and form[name].value == "absent")
    form[name] = AttendanceStatus.PRESENT
