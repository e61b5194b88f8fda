"""At 390 px, no page of the application scrolls sideways.

Every HTML page of the access matrix is opened in a phone-sized Chromium by a persona allowed to see
it (the fuzzing's choice, ``PAGES``), on the matrix's objects (``world``: one of each). A wide table
scrolls in its own frame; nothing else may be wider than the screen. A visually hidden label in a
table, for one, used to escape its frame and widen the page.
"""

from collections import defaultdict

import pytest

from tests.e2e.conftest import PHONE
from tests.factories import DEFAULT_PASSWORD
from tests.security.conftest import world  # noqa: F401 (the access matrix's objects, as a fixture here)
from tests.security.test_fuzz_everything import PAGES

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_no_page_scrolls_sideways_on_a_phone(journey, world, persona):  # noqa: F811
    run = journey("largeur-telephone")
    by_visitor = defaultdict(list)
    for param in PAGES:
        check, visitor = param.values
        by_visitor[visitor].append(check.url(world))
    too_wide, opened = [], 0
    for visitor, urls in by_visitor.items():
        page = run.new_page(phone=True)
        user = persona(visitor)
        if user is not None:
            run.goto(page, "/connexion/")
            page.get_by_label("Adresse e-mail").fill(user.email)
            page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
            page.get_by_role("button", name="Se connecter").click()
            page.wait_for_load_state("load")
        for url in urls:
            # Asked first with the page's cookies: a PDF or a CSV would start a download, not a page.
            head = page.request.get(run.url + url, max_redirects=0)
            if head.status != 200 or not head.headers.get("content-type", "").startswith("text/html"):
                continue
            if "<html" not in head.text():  # a fragment for htmx, not a page
                continue
            page.goto(run.url + url)
            opened += 1
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide.append(f"{url} ({visitor}) : {width} px")
        page.goto("about:blank")  # nothing left in flight when the database is emptied after the test
    assert opened >= 60, "la matrice d'accès n'ouvre presque plus de pages ?"
    assert too_wide == []
