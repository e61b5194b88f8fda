"""The events admin obeys the event services: capacity, waiting list, status transitions, programme."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from events.enums import EventStatus, RegistrationStatus
from events.models import Event, TimeSlot
from partnership.text import french_date
from tests.events.factories import EventFactory, EventRegistrationFactory, SpeakerFactory
from tests.helpers import admin_confirmation, admin_messages, confirm_admin_action, run_admin_action

pytestmark = pytest.mark.django_db

ADMIN_ROLES = ["amf_staff", "national_admin", "superuser"]


def _minute(delta: datetime.timedelta) -> datetime.datetime:
    # The admin's time inputs carry no seconds beyond what they show: keep round values.
    return (timezone.now() + delta).replace(second=0, microsecond=0)


@pytest.fixture
def full_event(delegation, commune):
    """A published event with 2 seats, both taken, and two people waiting (oldest first)."""
    event = EventFactory(delegation=delegation, capacity=2, starts_at=_minute(datetime.timedelta(days=20)))
    confirmed = [EventRegistrationFactory(event=event, collectivity=commune) for _ in range(2)]
    waiting = [
        EventRegistrationFactory(event=event, collectivity=commune, status=RegistrationStatus.WAITLISTED)
        for _ in range(2)
    ]
    return event, confirmed, waiting


def _statuses(registrations) -> list[str]:
    for registration in registrations:
        registration.refresh_from_db()
    return [registration.status for registration in registrations]


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_lowering_capacity_below_confirmed_is_refused_and_keeps_the_input(django_app, persona, full_event, role):
    event, _confirmed, _waiting = full_event
    page = django_app.get(f"/admin/events/event/{event.pk}/change/", user=persona(role))
    form = page.forms["event_form"]
    form["capacity"] = "1"
    form["title"] = "Séminaire renommé"

    response = form.submit("_save")

    assert response.status_code == 200
    errors = [li.get_text(strip=True) for li in response.html.select(".field-capacity .errorlist li")]
    assert errors == ["La capacité ne peut pas être inférieure au nombre d'inscrits confirmés (2)."]
    assert response.forms["event_form"]["title"].value == "Séminaire renommé"
    assert response.forms["event_form"]["capacity"].value == "1"
    event.refresh_from_db()
    assert (event.capacity, event.title) == (2, full_event[0].title)


def test_raising_capacity_promotes_the_first_waiting_and_emails_them(
    django_app, amf_staff, full_event, django_capture_on_commit_callbacks
):
    event, _confirmed, waiting = full_event
    form = django_app.get(f"/admin/events/event/{event.pk}/change/", user=amf_staff).forms["event_form"]
    form["capacity"] = "3"

    with django_capture_on_commit_callbacks(execute=True):
        response = form.submit("_save")

    assert response.status_code == 302
    assert _statuses(waiting) == [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([waiting[0].email], f"Une place s'est libérée : {event.title}")
    ]
    event.refresh_from_db()
    assert event.capacity == 3


def test_status_is_not_a_field_of_the_change_form(django_app, amf_staff, full_event):
    event = full_event[0]
    form = django_app.get(f"/admin/events/event/{event.pk}/change/", user=amf_staff).forms["event_form"]
    assert "status" not in form.fields
    assert "delegation" not in form.fields


def test_an_event_added_in_the_admin_is_a_draft(django_app, amf_staff, delegation):
    form = django_app.get("/admin/events/event/add/", user=amf_staff).forms["event_form"]
    assert "status" not in form.fields
    form["title"] = "Colloque des maires"
    form["kind"] = "conference"
    form["topic"] = "Les communes nouvelles"
    form["delegation"] = str(delegation.pk)
    form["online_url"] = "https://visio.example.fr/colloque"
    form["capacity"] = "80"
    starts = timezone.localtime(_minute(datetime.timedelta(days=40)))
    for prefix, value in [
        ("starts_at", starts),
        ("ends_at", starts + datetime.timedelta(hours=3)),
        ("registration_closes_at", starts - datetime.timedelta(days=3)),
    ]:
        form[f"{prefix}_0"] = value.strftime("%d/%m/%Y")
        form[f"{prefix}_1"] = value.strftime("%H:%M:%S")

    response = form.submit("_save")

    assert response.status_code == 302
    event = Event.objects.get(title="Colloque des maires")
    assert (event.status, event.delegation, event.created_by) == (EventStatus.DRAFT, delegation, amf_staff)


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_publish_and_cancel_actions_act_on_the_selected_rows_only(django_app, persona, delegation, role):
    closes = timezone.now() + datetime.timedelta(days=5)
    drafts = [EventFactory(delegation=delegation, status=EventStatus.DRAFT) for _ in range(3)]
    for draft in drafts:
        Event.objects.filter(pk=draft.pk).update(registration_closes_at=closes)

    page = run_admin_action(
        django_app, "/admin/events/event/", user=persona(role), action="publish_events", selected=drafts[:2]
    )

    assert admin_messages(page) == ["2 événements publiés."]
    assert [Event.objects.get(pk=e.pk).status for e in drafts] == [
        EventStatus.PUBLISHED,
        EventStatus.PUBLISHED,
        EventStatus.DRAFT,
    ]

    confirmation = run_admin_action(
        django_app, "/admin/events/event/", user=persona(role), action="cancel_events", selected=drafts[1:2]
    )
    assert admin_confirmation(confirmation) == [f"« {drafts[1].title} » sera annulé ; personne n'est inscrit."]
    assert Event.objects.get(pk=drafts[1].pk).status == EventStatus.PUBLISHED

    page = confirm_admin_action(confirmation)

    assert admin_messages(page) == ["1 événement annulé."]
    assert [Event.objects.get(pk=e.pk).status for e in drafts] == [
        EventStatus.PUBLISHED,
        EventStatus.CANCELLED,
        EventStatus.DRAFT,
    ]


def test_a_refused_transition_is_reported_with_its_row(django_app, amf_staff, delegation):
    cancelled = EventFactory(delegation=delegation, status=EventStatus.CANCELLED, title="Réunion annulée")
    published = EventFactory(delegation=delegation, title="Réunion publiée")

    page = confirm_admin_action(
        run_admin_action(
            django_app, "/admin/events/event/", user=amf_staff, action="cancel_events", selected=[cancelled, published]
        )
    )

    assert admin_messages(page) == ["Réunion annulée : Cet événement est déjà annulé.", "1 événement annulé."]
    assert Event.objects.get(pk=published.pk).status == EventStatus.CANCELLED


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_cancel_registration_action_promotes_and_touches_nothing_else(
    django_app, persona, full_event, delegation, commune, role, django_capture_on_commit_callbacks
):
    event, confirmed, waiting = full_event
    elsewhere = EventRegistrationFactory(event=EventFactory(delegation=delegation), collectivity=commune)

    confirmation = run_admin_action(
        django_app,
        "/admin/events/eventregistration/",
        user=persona(role),
        action="cancel_registrations",
        selected=[confirmed[0]],
    )
    assert admin_confirmation(confirmation) == [
        f"L'inscription de {confirmed[0].full_name} à « {event} » sera annulée ; sa place sera proposée à "
        f"{waiting[0].full_name}, qui recevra un e-mail."
    ]
    assert _statuses(confirmed) == [RegistrationStatus.CONFIRMED, RegistrationStatus.CONFIRMED]

    with django_capture_on_commit_callbacks(execute=True):
        page = confirm_admin_action(confirmation)

    assert admin_messages(page) == ["1 inscription annulée."]
    assert _statuses(confirmed) == [RegistrationStatus.CANCELLED, RegistrationStatus.CONFIRMED]
    assert _statuses(waiting) == [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]
    assert _statuses([elsewhere]) == [RegistrationStatus.CONFIRMED]
    assert [m.to for m in mail.outbox] == [[waiting[0].email]]


def test_a_time_slot_outside_its_event_is_refused(django_app, amf_staff, full_event):
    event = full_event[0]
    form = django_app.get("/admin/events/timeslot/add/", user=amf_staff).forms["timeslot_form"]
    form["event"].force_value(str(event.pk))
    form["title"] = "Table ronde"
    late = timezone.localtime(event.ends_at) + datetime.timedelta(hours=1)
    later = late + datetime.timedelta(hours=1)  # maybe the next day: the test runs at any hour
    form["starts_at_0"], form["starts_at_1"] = late.strftime("%d/%m/%Y"), late.strftime("%H:%M:%S")
    form["ends_at_0"], form["ends_at_1"] = later.strftime("%d/%m/%Y"), later.strftime("%H:%M:%S")

    response = form.submit("_save")

    assert response.status_code == 200
    starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    assert [
        li.get_text(strip=True)
        for li in response.html.select(".errornote ~ .errorlist li, form .errorlist.nonfield li")
    ] == [
        f"Le créneau doit se tenir pendant l'événement, entre le {french_date(starts, 'j F Y à H:i')} "
        f"et le {french_date(ends, 'j F Y à H:i')}."
    ]
    assert response.forms["timeslot_form"]["title"].value == "Table ronde"
    assert TimeSlot.objects.count() == 0


def test_speaker_consent_is_shown_never_set(django_app, amf_staff):
    speaker = SpeakerFactory(consent_given_at=None, consent_text_version="")
    form = django_app.get(f"/admin/events/speaker/{speaker.pk}/change/", user=amf_staff).forms["speaker_form"]
    assert {"consent_given_at", "consent_given_at_0", "consent_text_version"} & set(form.fields) == set()


def test_cancelling_two_seats_of_one_event_names_the_first_two_waiting(django_app, amf_staff, full_event):
    event, confirmed, waiting = full_event

    confirmation = run_admin_action(
        django_app,
        "/admin/events/eventregistration/",
        user=amf_staff,
        action="cancel_registrations",
        selected=confirmed,
    )

    lines = admin_confirmation(confirmation)
    # Each freed seat goes to a different person, down the waiting list in order.
    assert sorted(line.split(" ; ")[0] for line in lines) == sorted(
        f"L'inscription de {leaving.full_name} à « {event} » sera annulée" for leaving in confirmed
    )
    assert sorted(line.split(" ; ")[1] for line in lines) == sorted(
        f"sa place sera proposée à {following.full_name}, qui recevra un e-mail." for following in waiting
    )
