"""Journeys b and c: an HR contact fills a session and the waiting list; someone registers to a public event."""

import re

import pytest
from django.core import mail

from events.models import EventRegistration
from partnership.forms import collectivity_label
from tests.events.factories import EventFactory
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

AGENTS = [
    ("Camille", "Durand", "camille.durand@mairie-e2e.example.fr"),
    ("Louis", "Petit", "louis.petit@mairie-e2e.example.fr"),
    ("Inès", "Moreau", "ines.moreau@mairie-e2e.example.fr"),
]


def test_hr_contact_fills_session_then_cancellation_promotes_waiting_agent(journey, delegation, commune, hr_contact):
    contract = ContractFactory(delegation=delegation)
    ContractPartyFactory(contract=contract, collectivity=commune)
    line = ProgrammeLineFactory(contract=contract, theme=ThemeFactory())
    action = TrainingActionFactory(
        delegation=delegation, programme_line=line, mode=ActionMode.INTRA, scheme=TrainingSchemeFactory()
    )
    session = SessionFactory(action=action, venue=commune, capacity=2)
    run = journey("b-session-liste-attente")

    page = run.login(hr_contact)
    run.step(page, "accueil referent rh")
    run.goto(page, "/formations/")
    run.step(page, "sessions")
    run.goto(page, f"/formations/sessions/{session.pk}/")
    run.step(page, "session ouverte")
    for first_name, last_name, email in AGENTS:
        page.get_by_label(re.compile("Prénom")).fill(first_name)
        page.get_by_label(re.compile("^\\s*Nom")).fill(last_name)
        page.get_by_label(re.compile("E-mail de l'agent")).fill(email)
        page.get_by_label(re.compile("Catégorie")).select_option("C")
        page.get_by_role("button", name="Inscrire").click()
        page.wait_for_load_state("load")
        run.step(page, f"inscription {last_name}")
    page.get_by_text("La session est complète :").wait_for()
    statuses = dict(Registration.objects.filter(session=session).values_list("email", "status"))
    assert statuses == {
        AGENTS[0][2]: RegistrationStatus.CONFIRMED,
        AGENTS[1][2]: RegistrationStatus.CONFIRMED,
        AGENTS[2][2]: RegistrationStatus.WAITLISTED,
    }

    mail.outbox.clear()
    page.get_by_role("row", name=re.compile(AGENTS[0][1])).get_by_role("button", name="Annuler l'inscription").click()
    page.get_by_text("La première personne en liste d'attente obtient la place").wait_for()
    run.step(page, "annulation et promotion")
    statuses = dict(Registration.objects.filter(session=session).values_list("email", "status"))
    assert statuses[AGENTS[0][2]] == RegistrationStatus.CANCELLED
    assert statuses[AGENTS[2][2]] == RegistrationStatus.CONFIRMED
    promoted = [m for m in mail.outbox if m.to == [AGENTS[2][2]]]
    assert [m.subject for m in promoted] == [f"Place libérée : inscription confirmée – {action.title}"]
    assert "Une place s'est libérée" in promoted[0].body
    run.assert_accessible()


def test_visitor_registers_to_published_event(journey, delegation, commune):
    event = EventFactory(delegation=delegation, capacity=30, title="Colloque santé au travail")
    run = journey("c-inscription-evenement")

    page = run.new_page()
    run.goto(page, "/evenements/")
    run.step(page, "evenements publies")
    page.get_by_role("link", name=event.title).click()
    page.wait_for_load_state("load")
    run.step(page, "page de l'evenement")
    page.get_by_label(re.compile("Prénom")).fill("Jeanne")
    page.get_by_label(re.compile("^\\s*Nom")).fill("Martin")
    page.get_by_label(re.compile("Adresse e-mail")).fill("jeanne.martin@mairie-e2e.example.fr")
    page.get_by_label("Agent", exact=False).first.check()
    picker = page.get_by_role("combobox", name=re.compile("Votre collectivité"))
    picker.press_sequentially(commune.name, delay=20)
    page.locator(f"[role=option][data-label='{collectivity_label(commune)}']").click()
    assert picker.input_value() == collectivity_label(commune)
    page.get_by_label(re.compile("Fonction")).fill("Secrétaire de mairie")
    run.step(page, "formulaire rempli")
    page.get_by_role("button", name="S'inscrire").click()
    page.get_by_text("Inscription confirmée").wait_for()
    run.step(page, "inscription confirmee")

    registration = EventRegistration.objects.get(event=event)
    assert (registration.email, registration.collectivity_id, registration.status) == (
        "jeanne.martin@mairie-e2e.example.fr",
        commune.pk,
        "confirmed",
    )
    confirmation = [m for m in mail.outbox if m.to == ["jeanne.martin@mairie-e2e.example.fr"]]
    assert len(confirmation) == 1
    manage_link = re.search(r"http://[^\s]+/evenements/inscription/[^\s/]+/", confirmation[0].body)
    assert manage_link, confirmation[0].body
    run.goto(page, manage_link.group(0).removeprefix(run.url))
    run.step(page, "gestion de l'inscription")
    run.assert_accessible()
