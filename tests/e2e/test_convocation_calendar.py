"""A waitlisted agent opens the convocation link of their e-mail on a phone: the page says not to come, and
the calendar file it offers is tentative and says so (it used to confirm every half-day)."""

import re
from pathlib import Path

import pytest
from django.core import mail

from tests.ical_validation import assert_valid_ics
from tests.trainings.factories import (
    ContractFactory,
    ContractPartyFactory,
    ProgrammeLineFactory,
    SessionFactory,
    ThemeFactory,
    TrainingActionFactory,
    TrainingSchemeFactory,
)
from trainings import registrations as registration_services
from trainings.enums import ActionMode, RegistrationStatus

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_waitlisted_agent_gets_a_tentative_calendar_entry(journey, delegation, commune, hr_contact, tmp_path):
    contract = ContractFactory(delegation=delegation)
    ContractPartyFactory(contract=contract, collectivity=commune)
    action = TrainingActionFactory(
        delegation=delegation,
        programme_line=ProgrammeLineFactory(contract=contract, theme=ThemeFactory()),
        mode=ActionMode.INTRA,
        scheme=TrainingSchemeFactory(),
    )
    session = SessionFactory(action=action, venue=commune, capacity=1)
    for n in (1, 2):
        registration = registration_services.registration_create(
            actor=hr_contact,
            session=session,
            first_name="Léa",
            last_name=f"Martin {n}",
            email=f"lea.martin{n}@ville-e2e.example.fr",
            category="B",
            job="Agente d'accueil",
        )
    assert registration.status == RegistrationStatus.WAITLISTED
    (message,) = [m for m in mail.outbox if m.to == ["lea.martin2@ville-e2e.example.fr"]]
    link = re.search(r"http://\S+/formations/convocation/\S+/", message.body).group()
    run = journey("convocation-liste-attente")

    page = run.new_page(phone=True)
    run.goto(page, link.removeprefix(run.url))
    page.get_by_text("ne vous déplacez pas").wait_for()
    run.step(page, "convocation en liste d'attente")
    assert page.get_by_role("link", name=re.compile("Ajouter à mon agenda")).count() == 0
    with page.expect_download() as download:
        page.get_by_role("link", name="Noter dans mon agenda, en attente de confirmation (fichier .ics)").click()
    path = tmp_path / "formation.ics"
    download.value.save_as(path)
    events = assert_valid_ics(Path(path).read_bytes()).walk("VEVENT")
    assert {(str(e["status"]), str(e["summary"])) for e in events} == {
        ("TENTATIVE", f"Liste d'attente – {session.action.title}")
    }
    desktop = run.new_page()
    run.goto(desktop, link.removeprefix(run.url))
    run.step(desktop, "convocation en liste d'attente, bureau")
    run.assert_accessible()
