"""The agent's convocation: the personal link of the registration e-mails opens, without an account,
what the agent needs to attend; it cannot be forged for another registration, and it ends with the
registration's retention."""

import datetime
import re
from urllib.parse import urlsplit

from django.core import mail
from django.core.signing import b64_encode
from django.utils import timezone
from icalendar import Calendar

from tests.ical_validation import assert_valid_ics
from trainings import registrations as registration_services
from trainings.convocation import CONVOCATION_MAX_AGE, convocation_url
from trainings.enums import RegistrationStatus
from trainings.models import Registration

LINK = re.compile(r"https?://\S+/formations/convocation/\S+/")


def _register(hr_contact, session, n, capture):
    with capture(execute=True):
        return registration_services.registration_create(
            actor=hr_contact,
            session=session,
            first_name="Léa",
            last_name=f"Martin {n}",
            email=f"lea.martin{n}@ville.example.fr",
            category="B",
            job="Agente d'accueil",
        )


def _link(registration) -> str:
    """The convocation link of the last e-mail sent to this agent, as a path."""
    body = [m.body for m in mail.outbox if m.to == [registration.email]][-1]
    return urlsplit(LINK.search(body).group()).path


def test_the_confirmation_email_links_to_a_convocation_the_agent_opens_without_an_account(
    django_app, hr_contact, session, django_capture_on_commit_callbacks
):
    session.action.objectives = "Accueillir un public en difficulté."
    session.action.save(update_fields=["objectives"])
    registration = _register(hr_contact, session, 1, django_capture_on_commit_callbacks)
    page = django_app.get(_link(registration))  # no login
    assert page.status_code == 200
    text = page.html.get_text(" ", strip=True)
    assert session.action.title in page.html.h1.text
    assert "Léa Martin 1" in text and hr_contact.collectivity.name in text
    assert "Votre inscription est confirmée." in text
    assert (
        "matin\u00a0: 9\u00a0h\u00a0– 12\u00a0h\u00a030" in text
        and "après-midi\u00a0: 13\u00a0h\u00a030\u00a0– 17\u00a0h" in text
    )
    assert session.address in text and "Accueillir un public en difficulté." in text
    assert page.html.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"

    ics = page.click("Ajouter à mon agenda")
    assert ics.content_type == "text/calendar"
    events = Calendar.from_ical(ics.body).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [session.action.title] * 2
    assert all(str(e["description"]).endswith(_link(registration)) for e in events)


def test_a_waiting_agent_reads_their_position_and_is_told_not_to_come(
    django_app, hr_contact, session, django_capture_on_commit_callbacks
):
    for n in (1, 2):  # the session holds two
        _register(hr_contact, session, n, django_capture_on_commit_callbacks)
    third = _register(hr_contact, session, 3, django_capture_on_commit_callbacks)
    assert third.status == RegistrationStatus.WAITLISTED
    text = django_app.get(_link(third)).html.get_text(" ", strip=True)
    assert "Vous êtes en liste d'attente (position 1)." in text
    assert "ne vous déplacez pas" in text


def test_cancellation_is_told_on_the_same_link(django_app, hr_contact, session, django_capture_on_commit_callbacks):
    registration = _register(hr_contact, session, 1, django_capture_on_commit_callbacks)
    link = _link(registration)
    with django_capture_on_commit_callbacks(execute=True):
        registration_services.registration_cancel(actor=hr_contact, registration=registration)
    page = django_app.get(link)
    assert "Votre inscription est annulée." in page.html.get_text(" ", strip=True)
    assert not page.html.find("a", string=re.compile("Ajouter à mon agenda"))


def test_a_link_cannot_be_altered_or_forged_for_another_registration(
    django_app, hr_contact, session, django_capture_on_commit_callbacks
):
    mine = _register(hr_contact, session, 1, django_capture_on_commit_callbacks)
    other = _register(hr_contact, session, 2, django_capture_on_commit_callbacks)
    link = _link(mine)
    token = link.rstrip("/").rsplit("/", 1)[1]
    _value, stamp_and_signature = token.split(":", 1)
    # The other registration's id with this link's signature, a truncated token, a bare id: nothing.
    other_value = b64_encode(str(other.pk).encode()).decode()
    for forged in (f"{other_value}:{stamp_and_signature}", token[:-2], str(other.pk), "x" * 40):
        assert django_app.get(f"/formations/convocation/{forged}/", expect_errors=True).status_code == 404
        assert django_app.get(f"/formations/convocation/{forged}/formation.ics", expect_errors=True).status_code == 404
    assert django_app.get(link).status_code == 200


def test_the_link_ends_with_the_registrations_retention(
    django_app, hr_contact, session, django_capture_on_commit_callbacks
):
    registration = _register(hr_contact, session, 1, django_capture_on_commit_callbacks)
    link = _link(registration)
    Registration.objects.filter(pk=registration.pk).update(anonymised_at=timezone.now())
    assert django_app.get(link, expect_errors=True).status_code == 404


def test_the_link_expires(django_app, hr_contact, session, django_capture_on_commit_callbacks, monkeypatch):
    registration = _register(hr_contact, session, 1, django_capture_on_commit_callbacks)
    link = urlsplit(convocation_url(registration)).path
    assert django_app.get(link).status_code == 200
    later = timezone.now() + CONVOCATION_MAX_AGE + datetime.timedelta(days=1)
    monkeypatch.setattr("django.core.signing.time.time", later.timestamp)
    assert django_app.get(link, expect_errors=True).status_code == 404


def _ics(django_app, link) -> tuple[list, bytes]:
    body = django_app.get(link + "formation.ics").body
    return assert_valid_ics(body).walk("VEVENT"), body


def test_a_waiting_agents_calendar_file_is_tentative_and_says_not_to_come(
    django_app, hr_contact, session, django_capture_on_commit_callbacks
):
    first = _register(hr_contact, session, 1, django_capture_on_commit_callbacks)
    _register(hr_contact, session, 2, django_capture_on_commit_callbacks)
    third = _register(hr_contact, session, 3, django_capture_on_commit_callbacks)
    page = django_app.get(_link(third))
    assert not page.html.find("a", string=re.compile("Ajouter à mon agenda"))
    button = page.html.find("a", string=re.compile("Noter dans mon agenda"))
    assert button.get_text(strip=True) == "Noter dans mon agenda, en attente de confirmation (fichier .ics)"

    events, _ = _ics(django_app, _link(third))
    assert [(str(e["status"]), str(e["transp"]), str(e["summary"])) for e in events] == [
        ("TENTATIVE", "TRANSPARENT", f"Liste d'attente – {session.action.title}")
    ] * 2
    assert all(
        str(e["description"]).startswith("Liste d'attente : vous n'êtes pas encore convoqué(e), ne vous déplacez pas.")
        for e in events
    )
    confirmed, _ = _ics(django_app, _link(first))
    assert [str(e["status"]) for e in confirmed] == ["CONFIRMED"] * 2
    # The same entries as a confirmed agent's: once promoted, a new download confirms them in place.
    assert [str(e["uid"]) for e in events] == [str(e["uid"]) for e in confirmed]


def test_a_promoted_agent_gets_a_confirmed_calendar_with_the_same_uids(
    django_app, hr_contact, session, django_capture_on_commit_callbacks
):
    first = _register(hr_contact, session, 1, django_capture_on_commit_callbacks)
    _register(hr_contact, session, 2, django_capture_on_commit_callbacks)
    third = _register(hr_contact, session, 3, django_capture_on_commit_callbacks)
    link = _link(third)
    waiting, _ = _ics(django_app, link)
    with django_capture_on_commit_callbacks(execute=True):
        registration_services.registration_cancel(actor=hr_contact, registration=first)
    promoted, _ = _ics(django_app, link)
    assert [str(e["status"]) for e in promoted] == ["CONFIRMED"] * 2
    assert [str(e["uid"]) for e in promoted] == [str(e["uid"]) for e in waiting]


def test_the_cancellation_email_no_longer_offers_the_convocation(
    hr_contact, session, django_capture_on_commit_callbacks
):
    registration = _register(hr_contact, session, 1, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registration_services.registration_cancel(actor=hr_contact, registration=registration)
    (message,) = mail.outbox
    assert "Votre inscription à la session de formation ci-dessous est annulée." in message.body
    assert "convocation" not in message.body.lower()
    assert LINK.search(message.body) is None


def test_a_cancelled_registrations_calendar_file_cancels_its_entries(
    django_app, hr_contact, session, django_capture_on_commit_callbacks
):
    registration = _register(hr_contact, session, 1, django_capture_on_commit_callbacks)
    link = _link(registration)
    with django_capture_on_commit_callbacks(execute=True):
        registration_services.registration_cancel(actor=hr_contact, registration=registration)
    events, _ = _ics(django_app, link)
    assert [str(e["status"]) for e in events] == ["CANCELLED"] * 2


def test_the_convocation_calendar_is_valid_rfc_5545_with_its_timezone_and_stable_uids(
    django_app, hr_contact, session, django_capture_on_commit_callbacks, settings
):
    registration = _register(hr_contact, session, 1, django_capture_on_commit_callbacks)
    link = _link(registration)
    events, body = _ics(django_app, link)
    assert b"DTSTART;TZID=Europe/Paris:" in body and b"BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n" in body
    half_days = list(session.half_days.order_by("date", "period"))
    assert [str(e["uid"]) for e in events] == [
        f"session-{session.pk}-{h.date:%Y%m%d}-{h.period}@partenariat-cnfpt-amf" for h in half_days
    ]
    settings.SITE_URL = "https://autre-adresse.example.fr"
    again, _ = _ics(django_app, link)
    assert [str(e["uid"]) for e in again] == [str(e["uid"]) for e in events]


def test_the_convocation_and_its_calendar_file_are_kept_by_no_cache_and_indexed_by_no_engine(
    django_app, hr_contact, session, django_capture_on_commit_callbacks
):
    """Issue 21, item 6: a page about one person, behind a personal link."""
    registration = _register(hr_contact, session, 1, django_capture_on_commit_callbacks)
    page = django_app.get(_link(registration))
    ics = page.click("Ajouter à mon agenda")
    for response in (page, ics):
        assert (response.headers["Cache-Control"], response.headers["X-Robots-Tag"]) == (
            "private, no-store",
            "noindex, nofollow",
        )
