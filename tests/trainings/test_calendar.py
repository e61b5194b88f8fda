"""The month calendar and the delegation's iCalendar feed, guarded by a secret token."""

import datetime

from bs4 import BeautifulSoup
from django.urls import reverse

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
    # Its two half-days, in the grid and in the list (the width decides which one shows).
    assert content.count(f'href="/formations/sessions/{session.pk}/"') == 4
    assert f"calendrier.ics?jeton={feed.token}" in content


def _calendar(client, query: str) -> BeautifulSoup:
    return BeautifulSoup(client.get(reverse("trainings:session_calendar") + query).content, "html.parser")


def test_calendar_list_shows_the_days_of_the_month_only(client, delegation_staff, action, commune):
    SessionFactory(action=action, venue=commune, start_date=datetime.date(2027, 3, 1))
    # The grid of April 2027 starts on Monday 29 March: the list of April leaves that day out.
    SessionFactory(action=action, venue=commune, start_date=datetime.date(2027, 3, 30))
    SessionFactory(action=action, venue=commune, start_date=datetime.date(2027, 4, 2))
    client.force_login(delegation_staff)
    page = _calendar(client, "?mois=2027-04&vue=liste")
    assert page.select("table.calendar-grid") == []
    assert [h2.get_text() for h2 in page.select(".calendar-agenda h2")] == ["Vendredi 2 avril"]
    assert [" ".join(a.get_text().split()) for a in page.select(".calendar-agenda a")] == [
        f"Matin {action.title} à {commune.name}",
        f"Après-midi {action.title} à {commune.name}",
    ]
    grid = _calendar(client, "?mois=2027-04&vue=grille")
    assert grid.select(".calendar-agenda") == []
    assert len(grid.select("table.calendar-grid .calendar-entry")) == 4  # 30 March and 2 April


def test_calendar_month_links_keep_the_chosen_view(client, delegation_staff):
    client.force_login(delegation_staff)
    links = {a.get_text(): a["href"] for a in _calendar(client, "?mois=2027-01&vue=liste").select("nav a")}
    assert links["Mois précédent"] == "?mois=2026-12&vue=liste"
    assert links["Mois suivant"] == "?mois=2027-02&vue=liste"
    assert links["Aujourd'hui"] == reverse("trainings:session_calendar") + "?vue=liste"
    assert links["Grille"] == "?mois=2027-01&vue=grille"
    unchosen = {a.get_text(): a["href"] for a in _calendar(client, "?mois=2027-01&vue=autre").select("nav a")}
    assert unchosen["Mois suivant"] == "?mois=2027-02"
    assert unchosen["Aujourd'hui"] == reverse("trainings:session_calendar")


def test_calendar_bad_month_falls_back_to_current(client, delegation_staff):
    client.force_login(delegation_staff)
    response = client.get("/formations/calendrier/?mois=2026-13")
    assert response.status_code == 200
    assert response.context["month"] == in_days(0).month
