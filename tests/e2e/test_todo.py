"""« À faire » in Chromium, on a desktop and on a 390 px phone: a new HR contact, with no agent registered yet,
is pointed to the training catalogue and follows the link; the délégué(e) sees the sheets to take, and the
menu's badge says as many as the page lists."""

import re

import pytest

from partnership.enums import Role
from tests.factories import UserFactory
from tests.trainings.factories import RegistrationFactory, SessionFactory, TrainingActionFactory, in_days

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _block(page, title: str):
    return page.locator("section.todo-block", has=page.get_by_role("heading", name=re.compile(f"^{title}")))


def test_a_new_hr_contact_is_pointed_to_the_catalogue(journey, other_hr_contact, delegation, other_commune):
    """``other_hr_contact`` has no agent registered anywhere: every block of theirs is empty."""
    title = "Gestes et postures au travail"
    SessionFactory(
        action=TrainingActionFactory(delegation=delegation, title=title), venue=other_commune, start_date=in_days(20)
    )
    run = journey("a-faire-nouveau-referent-rh")
    for phone in (False, True):
        device = "telephone" if phone else "bureau"
        page = run.login(other_hr_contact, phone=phone)
        coming = _block(page, "Prochaines sessions de vos agents")
        assert coming.locator("p").first.inner_text() == "Aucun de vos agents n'est inscrit à une session à venir."
        run.step(page, f"a faire {device}")

        coming.get_by_role("link", name=re.compile("^Inscrire vos agents.: le catalogue des formations$")).click()
        page.wait_for_load_state("load")
        assert page.url == run.url + "/formations/"
        assert page.get_by_role("link", name=re.compile(title)).count() >= 1
        run.step(page, f"catalogue {device}")
    run.assert_accessible()


def test_the_delegate_sees_the_sheets_to_take_and_the_badge_agrees(journey, delegation, commune):
    delegate = UserFactory(role=Role.DELEGATION_STAFF, delegation=delegation, function="Déléguée régionale")
    for days_ago in (3, 9):
        session = SessionFactory(
            action=TrainingActionFactory(delegation=delegation, title=f"Accueil du public (J-{days_ago})"),
            venue=commune,
            start_date=in_days(-days_ago),
        )
        RegistrationFactory(session=session, employer=commune)
    run = journey("a-faire-delegue")
    for phone in (False, True):
        device = "telephone" if phone else "bureau"
        page = run.login(delegate, phone=phone)
        # The work comes first, above the blocks with nothing waiting.
        assert page.locator("main h2").first.inner_text().startswith("Émargement à saisir")
        sheets = _block(page, "Émargement à saisir")
        assert sheets.locator("li").count() == 2
        assert sheets.locator("li").first.inner_text().startswith("Accueil du public (J-9)")
        # The délégué(e) has nothing to countersign: the block says so, and where to follow the signatures.
        assert (
            _block(page, "Contrats à contresigner")
            .get_by_role("link", name="Suivre les contrats en cours de signature")
            .count()
            == 1
        )
        badge = page.locator('a.nav-link[href="/a-faire/"] .badge').text_content()
        assert badge.startswith("2")
        run.step(page, f"a faire {device}")

        sheets.get_by_role("link", name=re.compile("J-9")).click()
        page.wait_for_load_state("load")
        assert re.search(r"/formations/sessions/\d+/emargement/$", page.url)
        run.step(page, f"feuille d'emargement {device}")
    run.assert_accessible()
