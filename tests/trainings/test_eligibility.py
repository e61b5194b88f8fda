"""An intra session takes the agents of its contract's collectivité only (a union session, those of its
contract's collectivités); the catalogue's inter sessions take any covered collectivité. At every door:
the service, the session's page form, the batch registration."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import CommuneFactory
from tests.helpers import form_to
from tests.trainings.factories import SessionFactory, TrainingActionFactory
from trainings import registrations as registration_services
from trainings.enums import ActionMode
from trainings.models import Registration

pytestmark = pytest.mark.django_db


def _register(actor, session, employer=None):
    return registration_services.registration_create(
        actor=actor,
        session=session,
        first_name="Léa",
        last_name="Martin",
        email="lea.martin@ville.example.fr",
        category="C",
        employer=employer,
    )


def test_an_intra_session_refuses_an_agent_of_another_collectivity(delegation_staff, session, commune):
    other = CommuneFactory(name="Montbrison-sur-Test", department=commune.department)

    with pytest.raises(ValidationError) as refused:
        _register(delegation_staff, session, employer=other)

    assert refused.value.message_dict == {
        "employer": [
            f"Cette session intra est réservée aux agents de {commune.name} : Montbrison-sur-Test n'est pas "
            "partie à son contrat. Ses agents s'inscrivent aux sessions du catalogue (inter)."
        ]
    }
    assert Registration.objects.count() == 0
    assert _register(delegation_staff, session, employer=commune).employer == commune


def test_the_session_page_form_says_so_on_the_employer_field(django_app, delegation_staff, session, commune):
    other = CommuneFactory(name="Montbrison-sur-Test", department=commune.department)
    page = django_app.get(f"/formations/sessions/{session.pk}/", user=delegation_staff)
    form = form_to(page, f"/formations/sessions/{session.pk}/inscrire/")
    form["first_name"] = "Léa"
    form["last_name"] = "Martin"
    form["email"] = "lea.martin@ville.example.fr"
    form["category"] = "C"
    form["employer"] = other.code

    response = form.submit(status=400)

    errors = response.context["form"].errors["employer"]
    assert errors == [
        f"Cette session intra est réservée aux agents de {commune.name} : Montbrison-sur-Test n'est pas partie "
        "à son contrat. Ses agents s'inscrivent aux sessions du catalogue (inter)."
    ]
    assert Registration.objects.count() == 0


def test_an_inter_session_takes_any_covered_collectivity(delegation_staff, delegation, commune):
    catalogue = SessionFactory(
        action=TrainingActionFactory(delegation=delegation, programme_line=None, mode=ActionMode.INTER), venue=commune
    )
    other = CommuneFactory(name="Montbrison-sur-Test", department=commune.department)

    assert _register(delegation_staff, catalogue, employer=other).employer == other
