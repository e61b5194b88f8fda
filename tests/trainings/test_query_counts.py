"""Lists and grids run a constant number of queries whatever the number of rows."""

import pytest

from tests.trainings.factories import RegistrationFactory, SessionFactory, SpeakerFactory, in_days
from trainings.enums import AttendanceStatus, Period, RegistrationStatus
from trainings.models import Attendance

SIZES = [1, 30]


@pytest.mark.parametrize("size", SIZES)
def test_session_list_query_count(client, delegation_staff, action, commune, size, django_assert_num_queries):
    for _ in range(size):
        session = SessionFactory(action=action, venue=commune)
        RegistrationFactory(session=session, employer=commune)
    client.force_login(delegation_staff)
    with django_assert_num_queries(QUERIES["session_list"]):
        response = client.get("/formations/")
    assert response.content.decode().count('href="/formations/sessions/') == size


@pytest.mark.parametrize("size", SIZES)
def test_session_detail_query_count(client, delegation_staff, session, commune, size, django_assert_num_queries):
    session.capacity = 100
    session.save(update_fields=["capacity"])
    session.trainers.add(*SpeakerFactory.create_batch(min(size, 3)))
    RegistrationFactory.create_batch(size, session=session, employer=commune)
    client.force_login(delegation_staff)
    with django_assert_num_queries(QUERIES["session_detail"]):
        response = client.get(f"/formations/sessions/{session.pk}/")
    assert response.content.decode().count("Annuler l'inscription") == size


@pytest.mark.parametrize("size", SIZES)
def test_registration_list_query_count(client, hr_contact, action, commune, size, django_assert_num_queries):
    for _ in range(size):
        session = SessionFactory(action=action, venue=commune)
        registration = RegistrationFactory(session=session, employer=commune)
        Attendance.objects.create(
            registration=registration, half_day=session.half_days.first(), status=AttendanceStatus.PRESENT
        )
    client.force_login(hr_contact)
    with django_assert_num_queries(QUERIES["registration_list"]):
        response = client.get("/formations/inscriptions/")
    assert response.content.decode().count("Attestation (PDF)") == size


@pytest.mark.parametrize("size", SIZES)
def test_filtered_registration_list_with_waiting_positions_query_count(
    client, hr_contact, session, commune, size, django_assert_num_queries
):
    session.capacity = 1
    session.save(update_fields=["capacity"])
    RegistrationFactory(session=session, employer=commune)
    RegistrationFactory.create_batch(size, session=session, employer=commune, status=RegistrationStatus.WAITLISTED)
    client.force_login(hr_contact)
    with django_assert_num_queries(QUERIES["registration_list_filtered"]):
        response = client.get(f"/formations/inscriptions/?session={session.pk}&status=waitlisted")
    assert response.content.decode().count("position ") == size
    assert f"position {size}<" in response.content.decode()


@pytest.mark.parametrize("size", [1, 5])
def test_registration_batch_page_query_count(client, hr_contact, session, size, django_assert_num_queries):
    client.force_login(hr_contact)
    with django_assert_num_queries(QUERIES["registration_batch"]):
        response = client.get(f"/formations/sessions/{session.pk}/inscrire/plusieurs/?lignes={size * 10}")
    # The management form, five fields per line, and the same five in the template of a new line.
    assert response.content.decode().count('name="form-') == 4 + (size * 10 + 1) * 5


@pytest.mark.parametrize("size", SIZES)
def test_attendance_page_query_count(client, delegation_staff, action, commune, size, django_assert_num_queries):
    day = in_days(-1)
    session = SessionFactory(
        action=action,
        venue=commune,
        capacity=100,
        start_date=day,
        half_days=[(day, Period.MORNING), (day, Period.AFTERNOON)],
    )
    for registration in RegistrationFactory.create_batch(size, session=session, employer=commune):
        Attendance.objects.create(
            registration=registration, half_day=session.half_days.first(), status=AttendanceStatus.PRESENT
        )
    client.force_login(delegation_staff)
    with django_assert_num_queries(QUERIES["attendance"]):
        response = client.get(f"/formations/sessions/{session.pk}/emargement/")
    assert response.content.decode().count("<select") == 2 * size


@pytest.mark.parametrize("size", SIZES)
def test_calendar_query_count(client, delegation_staff, action, commune, size, django_assert_num_queries):
    for _ in range(size):
        SessionFactory(action=action, venue=commune, start_date=in_days(0))
    client.force_login(delegation_staff)
    with django_assert_num_queries(QUERIES["calendar"]):
        response = client.get(f"/formations/calendrier/?mois={in_days(0):%Y-%m}")
    assert response.content.decode().count('class="calendar-entry"') == 2 * size


# Including the login session, the user and the scope shown in the page header.
# Pages seen by delegation staff include one query for the menu's « À faire » counter.
QUERIES = {
    "session_list": 6,
    "session_detail": 10,  # with its history (staff only)
    "registration_list": 6,
    "registration_list_filtered": 7,
    "registration_batch": 4,
    "attendance": 9,
    "calendar": 6,
}
