"""A realistic populated object for each model the Django admin lets someone change.

``test_round_trip`` opens each one's change form as a superuser (who sees every editable field),
sends it back as the browser would, and checks that nothing moved; then it changes one free-text
field the admin renders editable (read from the page, never listed here) and checks that only it
moved. A model whose admin becomes editable without an entry here fails the registry test.
"""

import datetime

from django.contrib.auth.models import Group
from django.utils import timezone

from agreements.models import Amendment, CollaborationAxis, FrameworkAgreement, Internship, Study, Theme
from events.enums import ExpertiseTheme
from events.models import EventFeedback, Speaker, SpeakerExpertise
from partnership.enums import CollectivityKind, EpciType, Role
from partnership.models import Collectivity, MayorsAssociation
from tests.events.factories import EventFactory, EventRegistrationFactory, TimeSlotFactory
from tests.factories import UserFactory
from tests.forms.edit_forms import _minute, contract_draft
from tests.trainings.factories import (
    RegistrationFactory,
    SessionFactory,
    TrainingActionFactory,
    TrainingSchemeFactory,
    in_days,
)
from trainings.enums import ActionMode, AttendanceStatus
from trainings.models import Attendance, CalendarFeed


def _agreement():
    agreement = FrameworkAgreement.objects.create(
        title="Accord-cadre de coopération CNFPT – AMF",
        cnfpt_signatory="François Deluga",
        cnfpt_signatory_function="Président du CNFPT",
        amf_signatory="Jacques Pélissard",
        amf_signatory_function="Président de l'AMF",
        signed_on=datetime.date(2012, 1, 17),
        signed_at_place="Paris, au siège de l'AMF",
        valid_from=datetime.date(2012, 1, 17),
        valid_until=datetime.date(2015, 1, 16),
        preamble="Les deux institutions reconnaissent la nécessité de promouvoir une politique de formation.",
    )
    CollaborationAxis.objects.bulk_create(
        [
            CollaborationAxis(agreement=agreement, number=1, title="Promouvoir les dispositifs de formation"),
            CollaborationAxis(agreement=agreement, number=2, title="Co-organiser des actions événementielles"),
        ]
    )
    Amendment.objects.create(agreement=agreement, number=1, title="Prolongation", summary="Un an de plus.")
    return agreement


def _session(fx):
    action = TrainingActionFactory(
        delegation=fx("delegation"), mode=ActionMode.INTER, scheme=TrainingSchemeFactory(), objectives="Savoir agir."
    )
    return SessionFactory(action=action, venue=fx("commune"), start_date=in_days(-2), end_date=in_days(-2))


def _event(fx):
    event = EventFactory(
        delegation=fx("delegation"),
        title="Colloque de l'AMF",
        starts_at=_minute(30, 9),
        ends_at=_minute(30, 17),
        registration_closes_at=_minute(27, 18),
        description="Une journée d'échanges.",
    )
    TimeSlotFactory(event=event, title="Ouverture", starts_at=_minute(30, 9), ends_at=_minute(30, 10))
    return event


def _event_registration(fx):
    return EventRegistrationFactory(
        event=_event(fx), collectivity=fx("commune"), first_name="Élise", last_name="Participante"
    )


def _speaker(fx):
    speaker = Speaker.objects.create(
        first_name="Paul",
        last_name="Orateur",
        email="paul.orateur@example.fr",
        organisation="Cabinet Conseil",
        bio="Vingt ans d'accompagnement des collectivités.",
        consent_given_at=timezone.now(),
        consent_text_version="2026-01",
    )
    SpeakerExpertise.objects.create(speaker=speaker, theme=ExpertiseTheme.TRAINING_PLAN)
    return speaker


def _epci(fx):
    commune = fx("commune")
    epci = Collectivity.objects.create(
        kind=CollectivityKind.EPCI,
        code="200000172",
        siren="200000172",
        name="Communauté de communes du Pays d'exemple",
        department=commune.department,
        population=12000,
        epci_type=EpciType.CC,
    )
    epci.members.set([commune, fx("other_commune")])
    return epci


def _user(fx):
    user = UserFactory(
        role=Role.DELEGATION_STAFF,
        delegation=fx("delegation"),
        first_name="Inès",
        last_name="Conseil",
        function="Conseillère formation",
    )
    user.groups.set([Group.objects.create(name="Conseillers")])
    return user


def _attendance(fx):
    session = _session(fx)
    registration = RegistrationFactory(session=session, employer=fx("commune"), email="agent-admin@mairie.example.fr")
    return Attendance.objects.create(
        registration=registration, half_day=session.half_days.first(), status=AttendanceStatus.PRESENT
    )


ADMIN_OBJECTS = {
    "auth.group": lambda fx: Group.objects.create(name="Gestionnaires des statistiques"),
    "partnership.region": lambda fx: fx("delegation").region,
    "partnership.department": lambda fx: fx("commune").department,
    "partnership.collectivity": lambda fx: fx("commune"),
    "partnership.commune": lambda fx: fx("commune"),
    "partnership.epci": _epci,
    "partnership.delegation": lambda fx: fx("delegation"),
    "partnership.mayorsassociation": lambda fx: MayorsAssociation.objects.create(
        name="Association des maires de l'exemple",
        department=fx("commune").department,
        email="contact@maires-exemple.fr",
        website="https://maires-exemple.fr",
    ),
    "partnership.user": _user,
    "agreements.frameworkagreement": lambda fx: _agreement(),
    "agreements.collaborationaxis": lambda fx: _agreement().axes.first(),
    "agreements.amendment": lambda fx: _agreement().amendments.first(),
    "agreements.internship": lambda fx: Internship.objects.create(
        student_name="Léa Roussel",
        promotion="Promotion Simone Veil",
        start_date=datetime.date(2027, 1, 4),
        end_date=datetime.date(2027, 3, 26),
        tutor="Direction des études",
        subject="La mutualisation de la formation",
    ),
    "agreements.study": lambda fx: Study.objects.create(
        subject="Les besoins de formation des petites communes",
        requester="Département formation",
        requested_on=datetime.date(2026, 9, 1),
        authors="Élèves de l'INET",
    ),
    "agreements.theme": lambda fx: Theme.objects.get(family="hr_support", code="illettrisme"),
    "agreements.partnershipcontract": lambda fx: contract_draft(fx).rows["contract"],
    "trainings.trainingscheme": lambda fx: TrainingSchemeFactory(description="Cinq jours en catégorie C."),
    "trainings.trainingaction": lambda fx: _session(fx).action,
    "trainings.session": _session,
    "trainings.registration": lambda fx: RegistrationFactory(
        session=_session(fx), employer=fx("commune"), email="agent-inscrit@mairie.example.fr"
    ),
    "trainings.attendance": _attendance,
    # Its only editable field is the delegation: another one must exist to move it to.
    "trainings.calendarfeed": lambda fx: (
        fx("other_delegation") and CalendarFeed.objects.create(delegation=fx("delegation"))
    ),
    "events.event": _event,
    "events.timeslot": lambda fx: _event(fx).time_slots.get(),
    "events.eventregistration": _event_registration,
    "events.eventfeedback": lambda fx: EventFeedback.objects.create(
        registration=_event_registration(fx), rating=4, comment="Très utile."
    ),
    "events.speaker": _speaker,
}
