"""Cancelling an event registration asks first, saying who gets the seat; it works without JavaScript."""

import pytest
from django.core import mail

from events.enums import EventStatus, RegistrationStatus
from events.registrations import registration_create
from tests.events.conftest import personal_link_token
from tests.events.factories import EventRegistrationFactory
from tests.helpers import confirmation_of, form_to, text

pytestmark = pytest.mark.django_db


def _statuses(*registrations) -> list[str]:
    for registration in registrations:
        registration.refresh_from_db()
    return [registration.status for registration in registrations]


@pytest.fixture
def own(event, commune, django_capture_on_commit_callbacks):
    """A confirmed registration made on the public form, with its personal link's token."""
    with django_capture_on_commit_callbacks(execute=True):
        registration = registration_create(
            event_id=event.pk,
            first_name="Alice",
            last_name="Martin",
            email="alice@example.fr",
            quality="agent",
            collectivity=commune,
        )
    token = personal_link_token(mail.outbox[-1].body)
    mail.outbox.clear()
    return registration, token


def test_personal_link_cancel_asks_first_without_naming_the_next(
    django_app, own, event, commune, django_capture_on_commit_callbacks
):
    registration, token = own
    EventRegistrationFactory(event=event, collectivity=commune)
    waiting = EventRegistrationFactory(event=event, collectivity=commune, status=RegistrationStatus.WAITLISTED)
    page = django_app.get(f"/evenements/inscription/{token}/")

    confirmation = form_to(page, f"/evenements/inscription/{token}/annuler/").submit()

    assert confirmation.status_code == 200
    assert confirmation_of(confirmation) == [
        f"Votre inscription à « {event.title} » ({event.period_display}) sera annulée.",
        "Votre place sera proposée à la première personne de la liste d'attente, qui recevra un e-mail.",
        "Pour participer ensuite, il faudra vous inscrire de nouveau, s'il reste des places.",
    ]
    assert waiting.last_name not in text(confirmation)
    assert _statuses(registration, waiting) == [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]

    with django_capture_on_commit_callbacks(execute=True):
        done = confirmation.forms["confirmation-form"].submit().follow()

    assert "Votre inscription est annulée." in text(done)
    assert _statuses(registration, waiting) == [RegistrationStatus.CANCELLED, RegistrationStatus.CONFIRMED]
    assert [m.to for m in mail.outbox] == [[waiting.email]]


def test_going_back_from_the_confirmation_changes_nothing(django_app, own):
    registration, token = own
    page = django_app.get(f"/evenements/inscription/{token}/")
    confirmation = form_to(page, f"/evenements/inscription/{token}/annuler/").submit()

    back = confirmation.click("Annuler, ne rien changer")

    assert back.request.path == f"/evenements/inscription/{token}/"
    assert _statuses(registration) == [RegistrationStatus.CONFIRMED]


def test_staff_cancel_names_who_gets_the_seat(
    django_app, delegation_staff, event, commune, django_capture_on_commit_callbacks
):
    confirmed = EventRegistrationFactory(event=event, collectivity=commune, first_name="Bruno", last_name="Petit")
    EventRegistrationFactory(event=event, collectivity=commune)
    first = EventRegistrationFactory(
        event=event, collectivity=commune, status=RegistrationStatus.WAITLISTED, first_name="Chloé", last_name="Roux"
    )
    second = EventRegistrationFactory(event=event, collectivity=commune, status=RegistrationStatus.WAITLISTED)
    page = django_app.get(f"/evenements/gestion/{event.pk}/inscriptions/", user=delegation_staff)

    confirmation = form_to(page, f"/evenements/gestion/{event.pk}/inscriptions/{confirmed.pk}/annuler/").submit()

    assert confirmation_of(confirmation) == [
        f"L'inscription de Bruno Petit ({confirmed.email}) à « {event.title} » sera annulée.",
        "La place libérée sera proposée à Chloé Roux, premier·e de la liste d'attente, qui recevra un e-mail.",
    ]
    assert _statuses(confirmed, first) == [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]

    with django_capture_on_commit_callbacks(execute=True):
        confirmation.forms["confirmation-form"].submit().follow()

    assert _statuses(confirmed, first, second) == [
        RegistrationStatus.CANCELLED,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED,
    ]
    assert [m.to for m in mail.outbox] == [[first.email]]


def test_staff_cancel_with_nobody_waiting_says_the_seat_stays_free(django_app, delegation_staff, event, commune):
    confirmed = EventRegistrationFactory(event=event, collectivity=commune, first_name="Bruno", last_name="Petit")
    page = django_app.get(f"/evenements/gestion/{event.pk}/inscriptions/", user=delegation_staff)

    confirmation = form_to(page, f"/evenements/gestion/{event.pk}/inscriptions/{confirmed.pk}/annuler/").submit()

    assert confirmation_of(confirmation) == [
        f"L'inscription de Bruno Petit ({confirmed.email}) à « {event.title} » sera annulée.",
        "Personne n'attend sur la liste d'attente : la place restera libre pour une nouvelle inscription.",
    ]


def test_cancelling_an_event_asks_first_and_counts_who_will_be_told(
    django_app, delegation_staff, event, commune, django_capture_on_commit_callbacks
):
    EventRegistrationFactory(event=event, collectivity=commune)
    EventRegistrationFactory(event=event, collectivity=commune, status=RegistrationStatus.WAITLISTED)
    page = django_app.get(f"/evenements/gestion/{event.pk}/", user=delegation_staff)

    confirmation = form_to(page, f"/evenements/gestion/{event.pk}/annuler/").submit()

    assert confirmation_of(confirmation) == [
        f"L'événement « {event.title} » ({event.period_display}) sera annulé et ses inscriptions fermées.",
        "Les 2 inscrits (confirmés et en liste d'attente) en seront informés par e-mail.",
        "Un événement annulé ne peut plus être modifié ni publié de nouveau.",
    ]
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED

    with django_capture_on_commit_callbacks(execute=True):
        confirmation.forms["confirmation-form"].submit().follow()

    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED
    assert len(mail.outbox) == 2
