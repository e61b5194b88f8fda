"""Journey: an HR contact registers several agents at once, by lines then by a CSV file, and follows the queue."""

import pytest

from tests.trainings.factories import (
    ContractFactory,
    ContractPartyFactory,
    ProgrammeLineFactory,
    SessionFactory,
    ThemeFactory,
    TrainingActionFactory,
    TrainingSchemeFactory,
)
from trainings.enums import ActionMode, RegistrationStatus
from trainings.models import Registration

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_hr_contact_registers_several_agents_then_imports_a_file(journey, delegation, commune, hr_contact, tmp_path):
    contract = ContractFactory(delegation=delegation)
    ContractPartyFactory(contract=contract, collectivity=commune)
    line = ProgrammeLineFactory(contract=contract, theme=ThemeFactory())
    action = TrainingActionFactory(
        delegation=delegation, programme_line=line, mode=ActionMode.INTRA, scheme=TrainingSchemeFactory()
    )
    session = SessionFactory(action=action, venue=commune, capacity=2)
    run = journey("h-inscriptions-groupees")

    page = run.login(hr_contact)
    run.goto(page, f"/formations/sessions/{session.pk}/")
    page.get_by_role("link", name="Inscrire plusieurs agents (saisie en tableau ou fichier CSV)").click()
    page.wait_for_load_state("load")
    run.step(page, "page inscriptions groupees")

    # Six agents: one more line than the page shows, added by the button.
    page.get_by_role("button", name="Ajouter une ligne").click()
    assert page.get_by_label("Prénom, ligne 5", exact=True).count() == 1
    agents = [(f"Agent{n}", f"Nom{n}", f"agent{n}@mairie-e2e.example.fr") for n in range(1, 7)]
    for number, (first_name, last_name, email) in enumerate(agents, start=1):
        page.locator(f"#id_form-{number - 1}-first_name").fill(first_name)
        page.locator(f"#id_form-{number - 1}-last_name").fill(last_name)
        page.locator(f"#id_form-{number - 1}-email").fill(email)
        page.locator(f"#id_form-{number - 1}-category").select_option("C")
    page.locator("#id_form-3-email").fill("pas-une-adresse")
    run.step(page, "six lignes saisies")
    page.get_by_role("button", name="Inscrire ces agents").click()
    page.wait_for_load_state("load")
    run.step(page, "une ligne a corriger")
    assert page.locator("#batch-errors li").all_inner_texts() == [
        "Ligne 4\u00a0: e-mail — Saisissez une adresse e-mail valide."
    ]
    assert Registration.objects.filter(session=session).count() == 0

    page.locator("#id_form-3-email").fill(agents[3][2])
    page.get_by_role("button", name="Inscrire ces agents").click()
    page.get_by_text("6 agents inscrits\u00a0: 2 inscriptions confirmées, 4 en liste d’attente.").wait_for()
    run.step(page, "six agents inscrits")
    assert list(Registration.objects.filter(session=session).order_by("pk").values_list("email", "status")) == [
        (email, RegistrationStatus.CONFIRMED if n < 2 else RegistrationStatus.WAITLISTED)
        for n, (_first, _last, email) in enumerate(agents)
    ]

    csv_file = tmp_path / "agents.csv"
    csv_file.write_bytes(
        "\ufeffprénom;nom;email;catégorie;emploi\r\nLéa;Roux;lea.roux@mairie-e2e.example.fr;B;Secrétaire\r\n".encode()
    )
    page.get_by_role("link", name="Inscrire plusieurs agents (saisie en tableau ou fichier CSV)").click()
    page.get_by_label("Fichier CSV des agents").set_input_files(str(csv_file))
    page.get_by_role("button", name="Importer et inscrire").click()
    page.get_by_text("1 agent inscrit\u00a0: 0 inscription confirmée, 1 en liste d’attente.").wait_for()

    run.goto(page, "/formations/inscriptions/")
    page.get_by_label("Statut").select_option(RegistrationStatus.WAITLISTED)
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_load_state("load")
    run.step(page, "liste filtree en attente")
    assert page.get_by_role("row", name="Léa Roux").locator(".badge").inner_text() == "position 5"
    run.assert_accessible()
