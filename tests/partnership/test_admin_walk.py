"""Every admin change form and every admin action, as each staff role.

A role that may change an object gets a form that round-trips (submitted as rendered, nothing
changes); a role that may not gets a read-only page, and its POST is refused (403). Each action is
offered exactly to the roles the table below names. The rules behind the forms and actions are
tested in tests/<app>/test_admin_*.py.
"""

import datetime

import pytest
from django.contrib import admin
from django.forms.models import model_to_dict
from django.utils import timezone

from agreements.enums import InternshipStatus, StudyStatus
from agreements.models import (
    Amendment,
    CollaborationAxis,
    ContractAmendment,
    ContractDocument,
    ContractSeal,
    FrameworkAgreement,
    Internship,
    Study,
)
from events.models import EventFeedback
from notifications.enums import ReminderStatus
from notifications.keys import address_key
from notifications.models import ReminderLog, ReminderOptOut
from partnership import history
from partnership.admin_site import ScopedModelAdmin
from partnership.enums import HistoryAction, Role
from partnership.models import MayorsAssociation
from tests.agreements.factories import make_contract
from tests.events.factories import EventFactory, EventRegistrationFactory, SpeakerFactory, TimeSlotFactory
from tests.factories import CommuneFactory, EpciFactory, ThemeFactory, UserFactory
from tests.trainings.factories import RegistrationFactory, SessionFactory, TrainingSchemeFactory
from trainings.enums import AttendanceStatus
from trainings.models import Attendance, CalendarFeed

pytestmark = pytest.mark.django_db

ROLES = ["amf_staff", "national_admin", "superuser"]
EVERYONE = set(ROLES)
SUPERUSER = {"superuser"}
NOBODY: set[str] = set()

# Who may change the sample object of each admin (model label → roles).
CHANGE = {
    "partnership.region": SUPERUSER,
    "partnership.department": SUPERUSER,
    "partnership.collectivity": SUPERUSER,
    "partnership.commune": SUPERUSER,
    "partnership.epci": SUPERUSER,
    "partnership.delegation": EVERYONE,
    "partnership.mayorsassociation": EVERYONE,
    "partnership.user": SUPERUSER,
    "partnership.actionlogentry": NOBODY,
    "agreements.frameworkagreement": EVERYONE,
    "agreements.collaborationaxis": EVERYONE,
    "agreements.amendment": EVERYONE,
    "agreements.internship": EVERYONE,
    "agreements.study": EVERYONE,
    "agreements.theme": EVERYONE,
    "agreements.partnershipcontract": NOBODY,
    "agreements.contracttransition": NOBODY,
    "agreements.contractamendment": NOBODY,
    "agreements.contractseal": NOBODY,
    "trainings.trainingscheme": EVERYONE,
    "trainings.trainingaction": NOBODY,
    "trainings.session": NOBODY,
    "trainings.registration": NOBODY,
    "trainings.attendance": NOBODY,
    "trainings.calendarfeed": NOBODY,
    "events.event": EVERYONE,
    "events.timeslot": EVERYONE,
    "events.eventregistration": EVERYONE,
    "events.eventfeedback": NOBODY,
    "events.speaker": EVERYONE,
    "notifications.reminderlog": NOBODY,
    "notifications.reminderoptout": NOBODY,
}

# Who is offered each action (model label, action name → roles).
ACTIONS = {
    ("agreements.internship", "start_internships"): EVERYONE,
    ("agreements.internship", "complete_internships"): EVERYONE,
    ("agreements.internship", "cancel_internships"): EVERYONE,
    ("agreements.study", "start_studies"): EVERYONE,
    ("agreements.study", "cancel_studies"): EVERYONE,
    ("agreements.partnershipcontract", "activate_or_expire_due"): SUPERUSER,
    ("events.event", "publish_events"): EVERYONE,
    ("events.event", "cancel_events"): EVERYONE,
    ("events.eventregistration", "cancel_registrations"): EVERYONE,
    ("events.speaker", "erase_speakers"): EVERYONE,
    ("notifications.reminderlog", "resend"): EVERYONE,
}

# Written by the save itself, not by the person submitting the form.
AUTOMATIC_FIELDS = {"updated_at", "version", "password", "last_login"}


def _project_admins():
    return {
        model._meta.label_lower: model_admin
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ScopedModelAdmin)
    }


@pytest.fixture
def world(delegation, commune, delegation_staff):
    """One object of every model registered in the admin."""
    agreement = FrameworkAgreement.objects.create(
        title="Accord-cadre CNFPT – AMF",
        cnfpt_signatory="François Deluga",
        cnfpt_signatory_function="Président du CNFPT",
        amf_signatory="Jacques Pélissard",
        amf_signatory_function="Président de l'AMF",
        signed_on=datetime.date(2012, 3, 21),
    )
    contract = make_contract(actor=delegation_staff, collectivities=[commune])
    # Whole minutes: the admin's time inputs carry no microseconds.
    starts_at = (timezone.now() + datetime.timedelta(days=30)).replace(second=0, microsecond=0)
    event = EventFactory(delegation=delegation, capacity=5, starts_at=starts_at)
    registration = EventRegistrationFactory(event=event, collectivity=commune)
    session = SessionFactory(action__delegation=delegation, venue=commune)
    trainee = RegistrationFactory(session=session, employer=commune)
    objects = {
        "partnership.region": delegation.region,
        "partnership.department": commune.department,
        "partnership.collectivity": commune,
        "partnership.commune": commune,
        "partnership.epci": EpciFactory(department=commune.department),
        "partnership.delegation": delegation,
        "partnership.mayorsassociation": MayorsAssociation.objects.create(
            name="Association des maires du département", department=commune.department
        ),
        "partnership.user": UserFactory(role=Role.HR_CONTACT, collectivity=CommuneFactory()),
        "partnership.actionlogentry": history.record(
            actor=delegation_staff,
            obj=event,
            action=HistoryAction.UPDATED,
            before={"Nombre de places": "4"},
            after={"Nombre de places": "5"},
        ),
        "agreements.frameworkagreement": agreement,
        "agreements.collaborationaxis": CollaborationAxis.objects.create(
            agreement=agreement, number=2, title="Co-organiser des actions événementielles"
        ),
        "agreements.amendment": Amendment.objects.create(agreement=agreement, number=1, title="Prolongation"),
        "agreements.internship": Internship.objects.create(
            student_name="Camille Petit",
            promotion="Promotion Simone Veil",
            start_date=datetime.date(2026, 9, 1),
            end_date=datetime.date(2026, 12, 18),
            tutor="Sophie Durand",
            subject="Les communes nouvelles",
            status=InternshipStatus.PLANNED,
        ),
        "agreements.study": Study.objects.create(
            subject="La formation des secrétaires de mairie",
            requester="Direction des études",
            requested_on=datetime.date(2026, 3, 2),
            status=StudyStatus.REQUESTED,
        ),
        "agreements.theme": ThemeFactory(),
        "agreements.partnershipcontract": contract,
        "agreements.contracttransition": contract.transitions.get(),
        "agreements.contractamendment": ContractAmendment.objects.create(
            contract=contract, number=1, title="Ajout d'une action", summary="Une action de plus."
        ),
        "agreements.contractseal": ContractSeal.objects.create(
            contract=contract,
            document=ContractDocument.objects.create(
                contract=contract, kind="signed", title="Contrat signé", file="contracts/x.pdf", sha256="0" * 64, size=1
            ),
            level="PAdES-B-LTA",
            renewal_status="failed",
            renewal_error="TimestampRequestError : autorité injoignable",
        ),
        "trainings.trainingscheme": TrainingSchemeFactory(),
        "trainings.trainingaction": session.action,
        "trainings.session": session,
        "trainings.registration": trainee,
        "trainings.attendance": Attendance.objects.create(
            registration=trainee, half_day=session.half_days.first(), status=AttendanceStatus.PRESENT
        ),
        "trainings.calendarfeed": CalendarFeed.objects.create(delegation=delegation),
        "events.event": event,
        "events.timeslot": TimeSlotFactory(event=event),
        "events.eventregistration": registration,
        "events.eventfeedback": EventFeedback.objects.create(registration=registration, rating=4),
        "events.speaker": SpeakerFactory(),
        "notifications.reminderlog": ReminderLog.objects.create(
            kind="session_trainers",
            object_id=session.pk,
            due_on=datetime.date(2026, 12, 1),
            recipient="formateur@example.fr",
            recipient_key=address_key("formateur@example.fr"),
            status=ReminderStatus.FAILED,
        ),
        "notifications.reminderoptout": ReminderOptOut.objects.create(
            email_key=address_key("agent@example.fr"), kind="session_participants"
        ),
    }
    return objects


def test_every_project_admin_is_in_the_tables():
    assert set(_project_admins()) == set(CHANGE)
    declared = {(label, name) for label, model_admin in _project_admins().items() for name in model_admin.actions or ()}
    assert declared == set(ACTIONS)


def _snapshot(obj) -> dict:
    obj = type(obj)._base_manager.get(pk=obj.pk)
    values = model_to_dict(obj)
    return {name: value for name, value in values.items() if name not in AUTOMATIC_FIELDS}


def _change_url(obj) -> str:
    opts = obj._meta
    return f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/change/"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", sorted(CHANGE))
def test_change_form_round_trips_or_is_read_only(django_app, world, persona, role, label):
    user = persona(role)
    obj = world[label]
    before = _snapshot(obj)
    page = django_app.get(_change_url(obj), user=user)
    form = page.forms[f"{obj._meta.model_name}_form"]

    if role in CHANGE[label]:
        assert "_save" in form.fields
        response = form.submit("_save")
        assert response.status_code == 302, response.text[:3000]
        assert response.location == f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/"
    else:
        assert "_save" not in form.fields
        response = form.submit(status=403)
        assert response.status_code == 403
    assert _snapshot(obj) == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("label", "action"), sorted(ACTIONS))
def test_actions_are_offered_to_the_roles_allowed_to_run_them(django_app, world, persona, role, label, action):
    app_label, model_name = label.split(".")
    page = django_app.get(f"/admin/{app_label}/{model_name}/", user=persona(role))
    changelist = page.forms["changelist-form"]
    offered = (
        {value for value, _selected, _text in changelist["action"].options} if "action" in changelist.fields else set()
    )
    assert (action in offered) == (role in ACTIONS[(label, action)])
