"""Journey: a mayor confirms the code on her phone, then opens the same link on her desktop a few seconds later
(within the code's resend delay): the desktop asks for the code she already received, and takes it. Once she
has signed, « Et maintenant ? » says that the countersignature has been asked for; the signed contract then
reaches each party in an e-mail of their own."""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.db import connections
from django.utils import timezone

from agreements.signing.services import sending
from partnership.text import french_date
from tests.agreements.factories import make_contract
from tests.agreements.signing_helpers import CODE, LINK, last_mail_to, sign_request
from tests.e2e.test_signing_portal import assert_fits_a_phone, get_code, seen
from tests.factories import CommuneFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
NBSP = "\u00a0"


def countersign_outside_the_browser_loop(contract) -> None:
    """Sealing runs pyHanko's own event loop, which cannot start in this thread (Playwright's loop runs here):
    the countersignature runs in a thread of its own, as it would in a web or worker process."""

    def countersign():
        try:
            sign_request(contract.signature_requests.get(step=2), name="Bernard Roux", function="Délégué régional")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as executor:
        executor.submit(countersign).result()


def test_the_code_received_works_on_a_second_device_and_the_next_steps_are_true(
    journey, delegation, delegation_staff, settings
):
    settings.SIGNATURE_CODE_RESEND_SECONDS = 600  # the second device comes well within the delay
    commune = CommuneFactory(name="Saint-Pierre-des-Landes", department=delegation.departments.first())
    delegate = UserFactory(
        role="delegation_staff",
        delegation=delegation,
        function="Délégué régional",
        first_name="Bernard",
        last_name="Roux",
    )
    contract = make_contract(actor=delegation_staff, collectivities=[commune], delegate=delegate)
    sending.contract_send_for_signature(contract=contract, actor=delegation_staff)
    contract.refresh_from_db()
    email = contract.parties.get().signatory_email
    link = LINK.search(last_mail_to(email).body).group(0)
    run = journey("portail-second-appareil")

    # On the phone: the code, typed; the contract opens.
    phone = run.new_page(phone=True)
    run.goto(phone, link.removeprefix(run.url))
    get_code(run, phone, email, "telephone", phone=True)
    code = CODE.search(last_mail_to(email).body).group(1)
    run.step(phone, "telephone code valide")

    # On the desktop, moments later: the field for the code she has, which works here too.
    desktop = run.new_page()
    run.goto(desktop, link.removeprefix(run.url))
    assert f"Un code à 6 chiffres a été envoyé à {email}." in seen(desktop.locator("#code-titre + p"))
    run.step(desktop, "bureau meme code")
    desktop.get_by_label("Code reçu par e-mail").fill(code)
    desktop.get_by_role("button", name="Valider le code").click()
    desktop.get_by_role("heading", name=re.compile("Lire le contrat")).wait_for()
    assert len([m for m in mail.outbox if "votre code de signature" in m.subject]) == 1
    desktop.get_by_role("link", name="Continuer vers la signature").click()
    desktop.get_by_label(re.compile("j'accepte de le signer")).check()
    desktop.get_by_role("button", name="Signer le contrat").click()
    desktop.get_by_role("heading", name=f"Vous avez signé le contrat {contract.reference}").wait_for()

    # The last collectivité has signed: the délégué has been asked, and the page says when.
    asked = timezone.localtime(contract.signature_requests.get(step=2).sent_at)
    when = f"{french_date(asked, 'j F Y à G')} h {asked:%M}"
    assert (
        f"La contre-signature au nom du CNFPT, par Bernard Roux, délégué régional : toutes les collectivités ayant "
        f"signé, elle lui a été demandée le {when}." in seen(desktop.locator(".portal-next")).replace(NBSP, " ")
    )
    run.step(desktop, "bureau apres signature")
    phone.reload()
    assert_fits_a_phone(phone)
    run.step(phone, "telephone apres signature")

    # The délégué countersigns: each party receives the sealed contract alone in the « À » field.
    countersign_outside_the_browser_loop(contract)
    final = [m for m in mail.outbox if m.subject.endswith("signé par toutes les parties")]
    assert sorted(address for m in final for address in m.to) == sorted({email, delegate.email, delegation_staff.email})
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in final)
    run.assert_accessible()
