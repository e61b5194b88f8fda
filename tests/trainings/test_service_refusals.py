"""The trainings services refuse an actor outside their scope the way every app's services do: a
``ValidationError`` in French, nothing written. The views' gates and scoped selectors already keep
such a user out (403 or 404); this is the rule's last line, for the imports, the shell and any future door.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from partnership.models import ActionLogEntry
from tests.trainings.factories import RegistrationFactory, ThemeFactory, TrainingSchemeFactory, in_days
from trainings import attendance as attendance_services
from trainings import registrations as registration_services
from trainings import services
from trainings.enums import ActionMode, AttendanceStatus, Period, RegistrationStatus
from trainings.models import Attendance, CalendarFeed, Registration, Session, TrainingAction


def _refused(call, message):
    with pytest.raises(ValidationError) as caught:
        call()
    assert caught.value.messages == [message]


def test_action_create_for_another_delegation(other_delegation_staff, delegation):
    _refused(
        lambda: services.training_action_create(
            actor=other_delegation_staff,
            delegation=delegation,
            title="Accueil du public",
            scheme=TrainingSchemeFactory(),
            theme=ThemeFactory(),
            mode=ActionMode.INTER,
            audience=["A"],
            duration_days=Decimal("1"),
        ),
        "Vous ne pouvez pas créer d'action pour cette délégation.",
    )
    assert not TrainingAction.objects.filter(title="Accueil du public").exists()


def test_session_create_update_cancel_out_of_scope(other_delegation_staff, action, session, commune):
    day = in_days(20)
    _refused(
        lambda: services.session_create(
            actor=other_delegation_staff,
            action=action,
            half_days=[(day, Period.MORNING)],
            venue=commune,
            capacity=5,
        ),
        "Vous ne pouvez pas programmer de session pour cette action.",
    )
    _refused(
        lambda: services.session_update(actor=other_delegation_staff, session=session, capacity=9, venue=commune),
        "Vous ne pouvez pas modifier cette session.",
    )
    _refused(
        lambda: services.session_cancel(actor=other_delegation_staff, session=session),
        "Vous ne pouvez pas annuler cette session.",
    )
    assert list(Session.objects.values_list("pk", "capacity", "status")) == [(session.pk, 2, session.status)]
    assert not ActionLogEntry.objects.exists()


def test_registration_by_someone_who_may_not_register(signatory, other_delegation_staff, session):
    agent = {"first_name": "Léa", "last_name": "Martin", "email": "lea.martin@ville.example.fr", "category": "B"}
    _refused(
        lambda: registration_services.registration_create(actor=signatory, session=session, **agent),
        "Vous ne pouvez pas inscrire d'agent.",
    )
    _refused(
        lambda: registration_services.registration_create(actor=other_delegation_staff, session=session, **agent),
        "Vous ne pouvez pas inscrire d'agent à cette session.",
    )
    _refused(
        lambda: registration_services.registration_create_many(
            actor=other_delegation_staff, session=session, agents=[registration_services.AgentRow(number=1, **agent)]
        ),
        "Vous ne pouvez pas inscrire d'agent à cette session.",
    )
    assert not Registration.objects.exists()


def test_registration_cancel_of_another_collectivitys_agent(other_hr_contact, other_delegation_staff, session, commune):
    registration = RegistrationFactory(session=session, employer=commune)
    for actor in (other_hr_contact, other_delegation_staff):
        _refused(
            lambda actor=actor: registration_services.registration_cancel(actor=actor, registration=registration),
            "Vous ne pouvez pas annuler cette inscription.",
        )
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_attendance_by_someone_who_neither_manages_nor_trains(hr_contact, session, commune):
    registration = RegistrationFactory(session=session, employer=commune)
    half_day = session.half_days.first()
    _refused(
        lambda: attendance_services.attendance_record(
            actor=hr_contact, session=session, marks={(registration.pk, half_day.pk): AttendanceStatus.PRESENT}
        ),
        "Vous ne pouvez pas pointer les présences de cette session.",
    )
    assert not Attendance.objects.exists()


def test_calendar_feed_of_another_delegation(other_delegation_staff, delegation):
    feed = services.calendar_feed_get_or_create(delegation=delegation)
    _refused(
        lambda: services.calendar_feed_regenerate(actor=other_delegation_staff, delegation=delegation),
        "Vous ne pouvez pas renouveler le lien d'agenda de cette délégation.",
    )
    assert CalendarFeed.objects.get(delegation=delegation).token == feed.token
