"""A delegation agent who types /admin/ sees the French « Accès refusé » page, on a desktop and on a phone."""

import pytest

from tests.e2e.login import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("phone", [False, True], ids=["bureau", "telephone"])
def test_admin_shows_the_french_403_to_a_logged_in_agent(journey, delegation_staff, phone):
    run = journey(f"admin-403-{'telephone' if phone else 'bureau'}")
    page = log_in(run, delegation_staff, phone=phone)

    # Before: /admin/ and /admin/login/?next=/admin/ sent the browser to each other (ERR_TOO_MANY_REDIRECTS).
    response = page.goto(run.url + "/admin/")

    assert (response.status, page.url) == (403, run.url + "/admin/")
    assert page.get_by_role("heading", level=1).inner_text() == "Accès refusé"
    run.step(page, "admin refuse")
    page.get_by_role("link", name="Revenir à votre page « À faire »").click()
    page.wait_for_load_state("load")
    assert page.url == run.url + "/a-faire/"
    run.assert_accessible()
