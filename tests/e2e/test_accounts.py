"""Journeys f and g: each role's « À faire » home; a forgotten password; an invitation accepted.

axe-core runs on every new page on the way: the « À faire » page of each role, the account pages,
the legal pages and the error page.
"""

import re

import pytest
from django.core import mail

from partnership.models import User
from tests.agreements.factories import make_contract
from tests.trainings.factories import RegistrationFactory, SessionFactory, TrainingActionFactory, in_days

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"http://[^\s]+(/compte/(?:reinitialisation|invitation)/[^\s]+/)")
NEW_PASSWORD = "Une-phrase-de-passe-neuve-42"


def _link_sent_to(address: str) -> str:
    messages = [m for m in mail.outbox if m.to == [address]]
    assert len(messages) == 1, [m.subject for m in mail.outbox]
    return LINK.search(messages[0].body).group(1)


def test_each_role_lands_on_its_todo_page(journey, persona, delegation, delegation_staff, commune):
    make_contract(actor=delegation_staff, collectivities=[commune], title="Plan de formation 2027")
    session = SessionFactory(action=TrainingActionFactory(delegation=delegation), venue=commune, start_date=in_days(0))
    RegistrationFactory(session=session, employer=commune)
    run = journey("f-a-faire-par-role")

    expected_first_block = {
        "delegation_staff": "Brouillons de contrat",  # not the délégué(e): no countersign block
        "national_staff": "Chiffres nationaux",
        "amf_staff": "Chiffres nationaux",
        "signatory": "Contrats à signer",
        "hr_contact": "Prochaines sessions de vos agents",
        "speaker_user": "Vos prochaines sessions de formation",
    }
    for name, first_block in expected_first_block.items():
        page = run.login(persona(name))
        assert page.url == run.url + "/a-faire/"
        assert page.locator("main h2").first.inner_text().startswith(first_block)
        run.step(page, f"a faire {name}")
        if name == "delegation_staff":
            page.get_by_role("link", name=re.compile("Plan de formation 2027")).click()
            page.wait_for_load_state("load")
            assert re.search(r"/contrats/\d+/$", page.url)
            run.goto(page, "/compte/comptes/")
            run.step(page, "comptes de la delegation")
            run.goto(page, "/compte/")
            run.step(page, "mon compte")
    visitor = run.new_page()
    for path, name in [
        ("/mentions-legales/", "mentions legales"),
        ("/donnees-personnelles/", "donnees personnelles"),
        ("/accessibilite/", "declaration d'accessibilite"),
    ]:
        run.goto(visitor, path)
        run.step(visitor, name)
    visitor.goto(run.url + "/page-qui-n-existe-pas/")
    run.step(visitor, "page introuvable")
    run.assert_accessible()


def test_forgotten_password_journey(journey, hr_contact):
    run = journey("g-mot-de-passe-oublie")
    page = run.new_page()
    run.goto(page, "/connexion/")
    run.step(page, "connexion")
    page.get_by_role("link", name="Mot de passe oublié").click()
    page.wait_for_load_state("load")
    run.step(page, "mot de passe oublie")
    page.get_by_label("Adresse e-mail").fill(hr_contact.email)
    page.get_by_role("button", name="Recevoir le lien").click()
    page.get_by_role("heading", name="Demande enregistrée").wait_for()
    run.step(page, "demande enregistree")

    run.goto(page, _link_sent_to(hr_contact.email))
    page.get_by_role("heading", name="Choisissez un nouveau mot de passe").wait_for()
    run.step(page, "nouveau mot de passe")
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    page.get_by_role("heading", name="Mot de passe enregistré").wait_for()
    run.step(page, "mot de passe enregistre")

    page.get_by_role("link", name="Se connecter").last.click()
    page.get_by_label("Adresse e-mail").fill(hr_contact.email)
    page.get_by_label("Mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="À faire").wait_for()
    assert page.url == run.url + "/a-faire/"
    run.step(page, "a faire apres reinitialisation")
    run.assert_accessible()


def test_staff_invite_a_signatory_who_activates_the_account(journey, delegation_staff, commune):
    run = journey("h-invitation")
    staff = run.login(delegation_staff)
    run.goto(staff, "/compte/comptes/")
    staff.get_by_role("link", name="Inviter un référent RH ou un signataire").click()
    staff.wait_for_load_state("load")
    run.step(staff, "formulaire d'invitation")
    form = staff.locator("#account-invite-form")
    form.locator("[name='role']").select_option(label="Signataire de collectivité")
    form.locator("[name='collectivity']").fill(f"{commune.code} – {commune.name} ({commune.department.code})")
    form.locator("[name='first_name']").fill("Hélène")
    form.locator("[name='last_name']").fill("Marchand")
    form.locator("[name='email']").fill("maire@commune-e2e.example.fr")
    form.locator("[name='function']").fill("Maire")
    staff.get_by_role("button", name="Envoyer l'invitation").click()
    staff.get_by_text("Invitation envoyée à maire@commune-e2e.example.fr.").wait_for()
    run.step(staff, "invitation envoyee")

    invited = run.new_page()
    run.goto(invited, _link_sent_to("maire@commune-e2e.example.fr"))
    invited.get_by_role("heading", name="Activer votre compte").wait_for()
    run.step(invited, "activer le compte")
    invited.locator("#id_new_password1").fill(NEW_PASSWORD)
    invited.locator("#id_new_password2").fill(NEW_PASSWORD)
    invited.get_by_role("button", name="Activer mon compte").click()
    invited.get_by_role("heading", name="À faire").wait_for()
    assert invited.url == run.url + "/a-faire/"
    run.step(invited, "a faire du signataire")
    user = User.objects.get(email="maire@commune-e2e.example.fr")
    assert (user.role, user.collectivity_id, user.check_password(NEW_PASSWORD)) == ("signatory", commune.pk, True)
    run.assert_accessible()
