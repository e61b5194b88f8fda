"""Lists and grids run a constant number of queries whatever the number of rows."""

import pytest
from django.urls import reverse

from tests.querycount import assert_constant_queries
from tests.trainings.factories import (
    RegistrationFactory,
    SessionFactory,
    SpeakerFactory,
    TrainingActionFactory,
    in_days,
)
from trainings.calendar_selectors import CALENDAR_HALF_DAYS_PER_DAY
from trainings.enums import AttendanceStatus, Period, RegistrationStatus
from trainings.models import Attendance

MANY = 29


def _times(n, make):
    def grow():
        for _ in range(n):
            make()

    return grow


def test_session_list_query_count(client, delegation_staff, action, commune):
    def make():
        RegistrationFactory(session=SessionFactory(action=action, venue=commune), employer=commune)

    make()
    client.force_login(delegation_staff)
    shown = assert_constant_queries(
        client, reverse("trainings:session_list"), _times(MANY, make), rows="tbody tr", queries=QUERIES["session_list"]
    )
    assert shown == (1, 1 + MANY)


def test_session_detail_query_count(client, delegation_staff, session, commune):
    session.capacity = 100
    session.save(update_fields=["capacity"])
    session.trainers.add(SpeakerFactory())
    RegistrationFactory(session=session, employer=commune)

    def grow():
        session.trainers.add(*SpeakerFactory.create_batch(2))
        RegistrationFactory.create_batch(MANY, session=session, employer=commune)

    client.force_login(delegation_staff)
    shown = assert_constant_queries(
        client,
        reverse("trainings:session_detail", args=[session.pk]),
        grow,
        rows=lambda page: page.content.decode().count("Annuler l'inscription"),
        queries=QUERIES["session_detail"],
    )
    assert shown == (1, 1 + MANY)


def test_action_list_query_count(client, delegation_staff, delegation, commune):
    def make():
        action = TrainingActionFactory(delegation=delegation)
        SessionFactory(action=action, venue=commune)

    make()
    client.force_login(delegation_staff)
    shown = assert_constant_queries(client, reverse("trainings:action_list"), _times(MANY, make), rows="tbody tr")
    assert shown == (1, 1 + MANY)


def test_registration_list_query_count(client, hr_contact, action, commune):
    def make():
        session = SessionFactory(action=action, venue=commune)
        registration = RegistrationFactory(session=session, employer=commune)
        Attendance.objects.create(
            registration=registration, half_day=session.half_days.first(), status=AttendanceStatus.PRESENT
        )

    make()
    client.force_login(hr_contact)
    shown = assert_constant_queries(
        client,
        reverse("trainings:registration_list"),
        _times(MANY, make),
        rows=lambda page: page.content.decode().count("Attestation (PDF)"),
        queries=QUERIES["registration_list"],
    )
    assert shown == (1, 1 + MANY)


def test_filtered_registration_list_with_waiting_positions_query_count(client, hr_contact, session, commune):
    session.capacity = 1
    session.save(update_fields=["capacity"])
    RegistrationFactory(session=session, employer=commune)
    RegistrationFactory(session=session, employer=commune, status=RegistrationStatus.WAITLISTED)
    client.force_login(hr_contact)
    url = reverse("trainings:registration_list") + f"?session={session.pk}&status=waitlisted"
    assert_constant_queries(
        client,
        url,
        lambda: RegistrationFactory.create_batch(
            MANY, session=session, employer=commune, status=RegistrationStatus.WAITLISTED
        ),
        rows=lambda page: page.content.decode().count("position "),
        queries=QUERIES["registration_list_filtered"],
    )
    assert f"position {1 + MANY}<" in client.get(url).content.decode()


@pytest.mark.parametrize("size", [1, 5])
def test_registration_batch_page_query_count(client, hr_contact, session, size, django_assert_num_queries):
    """The lines of the batch form come from the URL, not the database: the same queries for 10 or 50."""
    client.force_login(hr_contact)
    url = reverse("trainings:registration_batch", args=[session.pk]) + f"?lignes={size * 10}"
    with django_assert_num_queries(QUERIES["registration_batch"]):
        response = client.get(url)
    # The management form, five fields per line, and the same five in the template of a new line.
    assert response.content.decode().count('name="form-') == 4 + (size * 10 + 1) * 5


def test_attendance_page_query_count(client, delegation_staff, action, commune):
    day = in_days(-1)
    session = SessionFactory(
        action=action,
        venue=commune,
        capacity=100,
        start_date=day,
        half_days=[(day, Period.MORNING), (day, Period.AFTERNOON)],
    )

    def make():
        registration = RegistrationFactory(session=session, employer=commune)
        Attendance.objects.create(
            registration=registration, half_day=session.half_days.first(), status=AttendanceStatus.PRESENT
        )

    make()
    client.force_login(delegation_staff)
    shown = assert_constant_queries(
        client,
        reverse("trainings:attendance", args=[session.pk]),
        _times(MANY, make),
        rows="select",
        queries=QUERIES["attendance"],
    )
    assert shown == (2, 2 * (1 + MANY))


def test_calendar_query_count(client, delegation_staff, action, commune):
    def make():
        SessionFactory(action=action, venue=commune, start_date=in_days(0))

    make()
    client.force_login(delegation_staff)
    shown = assert_constant_queries(
        client,
        reverse("trainings:session_calendar") + f"?mois={in_days(0):%Y-%m}",
        _times(MANY, make),
        rows=".calendar-grid .calendar-entry",
        queries=QUERIES["calendar"],
    )
    # All on one day: the day shows its first half-days, then « + N autres » (the day's own list).
    assert shown == (2, CALENDAR_HALF_DAYS_PER_DAY)


# Including the login session, the user and the scope shown in the page header.
# Pages seen by delegation staff include one query for the menu's « À faire » counter.
QUERIES = {
    "session_list": 6,
    "session_detail": 10,  # with its history (staff only)
    "registration_list": 4,  # the page without counting the list (a delegation: 100,000 a year)
    "registration_list_filtered": 5,  # and the session of the filter, by its id
    "registration_batch": 4,
    "attendance": 8,  # the trainers are no longer read apart: the selector scopes the session
    "calendar": 6,
}
