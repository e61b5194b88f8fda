"""Capacity holds under simultaneous registrations (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection, connections

from partnership.enums import Role
from tests.factories import CommuneFactory, DelegationFactory, UserFactory
from tests.trainings.factories import SessionFactory, TrainingActionFactory
from trainings import services
from trainings.enums import RegistrationStatus
from trainings.models import Registration


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_registration_create_never_exceeds_capacity_in_parallel():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    delegation = DelegationFactory()
    staff = UserFactory(role=Role.DELEGATION_STAFF, delegation=delegation)
    employer = CommuneFactory(department=delegation.departments.first())
    session = SessionFactory(action=TrainingActionFactory(delegation=delegation), venue=employer, capacity=3)
    barrier = threading.Barrier(12)
    errors = []

    def register(n):
        try:
            barrier.wait()
            services.registration_create(
                actor=staff,
                session=session,
                first_name="Agent",
                last_name=str(n),
                email=f"agent{n}@ville.example.fr",
                category="C",
                employer=employer,
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    statuses = list(Registration.objects.filter(session=session).values_list("status", flat=True))
    assert statuses.count(RegistrationStatus.CONFIRMED) == 3
    assert statuses.count(RegistrationStatus.WAITLISTED) == 9


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_registration_create_same_agent_in_parallel_registered_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    delegation = DelegationFactory()
    staff = UserFactory(role=Role.DELEGATION_STAFF, delegation=delegation)
    employer = CommuneFactory(department=delegation.departments.first())
    session = SessionFactory(action=TrainingActionFactory(delegation=delegation), venue=employer, capacity=3)
    barrier = threading.Barrier(6)
    messages = []

    def register():
        try:
            barrier.wait()
            services.registration_create(
                actor=staff,
                session=session,
                first_name="Agent",
                last_name="Double",
                email="double@ville.example.fr",
                category="C",
                employer=employer,
            )
        except Exception as exc:
            messages.append(" ".join(getattr(exc, "messages", [repr(exc)])))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Registration.objects.filter(session=session).count() == 1
    assert messages == ["Cet agent (même adresse e-mail) est déjà inscrit à cette session."] * 5
