"""What bounds the calendar at national volume: the feed's window and ETag, a busy day's « + N autres »."""

from bs4 import BeautifulSoup
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnership.text import french_date
from tests.ical_validation import assert_valid_ics
from tests.querycount import assert_constant_queries
from tests.trainings.factories import SessionFactory, TrainingActionFactory, in_days
from trainings import services
from trainings.enums import SessionStatus

MANY = 20


def _feed_url(delegation_staff, delegation) -> str:
    feed = services.calendar_feed_regenerate(actor=delegation_staff, delegation=delegation)
    return f"/formations/delegations/{delegation.code}/calendrier.ics?jeton={feed.token}"


def _days(content: bytes) -> list[str]:
    return [event["dtstart"].dt.strftime("%Y-%m-%d %H:%M") for event in assert_valid_ics(content).walk("VEVENT")]


# --- The delegation's iCalendar feed ------------------------------------------------------------------


def test_calendar_feed_covers_30_days_back_to_a_year_ahead(client, delegation_staff, delegation, action, commune):
    for days in (-31, -30, 365, 366):
        SessionFactory(action=action, venue=commune, start_date=in_days(days))
    content = client.get(_feed_url(delegation_staff, delegation)).content
    assert _days(content) == [
        f"{in_days(-30):%Y-%m-%d} 09:00",
        f"{in_days(-30):%Y-%m-%d} 13:30",
        f"{in_days(365):%Y-%m-%d} 09:00",
        f"{in_days(365):%Y-%m-%d} 13:30",
    ]
    calendar = assert_valid_ics(content)
    assert str(calendar["x-wr-caldesc"]) == (
        f"{delegation.name}\u00a0: les formations des 30 derniers jours et des 365 prochains jours."
    )


def test_calendar_feed_writes_each_half_day_as_before(client, delegation_staff, delegation, commune):
    """Titles with commas, semicolons and accents, a long line, a cancelled session: valid RFC 5545, read
    back exactly, with the UIDs the convocations use."""
    title = "Prévention des risques ; gestes, postures et « bonnes pratiques » — " + "é" * 60
    action = TrainingActionFactory(delegation=delegation, title=title)
    session = SessionFactory(action=action, venue=commune, start_date=in_days(3), status=SessionStatus.CANCELLED)
    content = client.get(_feed_url(delegation_staff, delegation)).content
    events = assert_valid_ics(content).walk("VEVENT")
    assert [(str(e["uid"]), str(e["summary"]), str(e["status"])) for e in events] == [
        (f"session-{session.pk}-{in_days(3):%Y%m%d}-am@partenariat-cnfpt-amf", f"ANNULÉE – {title}", "CANCELLED"),
        (f"session-{session.pk}-{in_days(3):%Y%m%d}-pm@partenariat-cnfpt-amf", f"ANNULÉE – {title}", "CANCELLED"),
    ]
    assert str(events[0]["location"]) == f"{session.address}, {commune.name}"
    assert str(events[0]["description"]) == f"{settings.SITE_URL}/formations/sessions/{session.pk}/"


def test_calendar_feed_answers_304_to_a_poller_holding_the_same_file(client, delegation_staff, delegation, session):
    url = _feed_url(delegation_staff, delegation)
    first = client.get(url)
    etag = first["ETag"]
    assert etag.startswith('"')
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert (again.status_code, again.content) == (304, b"")
    SessionFactory(action=session.action, venue=session.venue, start_date=in_days(4))
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert len(_days(changed.content)) == 4


def test_calendar_feed_query_count(client, delegation_staff, delegation, action, commune):
    url = _feed_url(delegation_staff, delegation)
    SessionFactory(action=action, venue=commune, start_date=in_days(1))

    def load():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        return len(_days(response.content)), len(captured.captured_queries)

    assert load() == (2, 3)  # the feed's token, its sessions, their half-days
    for day in range(MANY):
        SessionFactory(action=action, venue=commune, start_date=in_days(day))
    assert load() == (2 + 2 * MANY, 3)


# --- The month calendar: a busy day shows six half-days, then « + N autres » ---------------------------


def _page(client, query: str) -> BeautifulSoup:
    response = client.get(reverse("trainings:session_calendar") + query)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def _text(tag) -> str:
    return " ".join(tag.get_text().split())


def test_calendar_busy_day_shows_six_then_plus_n_autres(client, delegation_staff, delegation, commune):
    actions = [TrainingActionFactory(delegation=delegation, title=f"Formation {letter}") for letter in "ABCDEFGH"]
    for action in reversed(actions):
        SessionFactory(action=action, venue=commune, start_date=in_days(2))
    day = in_days(2)
    client.force_login(delegation_staff)
    more_url = f"/formations/calendrier/?jour={day:%Y-%m-%d}"
    for view in ("grille", "liste"):
        page = _page(client, f"?mois={day:%Y-%m}&vue={view}")
        entries = [_text(a.find(string=True, recursive=False).parent) for a in page.select("a.calendar-entry")]
        assert [" ".join(entry.split()[:3]) for entry in entries] == [
            "Matin Formation A",
            "Matin Formation B",
            "Matin Formation C",
            "Matin Formation D",
            "Matin Formation E",
            "Matin Formation F",
        ]
        more = page.select("a.calendar-more")
        assert [(m.find(string=True, recursive=False).strip(), m["href"]) for m in more] == [
            ("+\xa010 autres", more_url)
        ]
        assert _text(more[0].select_one(".visually-hidden")) == f"demi-journées le {french_date(day, 'l j F')}"
    day_page = _page(client, f"?jour={day:%Y-%m-%d}")
    titles = [" ".join(_text(a).split()[:3]) for a in day_page.select("a.calendar-entry")]
    assert titles == [f"Matin Formation {letter}" for letter in "ABCDEFGH"] + [
        f"Après-midi Formation {letter}" for letter in "ABCDEFGH"
    ]
    assert day_page.select_one('a[href="?mois=' + f"{day:%Y-%m}" + '"]').get_text() == "Tout le mois"


def test_calendar_day_with_one_hidden_half_day_says_autre(client, delegation_staff, delegation, commune):
    actions = [TrainingActionFactory(delegation=delegation, title=f"Formation {letter}") for letter in "ABC"]
    for action in actions:
        SessionFactory(action=action, venue=commune, start_date=in_days(2))
    SessionFactory(action=actions[0], venue=commune, start_date=in_days(2), half_days=[(in_days(2), "am")])
    client.force_login(delegation_staff)
    more = _page(client, f"?mois={in_days(2):%Y-%m}&vue=liste").select("a.calendar-more")
    assert [m.find(string=True, recursive=False).strip() for m in more] == ["+\xa01 autre"]


def test_calendar_month_query_count_with_a_busy_day(client, delegation_staff, action, commune):
    def make():
        SessionFactory(action=action, venue=commune, start_date=in_days(0))

    make()
    client.force_login(delegation_staff)
    shown = assert_constant_queries(
        client,
        reverse("trainings:session_calendar") + f"?mois={in_days(0):%Y-%m}&vue=grille",
        lambda: [make() for _ in range(MANY)],
        rows=lambda response: len(
            BeautifulSoup(response.content, "html.parser").select(".calendar-entry, .calendar-more")
        ),
    )
    assert shown == (2, 7)  # six half-days and « + 36 autres »


def test_calendar_day_list_query_count(client, delegation_staff, action, commune):
    def make():
        SessionFactory(action=action, venue=commune, start_date=in_days(0))

    make()
    client.force_login(delegation_staff)
    shown = assert_constant_queries(
        client,
        reverse("trainings:session_calendar") + f"?jour={in_days(0):%Y-%m-%d}",
        lambda: [make() for _ in range(MANY)],
        rows="a.calendar-entry",
    )
    assert shown == (2, 2 * (1 + MANY))
