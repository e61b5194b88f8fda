"""Journeys through the real OpenID Connect provider (``tests/oidc/provider.mjs``), in Chromium.

1. An agent of a delegation: the button, the provider's login, back on « À faire », logout at ProConnect too.
2. A commune's HR officer without an account: ProConnect, « Demander un accès », the delegation accepts from
   « Demandes d'accès », then the new HR contact's first ProConnect login lands on their « À faire ».

Every page on the way is photographed (desktop, and the requester's pages at 390 px) and checked by axe.
"""

import re

import pytest
from django.urls import reverse

from partnership.enums import AccessRequestStatus, Role
from partnership.models import AccessRequest, ProConnectIdentity, User
from tests.e2e.conftest import PHONE
from tests.factories import DEFAULT_PASSWORD
from tests.proconnect.provider import configure, oidc_provider  # noqa: F401 - the session fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NIC = "00017"


@pytest.fixture
def proconnect(settings, live_server, oidc_provider):  # noqa: F811 - the fixture imported above
    configure(settings, oidc_provider, live_server.url)
    return oidc_provider


def _click_proconnect(page):
    page.get_by_role("button", name="S’identifier avec ProConnect").click()
    page.wait_for_load_state("load")


def _sign_in_at_provider(run, page, email: str):
    assert "/_interaction/" in page.url, page.url
    run.step(page, "fournisseur d'identite")
    page.get_by_label("Adresse e-mail professionnelle").fill(email)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state("load")


def test_an_agent_logs_in_with_proconnect_and_out_of_it(journey, delegation_staff, proconnect):
    proconnect.add_account(
        sub="sub-agent-e2e",
        email=delegation_staff.email,
        given_name=delegation_staff.first_name,
        usual_name=delegation_staff.last_name,
        siret="18004356400018",
    )
    run = journey("proconnect-connexion")
    page = run.new_page()
    run.goto(page, reverse("login"))
    assert page.get_by_role("link", name="Qu’est-ce que ProConnect ?").get_attribute("href") == (
        "https://www.proconnect.gouv.fr/"
    )
    run.step(page, "page de connexion")
    phone = run.new_page(phone=True)
    run.goto(phone, reverse("login"))
    run.step(phone, "page de connexion telephone")

    _click_proconnect(page)
    _sign_in_at_provider(run, page, delegation_staff.email)

    assert page.url == run.url + reverse("todo")
    assert page.locator("h1").inner_text() == "À faire"
    run.step(page, "a faire apres proconnect")
    assert ProConnectIdentity.objects.get().user == delegation_staff

    run.goto(page, reverse("account"))
    assert "Votre compte est relié à une identité ProConnect" in page.locator("#lien-proconnect").inner_text()
    run.step(page, "mon compte relie")

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(run.url + reverse("home"))
    assert "Vous êtes déconnecté(e), de ProConnect aussi." in page.locator(".messages").inner_text()
    run.step(page, "deconnecte de proconnect aussi")
    # ProConnect's session is over too: the button asks for the e-mail again.
    run.goto(page, reverse("login"))
    _click_proconnect(page)
    assert "/_interaction/" in page.url
    run.assert_accessible()


def test_a_hr_officer_asks_for_access_and_logs_in_once_accepted(
    journey, commune, delegation, delegation_staff, proconnect, mailoutbox
):
    email = "rh@mairie-e2e.example"
    proconnect.add_account(
        sub="sub-rh-e2e", email=email, given_name="Camille", usual_name="Référente", siret=commune.siren + NIC
    )
    run = journey("proconnect-demande-acces")
    requester = run.new_page(phone=True)
    run.goto(requester, reverse("login"))
    _click_proconnect(requester)
    _sign_in_at_provider(run, requester, email)

    assert requester.url == run.url + reverse("proconnect_access_request")
    assert f"référent RH de {commune.name}" in requester.locator("main").inner_text()
    run.step(requester, "demander un acces telephone")
    requester.get_by_label("Votre fonction").fill("Directrice des ressources humaines")
    requester.get_by_role("button", name="Envoyer ma demande d'accès").click()
    requester.wait_for_load_state("load")
    assert requester.url == run.url + reverse("login")
    assert f"Vous recevrez la décision par e-mail, à {email}." in requester.locator(".messages").inner_text()
    run.step(requester, "demande envoyee telephone")

    # The delegation's pages on a phone first: nothing wider than the screen.
    pending = AccessRequest.objects.get()
    staff_phone = run.new_page(phone=True)
    run.goto(staff_phone, reverse("login"))
    staff_phone.get_by_label("Adresse e-mail").fill(delegation_staff.email)
    staff_phone.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    staff_phone.get_by_role("button", name="Se connecter").click()
    staff_phone.wait_for_load_state("load")
    for path, name in [
        (reverse("access_request_list"), "demandes d'acces telephone"),
        (reverse("access_request_detail", args=[pending.pk]), "demande d'acces telephone"),
    ]:
        run.goto(staff_phone, path)
        assert staff_phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        run.step(staff_phone, name)

    staff = run.login(delegation_staff)
    run.goto(staff, reverse("account_list"))
    staff.get_by_role("link", name="Demandes d'accès").click()
    staff.wait_for_load_state("load")
    run.step(staff, "demandes d'acces")
    staff.get_by_role("link", name="Camille Référente").click()
    staff.wait_for_load_state("load")
    run.step(staff, "demande d'acces")
    staff.get_by_role("button", name="Accepter et ouvrir le compte").click()
    staff.wait_for_load_state("load")
    assert "Compte ouvert pour Camille Référente" in staff.locator(".messages").inner_text()
    run.step(staff, "demande acceptee")
    request = AccessRequest.objects.get()
    assert (request.status, request.decided_by) == (AccessRequestStatus.ACCEPTED, delegation_staff)
    assert [message.subject for message in mailoutbox if message.to == [email]] == [
        "Votre demande d'accès à Partenariat CNFPT – AMF est acceptée"
    ]

    newcomer = run.new_page()
    run.goto(newcomer, reverse("login"))
    _click_proconnect(newcomer)
    _sign_in_at_provider(run, newcomer, email)
    assert newcomer.url == run.url + reverse("todo")
    assert re.search(r"Référent RH de collectivité", newcomer.locator("main").inner_text())
    run.step(newcomer, "a faire du nouveau referent rh")
    account = User.objects.get(email=email)
    assert (account.role, account.collectivity) == (Role.HR_CONTACT, commune)
    run.assert_accessible()
