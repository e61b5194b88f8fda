"""The month calendar and the delegation's iCalendar feed, guarded by a secret token."""

from tests.ical_validation import assert_valid_ics
from tests.trainings.factories import SessionFactory, in_days
from trainings import services
from trainings.models import CalendarFeed


def test_calendar_feed_lists_half_days_with_token(client, delegation_staff, delegation, session):
    feed = services.calendar_feed_regenerate(actor=delegation_staff, delegation=delegation)
    response = client.get(f"/formations/delegations/{delegation.code}/calendrier.ics?jeton={feed.token}")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = assert_valid_ics(response.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [session.action.title, session.action.title]
    assert [e["dtstart"].dt.strftime("%Y-%m-%d %H:%M") for e in events] == [
        f"{session.start_date:%Y-%m-%d} 09:00",
        f"{session.start_date:%Y-%m-%d} 13:30",
    ]


def test_calendar_feed_refuses_wrong_or_old_token(client, delegation_staff, delegation, session):
    old = services.calendar_feed_regenerate(actor=delegation_staff, delegation=delegation).token
    new = services.calendar_feed_regenerate(actor=delegation_staff, delegation=delegation).token
    assert old != new
    url = f"/formations/delegations/{delegation.code}/calendrier.ics"
    assert client.get(f"{url}?jeton={old}").status_code == 404
    assert client.get(url).status_code == 404
    assert client.get(f"{url}?jeton={new}").status_code == 200


def test_calendar_feed_excludes_other_delegations(client, delegation_staff, delegation, other_delegation, session):
    other = SessionFactory()
    feed = services.calendar_feed_regenerate(actor=delegation_staff, delegation=delegation)
    content = client.get(f"/formations/delegations/{delegation.code}/calendrier.ics?jeton={feed.token}").content
    assert other.action.title.encode() not in content


def test_calendar_feed_regenerate_by_other_delegation_is_404(client, other_delegation_staff, delegation):
    client.force_login(other_delegation_staff)
    response = client.post(f"/formations/delegations/{delegation.code}/calendrier/renouveler/")
    assert response.status_code == 404
    assert CalendarFeed.objects.count() == 0


def test_calendar_month_shows_session_and_feed_link(client, delegation_staff, delegation, session):
    feed = services.calendar_feed_regenerate(actor=delegation_staff, delegation=delegation)
    client.force_login(delegation_staff)
    content = client.get(f"/formations/calendrier/?mois={session.start_date:%Y-%m}").content.decode()
    assert content.count(f'href="/formations/sessions/{session.pk}/"') == 2
    assert f"calendrier.ics?jeton={feed.token}" in content


def test_calendar_bad_month_falls_back_to_current(client, delegation_staff):
    client.force_login(delegation_staff)
    response = client.get("/formations/calendrier/?mois=2026-13")
    assert response.status_code == 200
    assert response.context["month"] == in_days(0).month
