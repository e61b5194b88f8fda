"""In development, the login page lists the demo accounts and says that every person of the demo is fictional."""

import pytest

from partnership.demo import FICTIONAL_PEOPLE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_login_page_says_the_demo_people_are_fictional(journey, settings):
    settings.SHOW_DEMO_ACCOUNTS = True
    run = journey("connexion-demo-fictive")
    page = run.new_page(phone=True)
    run.goto(page, "/connexion/")
    notice = page.locator("#demo-fictional")
    assert notice.inner_text() == FICTIONAL_PEOPLE
    assert notice.is_visible()
    run.step(page, "comptes de demonstration")
    run.assert_accessible()
