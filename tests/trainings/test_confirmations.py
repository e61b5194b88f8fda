"""Cancelling a training registration asks first: staff see who gets the place, an HR contact does not."""

import pytest
from django.core import mail

from tests.factories import CommuneFactory
from tests.helpers import confirmation_of, form_to, text
from tests.trainings.factories import RegistrationFactory
from trainings.enums import RegistrationStatus

pytestmark = pytest.mark.django_db


def _statuses(*registrations) -> list[str]:
    for registration in registrations:
        registration.refresh_from_db()
    return [registration.status for registration in registrations]


@pytest.fixture
def full_session(session, commune):
    """``session`` (2 places) full, with an agent of another collectivité first on the waiting list."""
    leaving = RegistrationFactory(session=session, employer=commune, first_name="Alice", last_name="Martin")
    RegistrationFactory(session=session, employer=commune)
    neighbour = CommuneFactory(department=commune.department, name="Villeneuve")
    waiting = RegistrationFactory(
        session=session,
        employer=neighbour,
        first_name="Chloé",
        last_name="Roux",
        status=RegistrationStatus.WAITLISTED,
        confirmed_at=None,
    )
    return leaving, waiting


def _session_line(session) -> str:
    return f"« {session.action.title} » (session du {session.start_date:%d/%m/%Y})"


def test_staff_confirmation_names_the_next_agent_then_cancels(
    django_app, delegation_staff, session, full_session, django_capture_on_commit_callbacks
):
    leaving, waiting = full_session
    page = django_app.get(f"/formations/sessions/{session.pk}/", user=delegation_staff)

    confirmation = form_to(page, f"/formations/inscriptions/{leaving.pk}/annuler/").submit()

    assert confirmation_of(confirmation) == [
        f"L'inscription d'Alice Martin à {_session_line(session)} sera annulée ; Alice Martin en sera informé·e "
        "par e-mail.",
        f"La place libérée sera proposée à Chloé Roux ({waiting.employer}), premier·e de la liste d'attente, "
        "qui recevra un e-mail.",
    ]
    assert _statuses(leaving, waiting) == [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]

    with django_capture_on_commit_callbacks(execute=True):
        done = confirmation.forms["confirmation-form"].submit().follow()

    assert "L'inscription d'Alice Martin est annulée." in text(done)
    assert _statuses(leaving, waiting) == [RegistrationStatus.CANCELLED, RegistrationStatus.CONFIRMED]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([leaving.email, waiting.email])


def test_hr_contact_confirmation_does_not_name_another_collectivite_s_agent(
    django_app, hr_contact, session, full_session
):
    leaving, waiting = full_session
    page = django_app.get(f"/formations/sessions/{session.pk}/", user=hr_contact)

    confirmation = form_to(page, f"/formations/inscriptions/{leaving.pk}/annuler/").submit()

    assert confirmation_of(confirmation)[1] == (
        "La place libérée sera proposée à la première personne de la liste d'attente, qui recevra un e-mail."
    )
    assert "Roux" not in text(confirmation)
    back = confirmation.click("Annuler, ne rien changer")
    assert back.request.path == f"/formations/sessions/{session.pk}/"
    assert _statuses(leaving, waiting) == [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]


def test_hr_contact_confirmation_names_their_own_agent(django_app, hr_contact, session, commune):
    leaving = RegistrationFactory(session=session, employer=commune, first_name="Alice", last_name="Martin")
    RegistrationFactory(session=session, employer=commune)
    RegistrationFactory(
        session=session,
        employer=commune,
        first_name="Inès",
        last_name="Moreau",
        status=RegistrationStatus.WAITLISTED,
        confirmed_at=None,
    )
    page = django_app.get(f"/formations/sessions/{session.pk}/", user=hr_contact)

    confirmation = form_to(page, f"/formations/inscriptions/{leaving.pk}/annuler/").submit()

    assert confirmation_of(confirmation)[1] == (
        f"La place libérée sera proposée à Inès Moreau ({commune}), premier·e de la liste d'attente, "
        "qui recevra un e-mail."
    )


def test_cancelling_a_session_asks_first_and_counts_the_agents_told(
    django_app, delegation_staff, session, full_session, django_capture_on_commit_callbacks
):
    page = django_app.get(f"/formations/sessions/{session.pk}/", user=delegation_staff)

    confirmation = form_to(page, f"/formations/sessions/{session.pk}/annuler/").submit()

    assert confirmation_of(confirmation) == [
        f"La session « {session.action.title} » du {session.start_date:%d/%m/%Y} sera annulée.",
        "Les 3 inscriptions en cours (confirmées et en liste d'attente) seront annulées ; chaque agent en sera "
        "informé par e-mail.",
        "Une session annulée ne peut pas être rouverte.",
    ]
    session.refresh_from_db()
    assert session.is_cancelled is False

    with django_capture_on_commit_callbacks(execute=True):
        done = confirmation.forms["confirmation-form"].submit().follow()

    assert "La session est annulée ; les agents inscrits sont prévenus par e-mail." in text(done)
    session.refresh_from_db()
    assert session.is_cancelled is True
    assert len(mail.outbox) == 3
