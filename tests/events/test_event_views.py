"""Event pages: the public page and registration form, the delegation workspace and its scope."""

import datetime
import html
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from events.enums import EventStatus, RegistrationStatus
from events.models import Event, EventFeedback
from partnership.forms import collectivity_label
from partnership.ratelimit import allow
from partnership.text import french_date
from partnership.tokens import token_hash
from tests.events.factories import EventFactory, EventRegistrationFactory, SpeakerFactory, TimeSlotFactory
from tests.ical_validation import assert_valid_ics

pytestmark = pytest.mark.django_db


def _registration_data(commune, **overrides):
    return {
        "first_name": "Jeanne",
        "last_name": "Martin",
        "email": "jeanne@example.fr",
        "quality": "elected",
        "collectivity": collectivity_label(commune),
        "job_title": "Adjointe au maire",
        **overrides,
    }


def test_event_page_anonymous_sees_published_with_programme(client, event):
    speaker = SpeakerFactory(first_name="Paul", last_name="Durand", organisation="AMF")
    TimeSlotFactory(event=event, title="Ouverture").speakers.add(speaker)

    response = client.get(f"/evenements/{event.pk}/")

    content = response.content.decode()
    assert response.status_code == 200
    assert event.title in content
    assert "Ouverture" in content
    assert "Paul Durand (AMF)" in content
    assert "Il reste 2 places." in content


@pytest.mark.parametrize("status", [EventStatus.DRAFT, EventStatus.CANCELLED])
def test_event_page_anonymous_cannot_see_unpublished(client, delegation, status):
    event = EventFactory(delegation=delegation, status=status)
    assert client.get(f"/evenements/{event.pk}/").status_code == 404
    assert list(client.get("/evenements/").context["events"]) == []


def test_event_list_shows_only_published(client, delegation):
    published = EventFactory(delegation=delegation, title="Colloque publié")
    EventFactory(delegation=delegation, title="Brouillon caché", status=EventStatus.DRAFT)

    response = client.get("/evenements/")

    assert list(response.context["events"]) == [published]
    assert "Brouillon caché" not in response.content.decode()


def test_event_registration_form_registers_and_emails(client, event, commune, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/evenements/{event.pk}/", _registration_data(commune), follow=True)

    registration = event.registrations.get()
    assert registration.quality == "elected"
    assert registration.collectivity == commune
    assert registration.status == RegistrationStatus.CONFIRMED
    assert "Inscription confirmée. Un e-mail de confirmation a été envoyé à jeanne@example.fr." in (
        response.content.decode()
    )
    assert [m.to for m in mail.outbox] == [["jeanne@example.fr"]]


def test_event_registration_form_duplicate_email_shows_french_error(client, event, commune):
    EventRegistrationFactory(event=event, email="jeanne@example.fr", collectivity=commune)

    response = client.post(f"/evenements/{event.pk}/", _registration_data(commune, email="Jeanne@example.fr"))

    assert response.status_code == 400
    assert response.context["form"].errors == {"email": ["Cette adresse e-mail est déjà inscrite à cet événement."]}
    assert event.registrations.count() == 1


def test_event_registrations_from_one_address_are_rate_limited(client, event, commune):
    for _ in range(30):
        allow("event-registration-ip:127.0.0.1", limit=30, window_seconds=3600)
    response = client.post(f"/evenements/{event.pk}/", _registration_data(commune))
    assert "Trop d'inscriptions depuis votre connexion. Réessayez dans une heure." in html.unescape(
        response.content.decode()
    )
    assert event.registrations.count() == 0


def test_event_registration_form_requires_collectivity(client, event, commune):
    response = client.post(f"/evenements/{event.pk}/", _registration_data(commune, collectivity=""))

    assert response.context["form"].errors == {
        "collectivity": [
            "Choisissez la collectivité dans la liste (recherchez-la par son nom, son code INSEE ou son SIREN)."
        ]
    }
    assert event.registrations.count() == 0


def test_personal_link_unknown_token_is_404(client, event):
    assert client.get("/evenements/inscription/inconnu/").status_code == 404


def _past_event_with_checked_in(delegation, commune):
    past = EventFactory(
        delegation=delegation,
        starts_at=timezone.now() - timedelta(days=2),
        registration_closes_at=timezone.now() - timedelta(days=3),
    )

    registration = EventRegistrationFactory(
        event=past, collectivity=commune, token_hash=token_hash("mon-jeton"), checked_in_at=timezone.now()
    )
    return past, registration


def test_feedback_once_per_registration(client, delegation, commune):
    _past, registration = _past_event_with_checked_in(delegation, commune)

    response = client.post("/evenements/inscription/mon-jeton/", {"rating": "4", "comment": "Très utile"}, follow=True)
    assert "Merci, votre avis a bien été enregistré." in response.content.decode()
    assert EventFeedback.objects.get().rating == 4

    response = client.post("/evenements/inscription/mon-jeton/", {"rating": "2"})
    assert response.status_code == 400
    assert response.context["feedback_form"].non_field_errors() == [
        "Vous avez déjà répondu au questionnaire de satisfaction."
    ]
    assert EventFeedback.objects.get(registration=registration).rating == 4


def test_feedback_rating_out_of_range_refused(client, delegation, commune):
    _past_event_with_checked_in(delegation, commune)

    response = client.post("/evenements/inscription/mon-jeton/", {"rating": "9"})

    assert response.status_code == 400
    assert "rating" in response.context["feedback_form"].errors
    assert EventFeedback.objects.count() == 0


def test_feedback_before_event_end_refused(client, event, commune):
    EventRegistrationFactory(event=event, collectivity=commune, token_hash=token_hash("futur"))

    response = client.post("/evenements/inscription/futur/", {"rating": "5"})

    assert response.context["feedback_form"].non_field_errors() == [
        "Le questionnaire de satisfaction sera ouvert à la fin de l'événement."
    ]


def test_certificate_pdf_for_checked_in_participant(client, delegation, commune):
    _past, registration = _past_event_with_checked_in(delegation, commune)

    response = client.get("/evenements/inscription/mon-jeton/attestation.pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert f"attestation-presence-{registration.event_id}-{registration.pk}.pdf" in response["Content-Disposition"]


def test_certificate_refused_when_not_checked_in(client, event, commune):
    EventRegistrationFactory(event=event, collectivity=commune, token_hash=token_hash("absent"))
    assert client.get("/evenements/inscription/absent/attestation.pdf").status_code == 404


# --- Staff workspace ----------------------------------------------------------------------------


def test_delegation_staff_creates_event_for_own_delegation(client, delegation_staff, delegation, commune):
    client.force_login(delegation_staff)
    starts = timezone.localtime() + timedelta(days=20)
    response = client.post(
        "/evenements/gestion/nouveau/",
        {
            "title": "Réunion d'information PFPT",
            "kind": "info_meeting",
            "topic": "Les contrats de partenariat",
            "theme": "training_plan",
            "starts_at": starts.strftime("%Y-%m-%dT09:00"),
            "ends_at": starts.strftime("%Y-%m-%dT12:00"),
            "registration_closes_at": (starts - timedelta(days=2)).strftime("%Y-%m-%dT18:00"),
            "venue_commune": commune.code,
            "venue_address": "Salle des fêtes",
            "capacity": "40",
            # A delegation agent cannot choose another delegation: the field is ignored.
            "delegation": "",
        },
    )

    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/evenements/gestion/{event.pk}/"
    assert event.delegation == delegation
    assert event.status == EventStatus.DRAFT
    assert event.venue_commune == commune
    assert event.created_by == delegation_staff


def test_event_form_refuses_inconsistent_dates_in_french(client, delegation_staff):
    client.force_login(delegation_staff)
    response = client.post(
        "/evenements/gestion/nouveau/",
        {
            "title": "Colloque",
            "kind": "conference",
            "topic": "Santé",
            "starts_at": "2030-05-10T14:00",
            "ends_at": "2030-05-10T09:00",
            "registration_closes_at": "2030-05-11T09:00",
            "online_url": "https://visio.example.fr/salle",
            "capacity": "0",
        },
    )

    errors = response.context["form"].errors
    assert errors["ends_at"] == ["La fin doit être postérieure au début."]
    assert errors["registration_closes_at"] == ["Les inscriptions doivent être closes au plus tard au début."]
    assert errors["capacity"] == ["Il faut au moins une place."]
    assert Event.objects.count() == 0


def test_event_form_requires_venue_or_link(client, delegation_staff):
    client.force_login(delegation_staff)
    response = client.post(
        "/evenements/gestion/nouveau/",
        {
            "title": "Webinaire",
            "kind": "webinar",
            "topic": "Santé",
            "starts_at": "2030-05-10T09:00",
            "ends_at": "2030-05-10T12:00",
            "registration_closes_at": "2030-05-09T09:00",
            "capacity": "100",
        },
    )
    assert response.context["form"].non_field_errors() == [
        "Indiquez la commune du lieu ou un lien de connexion en ligne."
    ]


def test_delegation_staff_publishes_own_draft(client, delegation_staff, delegation):
    event = EventFactory(delegation=delegation, status=EventStatus.DRAFT)
    client.force_login(delegation_staff)

    client.post(f"/evenements/gestion/{event.pk}/publier/")

    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/evenements/gestion/{pk}/"),
        ("get", "/evenements/gestion/{pk}/modifier/"),
        ("get", "/evenements/gestion/{pk}/inscriptions/"),
        ("get", "/evenements/gestion/{pk}/pointage/"),
        ("post", "/evenements/gestion/{pk}/publier/"),
        ("post", "/evenements/gestion/{pk}/annuler/"),
    ],
)
def test_delegation_staff_cannot_reach_other_delegation_event(client, delegation_staff, other_delegation, method, path):
    event = EventFactory(delegation=other_delegation, status=EventStatus.DRAFT)
    client.force_login(delegation_staff)

    response = getattr(client, method)(path.format(pk=event.pk))

    assert response.status_code == 404
    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT


def test_delegation_staff_cannot_see_other_delegation_draft_page(client, delegation_staff, other_delegation):
    event = EventFactory(delegation=other_delegation, status=EventStatus.DRAFT)
    client.force_login(delegation_staff)
    assert client.get(f"/evenements/{event.pk}/").status_code == 404


def test_national_staff_manages_every_delegation(client, national_staff, delegation, other_delegation):
    events = [EventFactory(delegation=delegation), EventFactory(delegation=other_delegation), EventFactory()]
    client.force_login(national_staff)

    response = client.get("/evenements/gestion/")

    assert {e.pk for e in response.context["events"]} == {e.pk for e in events}


def test_manage_list_is_scoped_to_delegation(client, delegation_staff, delegation, other_delegation):
    mine = EventFactory(delegation=delegation, status=EventStatus.DRAFT)
    EventFactory(delegation=other_delegation)
    client.force_login(delegation_staff)

    response = client.get("/evenements/gestion/")

    assert list(response.context["events"]) == [mine]


@pytest.mark.parametrize("name", ["signatory", "hr_contact", "speaker_user", "amf_staff"])
def test_collectivity_users_and_speakers_cannot_reach_workspace(client, persona, name, event):
    client.force_login(persona(name))
    assert client.get("/evenements/gestion/").status_code == 403
    assert client.get(f"/evenements/gestion/{event.pk}/inscriptions/").status_code == 403


def test_anonymous_redirected_to_login_from_workspace(client, event):
    response = client.get(f"/evenements/gestion/{event.pk}/inscriptions/")
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")


def test_registration_list_shows_registrations(client, delegation_staff, event, commune):
    registration = EventRegistrationFactory(event=event, collectivity=commune, last_name="Dupuis")
    client.force_login(delegation_staff)

    response = client.get(f"/evenements/gestion/{event.pk}/inscriptions/")

    assert list(response.context["registrations"]) == [registration]
    assert "Dupuis" in response.content.decode()


def test_check_in_one_form_for_the_list(client, delegation_staff, delegation, commune):
    today = EventFactory(
        delegation=delegation,
        starts_at=timezone.now() - timedelta(minutes=30),
        registration_closes_at=timezone.now() - timedelta(days=1),
    )
    present = EventRegistrationFactory(event=today, collectivity=commune)
    absent = EventRegistrationFactory(event=today, collectivity=commune, checked_in_at=timezone.now())
    client.force_login(delegation_staff)

    response = client.post(f"/evenements/gestion/{today.pk}/pointage/", {"present": [present.pk]}, follow=True)

    assert "Présences enregistrées : 1 participant présent." in response.content.decode()
    present.refresh_from_db()
    absent.refresh_from_db()
    assert present.checked_in_at is not None
    assert absent.checked_in_at is None


def test_check_in_before_event_day_refused(client, delegation_staff, event, commune):
    registration = EventRegistrationFactory(event=event, collectivity=commune)
    client.force_login(delegation_staff)

    response = client.post(f"/evenements/gestion/{event.pk}/pointage/", {"present": [registration.pk]})

    opens = french_date(timezone.localtime(event.starts_at), "j F Y à H:i")
    assert response.context["form"].non_field_errors() == [
        f"Le pointage des présences ouvre au début de l'événement, le {opens}."
    ]
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_check_in_opens_at_the_start_time_not_at_midnight(client, delegation_staff, delegation, commune):
    starts_at = timezone.now() + timedelta(hours=2)
    later = EventFactory(
        delegation=delegation, starts_at=starts_at, registration_closes_at=starts_at - timedelta(hours=1)
    )
    registration = EventRegistrationFactory(event=later, collectivity=commune)
    client.force_login(delegation_staff)
    url = f"/evenements/gestion/{later.pk}/pointage/"

    page = client.get(url)
    refused = client.post(url, {"present": [registration.pk]})

    opens = french_date(timezone.localtime(starts_at), "j F Y à H:i")
    assert html.unescape(page.content.decode()).count(f"Le pointage ouvre au début de l'événement, le {opens}.") == 1
    assert "Enregistrer les présences" not in page.content.decode()
    assert refused.context["form"].non_field_errors() == [
        f"Le pointage des présences ouvre au début de l'événement, le {opens}."
    ]
    registration.refresh_from_db()
    assert registration.checked_in_at is None
    with time_machine.travel(starts_at + timedelta(minutes=1)):
        client.post(url, {"present": [registration.pk]})
    registration.refresh_from_db()
    assert registration.checked_in_at is not None


def test_timeslot_outside_event_refused(client, delegation_staff, event):
    client.force_login(delegation_staff)
    start = timezone.localtime(event.starts_at) - timedelta(days=1)

    response = client.post(
        f"/evenements/gestion/{event.pk}/",
        {
            "title": "Trop tôt",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )

    assert (
        response.context["slot_form"].non_field_errors()[0].startswith("Le créneau doit se tenir pendant l'événement")
    )
    assert event.time_slots.count() == 0


def test_event_calendar_download(client, event, settings):
    event.starts_at = datetime.datetime(2027, 3, 25, 14, 0, tzinfo=timezone.get_default_timezone())
    event.ends_at = datetime.datetime(2027, 3, 29, 16, 30, tzinfo=timezone.get_default_timezone())  # across DST
    event.save(update_fields=["starts_at", "ends_at"])
    response = client.get(f"/evenements/{event.pk}/agenda.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    (entry,) = assert_valid_ics(response.content).walk("VEVENT")
    assert b"DTSTART;TZID=Europe/Paris:20270325T140000\r\n" in response.content
    assert b"DTEND;TZID=Europe/Paris:20270329T163000\r\n" in response.content
    assert str(entry["uid"]) == f"evenement-{event.pk}@partenariat-cnfpt-amf"
    assert str(entry["description"]).endswith(
        ", du jeudi 25 mars 2027 à 14\u00a0h au lundi 29 mars 2027 à 16\u00a0h\u00a030"
    )
    # Another address for the site, the same event for the calendars that imported it.
    settings.SITE_URL = "https://partenariat.example.fr"
    again = assert_valid_ics(client.get(f"/evenements/{event.pk}/agenda.ics").content)
    assert [str(e["uid"]) for e in again.walk("VEVENT")] == [str(entry["uid"])]


def test_event_period_reads_naturally_for_one_day_and_several():

    paris = timezone.get_default_timezone()
    one_day = Event(
        starts_at=datetime.datetime(2026, 12, 7, 9, 30, tzinfo=paris),
        ends_at=datetime.datetime(2026, 12, 7, 17, 0, tzinfo=paris),
    )
    assert one_day.period_display == "le lundi 7 décembre 2026, de 9\u00a0h\u00a030 à 17\u00a0h"
    two_days = Event(
        starts_at=datetime.datetime(2026, 12, 7, 9, 30, tzinfo=paris),
        ends_at=datetime.datetime(2026, 12, 8, 12, 0, tzinfo=paris),
    )
    assert two_days.period_display == "du lundi 7 décembre 2026 à 9\u00a0h\u00a030 au mardi 8 décembre 2026 à 12\u00a0h"
