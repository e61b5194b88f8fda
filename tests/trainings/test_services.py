"""Registrations, waiting list, promotion and the rules that refuse bad input."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from tests.trainings.factories import RegistrationFactory, in_days
from trainings import registrations as registration_services
from trainings import services
from trainings.enums import RegistrationStatus
from trainings.models import Registration


def _register(actor, session, n, **extra):
    data = {
        "first_name": "Agent",
        "last_name": f"Numéro {n}",
        "email": f"agent{n}@ville.example.fr",
        "category": "C",
        "job": "Agent d'accueil",
    }
    data.update(extra)
    return registration_services.registration_create(actor=actor, session=session, **data)


def test_registration_create_confirms_then_waitlists(hr_contact, session, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _register(hr_contact, session, 1)
        second = _register(hr_contact, session, 2)
        third = _register(hr_contact, session, 3)
    assert [first.status, second.status, third.status] == ["confirmed", "confirmed", "waitlisted"]
    assert first.employer == hr_contact.collectivity
    assert [m.to for m in mail.outbox] == [
        ["agent1@ville.example.fr"],
        ["agent2@ville.example.fr"],
        ["agent3@ville.example.fr"],
    ]
    assert mail.outbox[0].subject.startswith("Inscription confirmée – ")
    assert mail.outbox[2].subject.startswith("Inscription en liste d'attente – ")


def test_registration_cancel_promotes_first_waiting(hr_contact, session, django_capture_on_commit_callbacks):
    first = _register(hr_contact, session, 1)
    _register(hr_contact, session, 2)
    waiting_first = _register(hr_contact, session, 3)
    waiting_second = _register(hr_contact, session, 4)
    with django_capture_on_commit_callbacks(execute=True):
        promoted = registration_services.registration_cancel(actor=hr_contact, registration=first)
    assert promoted == [waiting_first.pk]
    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert statuses[first.pk] == RegistrationStatus.CANCELLED
    assert statuses[waiting_first.pk] == RegistrationStatus.CONFIRMED
    assert statuses[waiting_second.pk] == RegistrationStatus.WAITLISTED
    assert sorted((m.to[0], m.subject.split(" – ")[0]) for m in mail.outbox) == [
        ("agent1@ville.example.fr", "Inscription annulée"),
        ("agent3@ville.example.fr", "Place libérée : inscription confirmée"),
    ]


def test_registration_create_refuses_same_email_twice(hr_contact, session):
    _register(hr_contact, session, 1)
    with pytest.raises(ValidationError) as excinfo:
        _register(hr_contact, session, 1, email="AGENT1@ville.example.fr ")
    assert excinfo.value.message_dict == {
        "email": ["Cet agent (même adresse e-mail) est déjà inscrit à cette session."]
    }
    assert Registration.objects.count() == 1


def test_registration_create_allows_again_after_cancellation(hr_contact, session):
    first = _register(hr_contact, session, 1)
    registration_services.registration_cancel(actor=hr_contact, registration=first)
    again = _register(hr_contact, session, 1)
    assert again.status == RegistrationStatus.CONFIRMED
    assert Registration.objects.count() == 2


def test_registration_create_refused_once_session_started(hr_contact, session):
    session.start_date = in_days(0)
    session.save(update_fields=["start_date"])
    with pytest.raises(ValidationError) as excinfo:
        _register(hr_contact, session, 1)
    assert excinfo.value.messages == [f"Les inscriptions sont closes : la session a commencé le {in_days(0):%d/%m/%Y}."]
    assert Registration.objects.count() == 0


def test_registration_create_refuses_category_outside_audience(hr_contact, session):
    session.action.for_category_c = False
    session.action.save(update_fields=["for_category_c"])
    with pytest.raises(ValidationError) as excinfo:
        _register(hr_contact, session, 1, category="C")
    assert excinfo.value.message_dict == {"category": ["Cette action s'adresse aux agents de catégorie A, B."]}


def test_registration_create_forces_hr_contacts_employer(hr_contact, other_commune, session):
    registration = _register(hr_contact, session, 1, employer=other_commune)
    assert registration.employer_id == hr_contact.collectivity_id


def test_session_update_refuses_capacity_below_confirmed(delegation_staff, session):
    RegistrationFactory.create_batch(2, session=session)
    with pytest.raises(ValidationError) as excinfo:
        services.session_update(actor=delegation_staff, session=session, capacity=1, venue=session.venue)
    assert excinfo.value.message_dict == {
        "capacity": [
            "Impossible de réduire à 1 place : 2 inscriptions sont déjà confirmées. Annulez d'abord des inscriptions."
        ]
    }
    session.refresh_from_db()
    assert session.capacity == 2


def test_session_update_raising_capacity_promotes_waiting(
    delegation_staff, session, django_capture_on_commit_callbacks
):
    RegistrationFactory.create_batch(2, session=session)
    waiting = RegistrationFactory(session=session, status=RegistrationStatus.WAITLISTED, confirmed_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(actor=delegation_staff, session=session, capacity=3, venue=session.venue)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert [m.to for m in mail.outbox] == [[waiting.email]]
