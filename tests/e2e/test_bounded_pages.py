"""The pages that no longer list a delegation's whole history, walked in Chromium on a desktop and a 390 px
phone: a new action starts from a line of the contract's programme, the registrations of a session are
reached from the session's page, a list too long to count is paged by « Page suivante »."""

import re

import pytest

from tests.agreements.factories import make_contract
from tests.trainings.factories import RegistrationFactory, SessionFactory, TrainingActionFactory, in_days

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_action_from_a_programme_line_and_registrations_from_a_session(journey, delegation_staff, delegation, commune):
    contract = make_contract(actor=delegation_staff, collectivities=[commune], title="Plan de formation 2027")
    line = contract.programme_lines.get()
    session = SessionFactory(
        action=TrainingActionFactory(delegation=delegation, title="Gestes et postures"),
        venue=commune,
        start_date=in_days(12),
    )
    for number in range(3):
        RegistrationFactory(session=session, employer=commune, first_name="Agent", last_name=f"N{number}")
    run = journey("pages-bornees")
    for phone in (False, True):
        device = "telephone" if phone else "bureau"
        page = run.login(delegation_staff, phone=phone)

        run.goto(page, contract.get_absolute_url())
        page.get_by_role("link", name=re.compile(f"^Programmer une action.*{line.year}")).click()
        page.wait_for_load_state("load")
        assert page.locator("p.lead").inner_text().startswith(f"Sous la ligne de programme {line.year}")
        assert page.locator('input[name="programme_line"]').get_attribute("value") == str(line.pk)
        run.step(page, f"nouvelle action sous une ligne {device}")

        run.goto(page, session.get_absolute_url())
        page.get_by_role("link", name="Inscriptions à cette session").click()
        page.wait_for_load_state("load")
        assert page.locator("p.lead").inner_text().startswith("Session «\u00a0Gestes et postures\u00a0»")
        assert page.locator("tbody tr").count() == 3
        assert page.locator('[aria-current="page"]').count() == 0  # one page: no pagination
        run.step(page, f"inscriptions d'une session {device}")
    run.assert_accessible()
