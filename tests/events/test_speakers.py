"""The speakers network: directory, own profile, RGPD export and erasure."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import models

from events import speakers as speaker_services
from events.forms import SpeakerProfileForm
from events.models import ANONYMISED_SPEAKER_NAME, SPEAKER_CONSENT_VERSION, SPEAKER_PERSONAL_FIELDS, Speaker
from events.selectors import intervention_statistics, speaker_interventions, speaker_personal_data
from tests.events.factories import SpeakerExpertiseFactory, SpeakerFactory, TimeSlotFactory
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(event):
    north, south = RegionFactory(name="Hauts-de-France"), RegionFactory(name="Occitanie")
    health = SpeakerFactory(first_name="Anne", last_name="Petit", organisation="Mutuelle territoriale")
    health.regions.add(north)
    SpeakerExpertiseFactory(speaker=health, theme="occupational_health")
    green = SpeakerFactory(first_name="Luc", last_name="Vert", organisation="Agence climat")
    green.regions.add(south)
    SpeakerExpertiseFactory(speaker=green, theme="sustainable_development")
    TimeSlotFactory(event=event).speakers.add(health, green)
    TimeSlotFactory(event=event).speakers.add(health)
    return {"health": health, "green": green, "north": north, "south": south}


def test_speaker_directory_text_search(client, delegation_staff, network):
    client.force_login(delegation_staff)
    response = client.get("/evenements/intervenants/", {"q": "mutuelle"})
    assert list(response.context["speakers"]) == [network["health"]]
    assert response.context["speakers"][0].intervention_count == 2


def test_speaker_directory_filters_theme_and_region(client, amf_staff, network):
    client.force_login(amf_staff)
    by_theme = client.get("/evenements/intervenants/", {"theme": "sustainable_development"})
    by_region = client.get("/evenements/intervenants/", {"region": network["north"].pk})
    assert list(by_theme.context["speakers"]) == [network["green"]]
    assert list(by_region.context["speakers"]) == [network["health"]]


@pytest.mark.parametrize("name", ["signatory", "hr_contact", "speaker_user"])
def test_speaker_directory_refused_to_others(client, persona, name):
    client.force_login(persona(name))
    assert client.get("/evenements/intervenants/").status_code == 403


def test_speaker_profile_lists_interventions(client, national_staff, network, event):
    client.force_login(national_staff)
    response = client.get(f"/evenements/intervenants/{network['health'].pk}/")
    assert len(response.context["interventions"]) == 2
    assert event.title in response.content.decode()


def test_speaker_interventions_selector_returns_time_slots(network):
    slots = list(speaker_interventions(network["green"]))
    assert len(slots) == 1
    assert set(slots[0].speakers.all()) == {network["green"], network["health"]}


def test_my_profile_first_save_requires_consent(client, speaker_user):
    client.force_login(speaker_user)
    data = {"first_name": "Marc", "last_name": "Lefèvre", "email": "marc@example.fr", "themes": ["illiteracy"]}

    refused = client.post("/evenements/mon-profil/", data)
    assert refused.context["form"].errors == {
        "consent": ["Votre consentement est nécessaire pour figurer dans le réseau."]
    }
    assert Speaker.objects.count() == 0

    client.post("/evenements/mon-profil/", {**data, "consent": "on"})
    speaker = Speaker.objects.get(user=speaker_user)
    assert speaker.consent_text_version == SPEAKER_CONSENT_VERSION
    assert speaker.consent_given_at is not None
    assert list(speaker.expertises.values_list("theme", flat=True)) == ["illiteracy"]


def test_my_profile_updates_only_own_profile(client, speaker_user):
    other = SpeakerFactory(last_name="Autre", email="autre@example.fr")
    mine = SpeakerFactory(user=speaker_user, last_name="Moi", email="moi@example.fr")
    client.force_login(speaker_user)

    client.post(
        "/evenements/mon-profil/",
        {"first_name": "Marc", "last_name": "Nouveau", "email": "moi@example.fr", "availability": "Les lundis"},
    )

    mine.refresh_from_db()
    other.refresh_from_db()
    assert (mine.last_name, mine.availability) == ("Nouveau", "Les lundis")
    assert other.last_name == "Autre"
    # A speaker has no access to the directory, nor to another profile.
    assert client.get(f"/evenements/intervenants/{other.pk}/").status_code == 403
    assert client.get(f"/evenements/intervenants/{other.pk}/donnees.json").status_code == 403


def test_my_profile_email_taken_refused(client, speaker_user):
    SpeakerFactory(email="pris@example.fr")
    SpeakerFactory(user=speaker_user, email="moi@example.fr")
    client.force_login(speaker_user)

    response = client.post("/evenements/mon-profil/", {"last_name": "Moi", "email": "pris@example.fr"})

    assert response.context["form"].errors == {"email": ["Un autre intervenant utilise déjà cette adresse e-mail."]}


def test_my_profile_refused_to_staff(client, delegation_staff):
    client.force_login(delegation_staff)
    assert client.get("/evenements/mon-profil/").status_code == 403


def test_speaker_exports_own_data_as_json(client, speaker_user, event):
    speaker = SpeakerFactory(user=speaker_user, first_name="Marc", email="marc@example.fr")
    TimeSlotFactory(event=event, title="Atelier").speakers.add(speaker)
    client.force_login(speaker_user)

    response = client.get("/evenements/mon-profil/donnees.json")

    data = json.loads(response.content)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert data["intervenant"]["email"] == "marc@example.fr"
    assert data["intervenant"]["compte_utilisateur"] == speaker_user.email
    assert [i["creneau"] for i in data["interventions"]] == ["Atelier"]


def test_staff_exports_speaker_data(client, amf_staff, network):
    client.force_login(amf_staff)
    response = client.get(f"/evenements/intervenants/{network['green'].pk}/donnees.json")
    assert json.loads(response.content)["intervenant"]["nom"] == "Vert"


def test_delegation_staff_cannot_export_or_erase(client, delegation_staff, network):
    client.force_login(delegation_staff)
    assert client.get(f"/evenements/intervenants/{network['green'].pk}/donnees.json").status_code == 403
    assert client.post(f"/evenements/intervenants/{network['green'].pk}/effacer/").status_code == 403


def test_speaker_erase_anonymises_and_keeps_statistics(client, national_staff, network, speaker_user):
    health = network["health"]
    health.user = speaker_user
    health.bio = "Ancienne DRH"
    health.save(update_fields=["user", "bio"])
    before = intervention_statistics()
    assert before == {
        "by_theme": {"Santé au travail et prévention des risques psychosociaux": 2, "Développement durable": 1},
        "by_region": {"Hauts-de-France": 2, "Occitanie": 1},
        "total": 3,
    }
    client.force_login(national_staff)

    client.post(f"/evenements/intervenants/{health.pk}/effacer/")

    health.refresh_from_db()
    speaker_user.refresh_from_db()
    assert health.last_name == ANONYMISED_SPEAKER_NAME
    assert (health.first_name, health.email, health.organisation, health.bio) == ("", "", "", "")
    assert health.is_active is False and health.anonymised_at is not None
    assert health.user is None
    assert speaker_user.is_active is False
    assert (speaker_user.first_name, speaker_user.last_name) == ("", ANONYMISED_SPEAKER_NAME)
    assert speaker_user.email == f"intervenant-efface-{speaker_user.pk}@invalid"
    assert not speaker_user.has_usable_password()
    assert health.time_slots.count() == 2
    assert intervention_statistics() == before


def test_speaker_erase_twice_refused(network, amf_staff):
    speaker_services.speaker_erase(speaker=network["green"], actor=amf_staff)
    with pytest.raises(ValidationError) as excinfo:
        speaker_services.speaker_erase(speaker=network["green"], actor=amf_staff)
    assert excinfo.value.messages == ["Les données de cet intervenant ont déjà été effacées."]


def test_erased_speaker_hidden_from_directory(client, amf_staff, network):
    speaker_services.speaker_erase(speaker=network["green"], actor=amf_staff)
    client.force_login(amf_staff)
    assert list(client.get("/evenements/intervenants/").context["speakers"]) == [network["health"]]


def test_every_text_field_of_a_speaker_but_the_consent_version_is_a_listed_personal_field():
    """A field added to ``Speaker`` that holds text about the person must join the list (form, export, erasure)."""
    text_fields = {
        field.name
        for field in Speaker._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField) and field.name != "consent_text_version"
    }
    assert text_fields == set(SPEAKER_PERSONAL_FIELDS)


def test_the_form_edits_the_export_gives_and_the_erasure_empties_every_personal_field(amf_staff):
    values = {name: f"valeur-{index}" for index, name in enumerate(SPEAKER_PERSONAL_FIELDS)}
    values["email"] = "personne@example.fr"
    speaker = Speaker.objects.create(**values)

    assert set(SPEAKER_PERSONAL_FIELDS) <= set(SpeakerProfileForm.base_fields)
    exported = speaker_personal_data(speaker)["intervenant"]
    assert {key: exported[key] for key in SPEAKER_PERSONAL_FIELDS.values()} == {
        key: values[name] for name, key in SPEAKER_PERSONAL_FIELDS.items()
    }

    speaker_services.speaker_erase(speaker=speaker, actor=amf_staff)

    speaker.refresh_from_db()
    assert {name: getattr(speaker, name) for name in SPEAKER_PERSONAL_FIELDS} == {
        **dict.fromkeys(SPEAKER_PERSONAL_FIELDS, ""),
        "last_name": ANONYMISED_SPEAKER_NAME,
    }
