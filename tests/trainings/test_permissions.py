"""Scope: other delegations get 404; an HR contact sees and handles only their own agents."""

import pytest

from tests.trainings.factories import (
    RegistrationFactory,
    SessionFactory,
    SpeakerFactory,
    TrainingActionFactory,
    in_days,
)
from trainings.enums import AttendanceStatus, RegistrationStatus
from trainings.models import Attendance, Registration

SESSION_PAGES = [
    "/formations/sessions/{pk}/",
    "/formations/sessions/{pk}/modifier/",
    "/formations/sessions/{pk}/emargement/",
    "/formations/sessions/{pk}/emargement/import/",
    "/formations/sessions/{pk}/feuille-emargement.pdf",
]


@pytest.mark.parametrize("url", SESSION_PAGES)
def test_session_pages_404_for_other_delegation_staff(client, other_delegation_staff, session, url):
    client.force_login(other_delegation_staff)
    response = client.get(url.format(pk=session.pk))
    assert response.status_code == 404


@pytest.mark.parametrize("url", SESSION_PAGES)
def test_session_pages_open_to_national_staff(client, national_staff, session, url):
    client.force_login(national_staff)
    response = client.get(url.format(pk=session.pk))
    assert response.status_code == 200


def test_session_list_hides_other_delegation_sessions(client, other_delegation_staff, session):
    client.force_login(other_delegation_staff)
    content = client.get("/formations/").content.decode()
    assert session.action.title not in content
    assert "Aucune session à venir." in content


def test_session_registration_by_other_delegation_staff_is_404(client, other_delegation_staff, session):
    client.force_login(other_delegation_staff)
    response = client.post(
        f"/formations/sessions/{session.pk}/inscrire/",
        {"first_name": "A", "last_name": "B", "email": "a@b.fr", "category": "C", "employer": session.venue.code},
    )
    assert response.status_code == 404
    assert Registration.objects.count() == 0


def test_hr_contact_sees_only_own_agents_and_counts(
    client, hr_contact, other_hr_contact, session, commune, other_commune
):
    # The other commune's agent came through the delegation staff (any collectivité).
    own = RegistrationFactory(session=session, employer=commune, last_name="Dupont")
    other = RegistrationFactory(session=session, employer=other_commune, last_name="Durand")
    client.force_login(hr_contact)
    content = client.get(f"/formations/sessions/{session.pk}/").content.decode()
    assert own.email in content
    assert other.email not in content and "Durand" not in content
    assert "2 confirmées sur 2" in content


def test_hr_contact_cannot_cancel_other_communes_agent(client, other_hr_contact, session, commune):
    registration = RegistrationFactory(session=session, employer=commune)
    client.force_login(other_hr_contact)
    response = client.post(f"/formations/inscriptions/{registration.pk}/annuler/")
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_hr_contact_cannot_download_other_communes_certificate(client, other_hr_contact, hr_contact, session, commune):
    registration = RegistrationFactory(session=session, employer=commune)
    Attendance.objects.create(
        registration=registration, half_day=session.half_days.first(), status=AttendanceStatus.PRESENT
    )
    client.force_login(other_hr_contact)
    assert client.get(f"/formations/inscriptions/{registration.pk}/attestation.pdf").status_code == 404
    client.force_login(hr_contact)
    assert client.get(f"/formations/inscriptions/{registration.pk}/attestation.pdf").content.startswith(b"%PDF")


def test_hr_contact_cannot_see_intra_session_of_another_contract(client, hr_contact, delegation):
    foreign = SessionFactory(action=TrainingActionFactory(delegation=delegation, mode="inter"))
    # Inter sessions of the delegation covering the commune are visible; an intra one of another
    # delegation's contract is not.
    other = SessionFactory()
    client.force_login(hr_contact)
    assert client.get(f"/formations/sessions/{foreign.pk}/").status_code == 200
    assert client.get(f"/formations/sessions/{other.pk}/").status_code == 404


def test_hr_contact_cannot_take_attendance(client, hr_contact, session):
    client.force_login(hr_contact)
    response = client.get(f"/formations/sessions/{session.pk}/emargement/")
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_trainer_speaker_can_take_attendance(client, speaker_user, session):
    session.trainers.add(SpeakerFactory(user=speaker_user))
    client.force_login(speaker_user)
    response = client.get(f"/formations/sessions/{session.pk}/emargement/")
    assert response.status_code == 200
    assert '<h1 class="h2">Feuille d\'émargement</h1>' in response.content.decode()


def test_anonymous_redirected_to_login(client, session):
    response = client.get(f"/formations/sessions/{session.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")


def test_registration_after_start_shows_french_error(client, delegation_staff, session):
    session.start_date = in_days(-1)
    session.save(update_fields=["start_date"])
    client.force_login(delegation_staff)
    response = client.post(
        f"/formations/sessions/{session.pk}/inscrire/",
        {"first_name": "A", "last_name": "B", "email": "a@b.fr", "category": "C", "employer": session.venue.code},
    )
    assert response.status_code == 409
    assert (
        f"Les inscriptions sont closes : la session a commencé le {in_days(-1):%d/%m/%Y}." in response.content.decode()
    )
    assert Registration.objects.count() == 0


def test_capacity_below_confirmed_shows_french_error(client, delegation_staff, session):
    RegistrationFactory.create_batch(2, session=session)
    client.force_login(delegation_staff)
    response = client.post(
        f"/formations/sessions/{session.pk}/modifier/",
        {"half_days": f"{session.start_date:%d/%m/%Y} journée", "venue": session.venue.code, "capacity": "1"},
    )
    assert response.status_code == 400
    assert "Impossible de réduire à 1 place : 2 inscriptions sont déjà confirmées." in response.content.decode()
    session.refresh_from_db()
    assert session.capacity == 2
