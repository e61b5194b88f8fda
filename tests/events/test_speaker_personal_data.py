"""A speaker's personal-data export holds everything stored about them, training sessions included."""

import json

import pytest

from events.models import Speaker
from tests.trainings.factories import SessionFactory, TrainingActionFactory, in_days

pytestmark = pytest.mark.django_db


def test_speaker_export_includes_the_training_sessions_they_train(client, speaker_user, delegation, commune):
    speaker = Speaker.objects.create(
        first_name="Paul", last_name="Orateur", email=speaker_user.email, user=speaker_user
    )
    action = TrainingActionFactory(delegation=delegation, title="Prévenir les risques psychosociaux")
    trained = SessionFactory(action=action, venue=commune, start_date=in_days(20))
    trained.trainers.add(speaker)
    SessionFactory(action=action, venue=commune, start_date=in_days(30))  # someone else's
    client.force_login(speaker_user)

    data = json.loads(client.get("/evenements/mon-profil/donnees.json").content)

    assert data["sessions_de_formation"] == [
        {
            "action": "Prévenir les risques psychosociaux",
            "delegation": delegation.name,
            "lieu": commune.name,
            "debut": trained.start_date.isoformat(),
            "fin": trained.end_date.isoformat(),
            "statut": "Programmée",
        }
    ]
