"""The event waiting list shows each person's place in the queue, as the trainings' does."""

import pytest

from events import registrations as event_registrations
from events.enums import RegistrationStatus

pytestmark = pytest.mark.django_db


def _full_event_with_three_waiting(event, commune, register):
    people = [register(event, f"personne{n}@mairie.example.fr", commune, last_name=f"Nom{n}") for n in range(1, 6)]
    assert [registration.status for registration, _token in people] == [RegistrationStatus.CONFIRMED] * 2 + [
        RegistrationStatus.WAITLISTED
    ] * 3
    return people


def test_staff_list_shows_each_waiting_persons_position(django_app, delegation_staff, event, commune, register):
    people = _full_event_with_three_waiting(event, commune, register)
    event_registrations.registration_cancel(
        registration=people[2][0], actor=delegation_staff
    )  # the first waiting leaves

    page = django_app.get(f"/evenements/gestion/{event.pk}/inscriptions/", user=delegation_staff)
    statuses = {
        row.select("td")[1].text: row.select("td")[5].get_text(" ", strip=True) for row in page.html.select("tbody tr")
    }
    assert statuses == {
        "personne1@mairie.example.fr": "Confirmée",
        "personne2@mairie.example.fr": "Confirmée",
        "personne3@mairie.example.fr": "Annulée",
        "personne4@mairie.example.fr": "En liste d'attente position 1",
        "personne5@mairie.example.fr": "En liste d'attente position 2",
    }


def test_the_personal_page_says_the_place_in_the_queue(django_app, event, commune, register):
    people = _full_event_with_three_waiting(event, commune, register)
    page = django_app.get(f"/evenements/inscription/{people[4][1]}/")
    status = page.html.select("dl dd")[2].get_text(" ", strip=True)
    assert status == (
        "En liste d'attente (position 3) Si une place se libère, vous serez inscrit(e) automatiquement, "
        "dans l'ordre de la liste, et prévenu(e) par e-mail."
    )
    confirmed = django_app.get(f"/evenements/inscription/{people[0][1]}/")
    assert confirmed.html.select("dl dd")[2].get_text(" ", strip=True) == "Confirmée"
