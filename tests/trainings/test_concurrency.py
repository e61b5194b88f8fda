"""Capacity holds under simultaneous registrations (PostgreSQL row locks)."""

import pytest
from django.db import connection

from partnership.enums import Role
from tests.concurrency import run_concurrently
from tests.factories import CommuneFactory, DelegationFactory, UserFactory
from tests.trainings.factories import SessionFactory, TrainingActionFactory
from trainings import registrations as registration_services
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

    def register(n):
        return lambda: registration_services.registration_create(
            actor=staff,
            session=session,
            first_name="Agent",
            last_name=str(n),
            email=f"agent{n}@ville.example.fr",
            category="C",
            employer=employer,
        )

    _results, errors = run_concurrently([register(n) for n in range(12)])

    assert errors == [None] * 12
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

    def register():
        return registration_services.registration_create(
            actor=staff,
            session=session,
            first_name="Agent",
            last_name="Double",
            email="double@ville.example.fr",
            category="C",
            employer=employer,
        )

    _results, errors = run_concurrently([register] * 6)
    messages = [" ".join(error.messages) for error in errors if error is not None]

    assert Registration.objects.filter(session=session).count() == 1
    assert messages == ["Cet agent (même adresse e-mail) est déjà inscrit à cette session."] * 5


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_registration_batches_in_parallel_share_the_capacity_and_stay_whole():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    delegation = DelegationFactory()
    staff = UserFactory(role=Role.DELEGATION_STAFF, delegation=delegation)
    employer = CommuneFactory(department=delegation.departments.first())
    session = SessionFactory(action=TrainingActionFactory(delegation=delegation), venue=employer, capacity=5)

    def batch(n):
        agents = [
            registration_services.AgentRow(
                number=line,
                first_name="Agent",
                last_name=f"{n}-{line}",
                email=f"agent{n}-{line}@ville.example.fr",
                category="C",
                employer=employer,
            )
            for line in range(1, 4)
        ]
        return lambda: registration_services.registration_create_many(actor=staff, session=session, agents=agents)

    _results, errors = run_concurrently([batch(n) for n in range(4)])

    assert errors == [None] * 4
    statuses = list(Registration.objects.filter(session=session).values_list("last_name", "status"))
    assert [status for _name, status in statuses].count(RegistrationStatus.CONFIRMED) == 5
    assert len(statuses) == 12
    # Each batch's three lines are consecutive in the queue: another batch never slips between them.
    order = [
        name.split("-")[0]
        for name, _status in Registration.objects.filter(session=session)
        .order_by("pk")
        .values_list("last_name", "status")
    ]
    assert order == sorted(order, key=order.index)
