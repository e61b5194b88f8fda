"""Ids of another delegation or collectivité slipped into URLs or POST data reach nothing."""

import datetime

import pytest
from django.core import mail

from agreements.models import PartnershipContract
from events.models import Event
from tests.events.factories import EventFactory, EventRegistrationFactory, TimeSlotFactory
from tests.factories import DelegationFactory, UserFactory
from tests.helpers import text
from tests.trainings.factories import ThemeFactory
from trainings.models import Registration


def _contract_data(commune, theme, **overrides):
    data = {
        "title": "Contrat avec des identifiants étrangers",
        "start_date": "2027-01-01",
        "parties-TOTAL_FORMS": "1",
        "parties-INITIAL_FORMS": "0",
        "parties-0-collectivity": commune.code,
        "parties-0-signatory_name": "Marie Martin",
        "parties-0-signatory_function": "Maire",
        "parties-0-signatory_email": "maire@example.fr",
        "parties-0-deliberation_date": "2026-06-01",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-year": "2027",
        "lines-0-theme": str(theme.pk),
        "lines-0-title": "Plan de formation",
        "lines-0-planned_days": "2",
        "lines-0-planned_trainees": "10",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("field", ["delegate", "advisers"])
def test_contract_form_refuses_staff_of_another_delegation(
    client, delegation_staff, other_delegation_staff, commune, field
):
    client.force_login(delegation_staff)
    data = _contract_data(commune, ThemeFactory(), **{field: str(other_delegation_staff.pk)})
    response = client.post("/contrats/nouveau/", data)
    assert response.status_code == 400
    assert PartnershipContract.objects.count() == 0


def test_contract_form_ignores_a_delegation_id_of_delegation_staff(client, delegation_staff, other_delegation, commune):
    """Delegation staff cannot choose the delegation: a forged ``delegation`` lands in their own."""
    client.force_login(delegation_staff)
    response = client.post(
        "/contrats/nouveau/", _contract_data(commune, ThemeFactory(), delegation=str(other_delegation.pk))
    )
    assert response.status_code == 302
    assert list(PartnershipContract.objects.values_list("delegation_id", flat=True)) == [delegation_staff.delegation_id]


def test_event_form_ignores_a_delegation_id_of_delegation_staff(client, delegation_staff, other_delegation):
    client.force_login(delegation_staff)
    start = datetime.datetime(2027, 3, 10, 9, 0)
    response = client.post(
        "/evenements/gestion/nouveau/",
        {
            "title": "Séminaire forgé",
            "kind": "seminar",
            "topic": "Sujet",
            "delegation": str(other_delegation.pk),
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            "registration_closes_at": (start - datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "online_url": "https://visio.example.fr/salle",
            "capacity": "20",
        },
    )
    assert response.status_code == 302, text(response)[-3000:]
    assert list(Event.objects.values_list("delegation_id", flat=True)) == [delegation_staff.delegation_id]


def test_hr_contact_cannot_register_agents_of_another_collectivity(client, world, hr_contact, other_commune):
    client.force_login(hr_contact)
    response = client.post(
        f"/formations/sessions/{world.session.pk}/inscrire/",
        {
            "first_name": "Alex",
            "last_name": "Autre",
            "email": "alex@autre.example.fr",
            "category": "C",
            "employer": other_commune.code,
        },
    )
    assert response.status_code == 302
    assert Registration.objects.get(email="alex@autre.example.fr").employer_id == hr_contact.collectivity_id


def test_event_staff_urls_mixing_another_events_ids_are_404(client, world, delegation_staff, other_delegation):
    """The registration and time slot of an event of another delegation, through one's own event's URLs."""
    foreign_event = EventFactory(delegation=other_delegation)
    foreign_registration = EventRegistrationFactory(event=foreign_event)
    foreign_slot = TimeSlotFactory(event=foreign_event)
    client.force_login(delegation_staff)
    base = f"/evenements/gestion/{world.event.pk}"
    assert [
        client.post(f"{base}/inscriptions/{foreign_registration.pk}/annuler/").status_code,
        client.get(f"{base}/inscriptions/{foreign_registration.pk}/attestation.pdf").status_code,
        client.post(f"{base}/creneaux/{foreign_slot.pk}/supprimer/").status_code,
        client.get(f"/evenements/gestion/{foreign_event.pk}/").status_code,
    ] == [404, 404, 404, 404]
    foreign_registration.refresh_from_db()
    assert foreign_registration.status == "confirmed"
    assert foreign_event.time_slots.count() == 1


def test_contract_signature_urls_mixing_another_contracts_request_change_nothing(
    client, world, delegation_staff, django_capture_on_commit_callbacks
):
    """A signature request id of another contract, behind one's own contract's URL, is not acted upon."""
    other_staff = UserFactory(role="delegation_staff", delegation=DelegationFactory())
    foreign = PartnershipContract.objects.create(
        reference="PFP27X0001",
        title="Contrat étranger",
        delegation=other_staff.delegation,
        start_date=datetime.date(2027, 1, 1),
        end_date=datetime.date(2029, 12, 31),
    )
    client.force_login(delegation_staff)
    request = world.signature_request
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/contrats/{foreign.pk}/signatures/{request.pk}/relancer/")
    assert response.status_code == 404
    assert len(mail.outbox) == sent
