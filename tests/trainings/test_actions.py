"""Training actions: reference data, contract lines, and what the database refuses."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.trainings.factories import ContractFactory, ProgrammeLineFactory, ThemeFactory, TrainingSchemeFactory
from trainings import services
from trainings.models import TrainingAction, TrainingScheme


def test_training_schemes_seeded_by_migration(db):
    labels = list(TrainingScheme.objects.values_list("label", flat=True))
    assert labels[0] == "Formation d'intégration"
    assert "Validation des acquis de l'expérience (VAE)" in labels
    assert "Compte personnel de formation (CPF)" in labels
    assert len(labels) == 11
    assert TrainingScheme.objects.get(code="integration").duration_note == (
        "5 jours (catégorie C), 10 jours (catégories A et B)"
    )


def _create(actor, delegation, **extra):
    data = {
        "actor": actor,
        "delegation": delegation,
        "title": "Action",
        "scheme": TrainingSchemeFactory(),
        "theme": ThemeFactory(),
        "mode": "intra",
        "audience": ["A"],
        "duration_days": Decimal("1"),
    }
    data.update(extra)
    return services.training_action_create(**data)


def test_training_action_create_refuses_line_of_other_delegation(delegation_staff, delegation, other_delegation):
    line = ProgrammeLineFactory(contract=ContractFactory(delegation=other_delegation))
    with pytest.raises(ValidationError) as excinfo:
        _create(delegation_staff, delegation, programme_line=line)
    assert excinfo.value.message_dict == {
        "programme_line": ["Cette ligne de programme appartient au contrat d'une autre délégation."]
    }
    assert TrainingAction.objects.count() == 0


def test_training_action_create_intra_needs_a_line(delegation_staff, delegation):
    with pytest.raises(ValidationError) as excinfo:
        _create(delegation_staff, delegation, programme_line=None)
    assert excinfo.value.message_dict == {
        "programme_line": ["Une action intra ou en union se rattache à une ligne de programme d'un contrat."]
    }


def test_training_action_create_needs_an_audience(delegation_staff, delegation, programme_line):
    with pytest.raises(ValidationError):
        _create(delegation_staff, delegation, programme_line=programme_line, audience=[])
    assert TrainingAction.objects.count() == 0


def test_training_action_page_form_shows_french_errors(client, delegation_staff):
    client.force_login(delegation_staff)
    response = client.post("/formations/actions/nouvelle/", {"title": "X", "mode": "intra", "duration_days": "1"})
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["audience"] == ["Ce champ est obligatoire."]
    assert TrainingAction.objects.count() == 0


def test_action_pages_render_for_staff(client, delegation_staff, action):
    client.force_login(delegation_staff)
    assert action.title in client.get("/formations/actions/").content.decode()
    assert "Programmer une session" in client.get(f"/formations/actions/{action.pk}/").content.decode()
    assert "Demi-journées" in client.get(f"/formations/actions/{action.pk}/sessions/nouvelle/").content.decode()
    assert "créez-la depuis la page du contrat" in client.get("/formations/actions/nouvelle/").content.decode()


def test_action_pages_refuse_hr_contact_and_hide_from_other_delegation(
    client, hr_contact, other_delegation_staff, action
):
    client.force_login(hr_contact)
    # Not a page for their role: 403; another delegation's action: it does not exist for them.
    assert client.get(f"/formations/actions/{action.pk}/").status_code == 403
    client.force_login(other_delegation_staff)
    assert client.get(f"/formations/actions/{action.pk}/").status_code == 404
    assert client.get(f"/formations/actions/{action.pk}/sessions/nouvelle/").status_code == 404


def test_national_staff_choose_the_delegation_then_create_an_action(client, national_staff, delegation, programme_line):
    client.force_login(national_staff)
    chooser = client.get("/formations/actions/nouvelle/").content.decode()
    assert f'href="?delegation={delegation.code}"' in chooser
    url = f"/formations/actions/nouvelle/?delegation={delegation.code}"
    assert "créez-la depuis la page du contrat" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "title": "Accueillir un agent en situation de handicap",
            "programme_line": programme_line.pk,
            "scheme": TrainingScheme.objects.first().pk,
            "theme": programme_line.theme.pk,
            "mode": "intra",
            "audience": ["A"],
            "duration_days": "1",
        },
    )
    action = TrainingAction.objects.get()
    assert response["Location"] == f"/formations/actions/{action.pk}/"
    assert action.delegation == delegation


def test_an_action_under_a_contract_starts_from_a_line_of_its_programme(django_app, delegation_staff, programme_line):
    """No list of every line of every contract: the contract's page links each line to the form."""
    contract = programme_line.contract
    page = django_app.get(contract.get_absolute_url(), user=delegation_staff)
    form_page = page.click(href=f"ligne={programme_line.pk}")
    assert (
        form_page.html.select_one("p.lead")
        .get_text(" ", strip=True)
        .startswith(f"Sous la ligne de programme {programme_line.year} «\u00a0{programme_line.title}\u00a0» du contrat")
    )
    form = form_page.forms[1]
    assert (form["programme_line"].value, form["mode"].value, form["theme"].value) == (
        str(programme_line.pk),
        "intra",
        str(programme_line.theme_id),
    )
    form["title"] = "Prévenir les risques psychosociaux"
    form["scheme"] = str(TrainingScheme.objects.first().pk)
    form.get("audience", index=2).checked = True
    form["duration_days"] = "1"

    form.submit().follow()

    action = TrainingAction.objects.get()
    assert (action.programme_line, action.mode, action.delegation_id) == (
        programme_line,
        "intra",
        contract.delegation_id,
    )


def test_a_line_of_another_delegation_is_not_offered(django_app, other_delegation_staff, programme_line):
    page = django_app.get(f"/formations/actions/nouvelle/?ligne={programme_line.pk}", user=other_delegation_staff)
    assert page.forms[1]["programme_line"].value == ""
    assert page.html.select("p.lead") == []


@pytest.mark.parametrize("value", ["²", "9" * 30, "-1", "abc", ""])
def test_a_line_id_that_cannot_be_one_is_ignored(django_app, delegation_staff, value):
    page = django_app.get("/formations/actions/nouvelle/", {"ligne": value}, user=delegation_staff)
    assert (page.status_code, page.forms[1]["programme_line"].value) == (200, "")
