"""Journey a: a contract drafted in the browser, signed by keyboard only by the mayor, countersigned in the app by the
logged-in délégué, then its PDF downloaded from its page and verified."""

import re

import pytest
from django.core import mail

from agreements.enums import ContractStatus, DocumentKind
from agreements.models import PartnershipContract
from partnership.forms import collectivity_label
from tests.agreements.signing_helpers import CODE, LINK, last_mail_to
from tests.factories import ThemeFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAYOR_EMAIL = "maire@mairie-e2e.example.fr"


def tab_to(page, role: str, name: str, *, limit: int = 80) -> None:
    """Press Tab until the element of this role and accessible name has the focus (keyboard only)."""
    target = page.get_by_role(role, name=name, exact=False)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{role} « {name} » jamais atteint au clavier")


def sign_with_keyboard(journey, page, link: str, email: str, actor: str) -> None:
    """Open the e-mailed link, get and type the code, tick consent, sign: Tab, Space, Enter and typing only."""
    journey.goto(page, link.removeprefix(journey.url))
    journey.step(page, f"{actor} portail identification")
    mail_count = len(mail.outbox)
    tab_to(page, "button", "Recevoir un code par e-mail")
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    page.get_by_text("Un code à 6 chiffres vient d'être envoyé").wait_for()
    journey.step(page, f"{actor} code envoye")
    assert len(mail.outbox) == mail_count + 1
    code = CODE.search(last_mail_to(email).body).group(1)
    tab_to(page, "textbox", "Code reçu par e-mail")
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    page.get_by_role("heading", name=re.compile("Lire le contrat")).wait_for()
    journey.step(page, f"{actor} lire")
    tab_to(page, "link", "Continuer vers la signature")
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    page.get_by_role("heading", name=re.compile("Signer le contrat")).wait_for()
    journey.step(page, f"{actor} signer")
    tab_to(page, "checkbox", "J'ai lu le contrat")
    page.keyboard.press("Space")
    assert page.get_by_role("checkbox", name=re.compile("J'ai lu le contrat")).is_checked()
    tab_to(page, "button", "Signer le contrat")
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    page.get_by_role("heading", name=re.compile("Vous avez signé le contrat")).wait_for()
    journey.step(page, f"{actor} signature enregistree")


def test_contract_drafted_signed_by_keyboard_and_verified(journey, delegation, delegation_staff, commune, tmp_path):
    theme = ThemeFactory()
    delegate = UserFactory(
        role="delegation_staff",
        delegation=delegation,
        function="Délégué régional",
        email="delegue@cnfpt-e2e.example",
        first_name="Bernard",
        last_name="Roux",
    )
    run = journey("a-contrat-signature")

    # The delegation agent drafts the contract in the form.
    agent = run.login(delegation_staff)
    run.step(agent, "accueil agent")
    run.goto(agent, "/contrats/")
    run.step(agent, "liste des contrats")
    run.goto(agent, "/contrats/nouveau/")
    run.step(agent, "formulaire vide")
    agent.get_by_label(re.compile("Intitulé")).fill("Plan de formation mutualisé")
    agent.get_by_label(re.compile("Date de début")).fill("2027-01-01")
    agent.get_by_label(re.compile("Délégué")).select_option(label=delegate.get_full_name())
    picker = agent.locator("[name='parties-0-collectivity']")
    picker.press_sequentially(commune.name, delay=30)
    agent.locator(f"[role=option][data-label='{collectivity_label(commune)}']").click()
    agent.locator("[name='parties-0-signatory_name']").fill("Marie Martin")
    agent.locator("[name='parties-0-signatory_function']").fill("Maire")
    agent.locator("[name='parties-0-signatory_email']").fill(MAYOR_EMAIL)
    agent.locator("[name='parties-0-deliberation_date']").fill("2026-06-01")
    agent.locator("[name='lines-0-year']").fill("2027")
    agent.locator("[name='lines-0-theme']").select_option(value=str(theme.pk))
    agent.locator("[name='lines-0-title']").fill("Élaboration du plan de formation")
    agent.locator("[name='lines-0-planned_days']").fill("3")
    agent.locator("[name='lines-0-planned_trainees']").fill("12")
    run.step(agent, "formulaire rempli")
    agent.get_by_role("button", name="Enregistrer le brouillon").click()
    agent.get_by_text("Le brouillon de contrat est enregistré").wait_for()
    run.step(agent, "brouillon enregistre")
    contract = PartnershipContract.objects.get(title="Plan de formation mutualisé")
    assert contract.status == ContractStatus.DRAFT
    assert list(contract.parties.values_list("collectivity", flat=True)) == [commune.pk]

    agent.get_by_role("button", name="Envoyer à la signature").click()
    agent.get_by_text("Ce qui va se passer").wait_for()
    run.step(agent, "confirmation de l'envoi")
    agent.get_by_role("button", name="Oui, envoyer à la signature").click()
    agent.get_by_text("Le contrat est envoyé à la signature").wait_for()
    run.step(agent, "envoye a la signature")
    contract.refresh_from_db()
    assert contract.status == ContractStatus.READY_FOR_SIGNATURE

    # The mayor signs from the e-mailed link, with the keyboard only.
    mayor_link = LINK.search(last_mail_to(MAYOR_EMAIL).body).group(0)
    sign_with_keyboard(run, run.new_page(), mayor_link, MAYOR_EMAIL, "maire")
    contract.refresh_from_db()
    assert contract.status == ContractStatus.SIGNED_BY_COLLECTIVITY

    # The délégué, logged in, countersigns from « À contresigner » after confirming a one-time code.
    delegue = run.login(delegate)
    run.goto(delegue, "/contrats/")
    delegue.get_by_role("link", name="À contresigner (1)").click()
    delegue.get_by_role("heading", name="À contresigner").wait_for()
    run.step(delegue, "delegue a contresigner")
    delegue.get_by_role("link", name=f"Contresigner le contrat {contract.reference}").click()
    delegue.get_by_role("heading", name=f"Contresigner le contrat {contract.reference}").wait_for()
    run.step(delegue, "delegue identification")
    mail_count = len(mail.outbox)
    delegue.get_by_role("button", name="Recevoir un code par e-mail").click()
    delegue.get_by_text("Un code à 6 chiffres vient d'être envoyé").wait_for()
    assert len(mail.outbox) == mail_count + 1
    code = CODE.search(last_mail_to(delegate.email).body).group(1)
    delegue.get_by_label("Code reçu par e-mail").fill(code)
    delegue.get_by_role("button", name="Valider le code").click()
    delegue.get_by_text("Identité confirmée").wait_for()
    run.step(delegue, "delegue contresigner")
    delegue.get_by_label(re.compile("J'ai lu le contrat")).check()
    delegue.get_by_role("button", name="Contresigner le contrat").click()
    delegue.get_by_text("Votre contre-signature est enregistrée").wait_for()
    run.step(delegue, "delegue contrat signe")
    contract.refresh_from_db()
    assert contract.status in (ContractStatus.SIGNED, ContractStatus.ACTIVE)

    # « Le PDF » of the signed contract, downloaded from its page, is the sealed one...
    agent.reload()
    run.step(agent, "contrat signe")
    signed = contract.documents.get(kind=DocumentKind.SIGNED)
    with agent.expect_download() as download_info:
        agent.get_by_role("link", name="Télécharger le contrat signé (PDF)").click()
    pdf_path = tmp_path / "contrat-signe.pdf"
    download_info.value.save_as(pdf_path)
    assert download_info.value.suggested_filename == f"{contract.reference}-signe.pdf"
    assert pdf_path.read_bytes() == signed.file.read()

    # ...and the verification page, reached from the contract page, calls it authentic.
    agent.get_by_role("link", name="Vérifier son authenticité").click()
    run.step(agent, "verification")
    agent.get_by_label(re.compile("Contrat au format PDF")).set_input_files(str(pdf_path))
    run.step(agent, "verification fichier choisi")
    agent.get_by_role("button", name=re.compile("Vérifier")).click()
    agent.get_by_text("Document authentique").wait_for()
    run.step(agent, "document authentique")
    assert contract.reference in agent.content()
    run.assert_accessible()
