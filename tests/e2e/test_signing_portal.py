"""Journey b: the signing portal on a phone (390 × 844) and on a desktop, as signers meet it from their e-mail.

A union of two communes: the mayor of the first signs on a phone (code read from the e-mail sent, the
contract's text read on the page, the signed document downloaded); the mayor of the second opens the refusal
form on a desktop, goes back and signs; the délégué countersigns from the e-mailed link on a phone; the first
mayor's link then hands out the sealed final PDF, which the verification page calls authentic. Every phone step: no horizontal scrolling, no text under
16 CSS px, the step indicator, axe-core without serious or critical violations.
"""

import re

import pytest
from django.core import mail

from agreements.enums import ContractStatus, DocumentKind
from agreements.signing.services import sending
from tests.agreements.factories import make_contract
from tests.agreements.signing_helpers import CODE, LINK, last_mail_to
from tests.factories import CommuneFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390
NBSP = "\u00a0"

# Every visible piece of text, with its computed size: none may be under 16 CSS px on the phone.
SMALL_TEXT_JS = """() => {
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const element = node.parentElement;
    if (!node.textContent.trim() || !element) continue;
    if (element.closest('.visually-hidden, .visually-hidden-focusable, [aria-hidden="true"], script, style')) continue;
    if (!element.getClientRects().length) continue;
    const size = parseFloat(getComputedStyle(element).fontSize);
    if (size < 16) small.push(`${element.tagName.toLowerCase()}.${element.className}: ${size}px « ${node.textContent.trim().slice(0, 40)} »`);
  }
  return small;
}"""


def seen(locator) -> str:
    """The text a sighted reader sees (without the words kept for screen readers), spaces collapsed."""
    text = locator.evaluate(
        "element => { const copy = element.cloneNode(true);"
        " copy.querySelectorAll('.visually-hidden').forEach(hidden => hidden.remove());"
        " return copy.textContent; }"
    )
    return " ".join(text.split())


def assert_fits_a_phone(page) -> None:
    """Readable without zooming: nothing wider than the screen, no text under 16 CSS px."""
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE_WIDTH, page.url
    assert page.evaluate(SMALL_TEXT_JS) == []


def assert_step(page, number: int, sentence: str, current: str) -> None:
    title = page.locator(".portal-steps-title").inner_text().replace(NBSP, " ")
    assert title == f"Étape {number} sur 3 : {sentence}"
    steps = page.locator(".portal-steps-list > li")
    assert steps.count() == 3
    current_step = page.locator('.portal-steps-list > li[aria-current="step"]').inner_text()
    assert " ".join(current_step.split()) == current


def assert_portal_layout(page, delegation_name: str) -> None:
    """Only the sender: no site navigation; the legal links in the footer."""
    assert page.locator("nav[aria-label='Navigation principale']").count() == 0
    assert f"CNFPT – {delegation_name}" in page.locator("header").inner_text()
    footer = page.locator("footer")
    for name in ("Mentions légales", "Données personnelles", f"Accessibilité{NBSP}: non conforme"):
        assert footer.get_by_role("link", name=name).count() == 1


def get_code(journey, page, email: str, actor: str, *, phone: bool) -> None:
    """Step 1: ask for the code, read it in the e-mail, type it."""
    sent_before = len(mail.outbox)
    page.get_by_role("button", name="Recevoir un code par e-mail").click()
    page.get_by_text("Un code à 6 chiffres vient d'être envoyé").wait_for()
    assert len(mail.outbox) == sent_before + 1
    if phone:
        assert_fits_a_phone(page)
    journey.step(page, f"{actor} code envoye")
    page.get_by_label("Code reçu par e-mail").fill(CODE.search(last_mail_to(email).body).group(1))
    page.get_by_role("button", name="Valider le code").click()
    page.get_by_role("heading", name=re.compile("Lire le contrat")).wait_for()


def download(page, link_name: str, tmp_path) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile(link_name)).click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path.read_bytes()


def test_signing_portal_on_a_phone_and_a_desktop(journey, delegation, delegation_staff, tmp_path):
    first = CommuneFactory(name="Trifouilly-les-Oies", department=delegation.departments.first())
    second = CommuneFactory(name="Arles-sur-Tech", department=delegation.departments.first())
    delegate = UserFactory(
        role="delegation_staff",
        delegation=delegation,
        function="Délégué régional",
        email="delegue@cnfpt-e2e.example",
        first_name="Bernard",
        last_name="Roux",
    )
    contract = make_contract(
        actor=delegation_staff,
        collectivities=[first, second],
        delegate=delegate,
        title="Formation des agents de Trifouilly",
    )
    sending.contract_send_for_signature(contract=contract, actor=delegation_staff)
    contract.refresh_from_db()
    first_email, second_email = (party.signatory_email for party in contract.parties.order_by("position", "pk"))
    presented = contract.documents.get(kind=DocumentKind.FOR_SIGNATURE)
    presented_bytes = presented.file.read()
    run = journey("b-portail-signature")

    # --- The first mayor, on a phone ------------------------------------------------------------------
    mayor = run.new_page(phone=True)
    run.goto(mayor, LINK.search(last_mail_to(first_email).body).group(0).removeprefix(run.url))
    assert_portal_layout(mayor, delegation.name)
    assert_step(mayor, 1, "code de vérification", "1 Code")
    assert_fits_a_phone(mayor)
    run.step(mayor, "telephone identification")
    get_code(run, mayor, first_email, "telephone", phone=True)

    assert_step(mayor, 2, "lecture du contrat", "2 Lecture")
    text = mayor.locator("article.contract-text")
    assert "Article 5 – Programme prévisionnel" in text.inner_text()
    assert "Élaboration du plan de formation" in text.inner_text()
    assert presented.sha256 in mayor.locator(".portal-document").inner_text()
    assert_fits_a_phone(mayor)
    run.step(mayor, "telephone lecture")
    assert download(mayor, "Télécharger le contrat au format PDF", tmp_path) == presented_bytes
    mayor.get_by_role("link", name="Continuer vers la signature").click()

    mayor.get_by_role("heading", name=f"Signer le contrat {contract.reference}").wait_for()
    assert_step(mayor, 3, "signature", "3 Signature")
    sign_button = mayor.get_by_role("button", name="Signer le contrat")
    decline_link = mayor.get_by_role("link", name="Refuser de signer")
    assert "btn-primary" in sign_button.get_attribute("class")
    decline_classes = decline_link.get_attribute("class").split()
    assert "btn-outline-secondary" in decline_classes and "btn-primary" not in decline_classes
    assert sign_button.evaluate(
        "(sign, decline) => Boolean(sign.compareDocumentPosition(decline) & Node.DOCUMENT_POSITION_FOLLOWING)",
        decline_link.element_handle(),
    ), "« Refuser » vient après « Signer »"
    consent = (
        f"J'ai lu le contrat {contract.reference} et j'accepte de le signer électroniquement au nom de la commune "
        "de Trifouilly-les-Oies, en qualité de maire."
    )
    assert_fits_a_phone(mayor)
    run.step(mayor, "telephone signature")
    mayor.get_by_label(consent).check()
    sign_button.click()

    mayor.get_by_role("heading", name=f"Vous avez signé le contrat {contract.reference}").wait_for()
    assert mayor.locator(".portal-steps-title").inner_text() == "Signature terminée"
    assert "Arles-sur-Tech doit encore signer." in seen(mayor.locator(".portal-next"))
    assert_fits_a_phone(mayor)
    run.step(mayor, "telephone apres signature")
    assert download(mayor, "Le contrat que vous avez signé", tmp_path) == presented_bytes
    assert mayor.get_by_role("link", name=re.compile("scellé")).count() == 0

    # --- The second mayor, on a desktop: opens the refusal form, goes back, signs ----------------------
    other = run.new_page()
    run.goto(other, LINK.search(last_mail_to(second_email).body).group(0).removeprefix(run.url))
    run.step(other, "bureau identification")
    get_code(run, other, second_email, "bureau", phone=False)
    run.step(other, "bureau lecture")
    other.get_by_role("link", name="Continuer vers la signature").click()
    other.get_by_role("heading", name=f"Signer le contrat {contract.reference}").wait_for()
    run.step(other, "bureau signature")
    other.get_by_role("link", name="Refuser de signer").click()
    other.get_by_label("Motif du refus").wait_for()
    run.step(other, "bureau refus")
    other.get_by_role("link", name="Revenir à la signature").click()
    other.get_by_label(re.compile("au nom de la commune d'Arles-sur-Tech")).check()
    other.get_by_role("button", name="Signer le contrat").click()
    other.get_by_role("heading", name=f"Vous avez signé le contrat {contract.reference}").wait_for()
    assert "La contre-signature au nom du CNFPT, par Bernard Roux" in seen(other.locator(".portal-next"))
    run.step(other, "bureau apres signature")
    contract.refresh_from_db()
    assert contract.status == ContractStatus.SIGNED_BY_COLLECTIVITY

    # --- The délégué countersigns from the e-mailed link, on a phone ------------------------------------
    delegue = run.new_page(phone=True)
    run.goto(delegue, LINK.search(last_mail_to(delegate.email).body).group(0).removeprefix(run.url))
    get_code(run, delegue, delegate.email, "delegue", phone=True)
    delegue.get_by_role("link", name="Continuer vers la signature").click()
    countersign_consent = (
        f"J'ai lu le contrat {contract.reference} et j'accepte de le contresigner électroniquement au nom du "
        f"CNFPT, délégation {delegation.name.removeprefix('Délégation ')}, en qualité de délégué régional."
    )
    delegue.get_by_label(countersign_consent).check()
    assert_fits_a_phone(delegue)
    run.step(delegue, "delegue signature")
    delegue.get_by_role("button", name="Contresigner le contrat").click()
    delegue.get_by_role("heading", name=f"Vous avez signé le contrat {contract.reference}").wait_for()
    contract.refresh_from_db()
    assert contract.status in (ContractStatus.SIGNED, ContractStatus.ACTIVE)
    sealed = contract.documents.get(kind=DocumentKind.SIGNED).file.read()
    assert_fits_a_phone(delegue)
    run.step(delegue, "delegue apres contre-signature")

    # --- Back on the first mayor's phone: the sealed final PDF, through the same link ---------------------
    mayor.reload()
    next_steps = seen(mayor.locator(".portal-next"))
    assert "Arles-sur-Tech a signé." in next_steps
    assert "La contre-signature au nom du CNFPT, par Bernard Roux, délégué régional." in next_steps
    assert "vous a été envoyé par e-mail" in next_steps
    assert_fits_a_phone(mayor)
    run.step(mayor, "telephone contrat scelle")
    assert download(mayor, "Le contrat signé par toutes les parties et scellé", tmp_path) == sealed

    # The verification page, from the portal's footer, on the phone too.
    mayor.locator("footer").get_by_role("link", name="Vérifier un contrat signé").click()
    mayor.get_by_role("heading", name="Vérifier un contrat signé").wait_for()
    (tmp_path / "contrat.pdf").write_bytes(sealed)
    mayor.get_by_label(re.compile("Contrat au format PDF")).set_input_files(str(tmp_path / "contrat.pdf"))
    mayor.get_by_role("button", name="Vérifier").click()
    mayor.get_by_text("Document authentique").wait_for()
    assert_fits_a_phone(mayor)
    run.step(mayor, "telephone verification")
    run.assert_accessible()
