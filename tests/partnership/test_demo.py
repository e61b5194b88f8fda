"""The demo: real territorial data, one account per role, each with its own navigation; idempotent."""

import pytest
from django.core.management import call_command

from agreements.enums import ContractStatus
from agreements.models import PartnershipContract
from partnership.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, seed
from partnership.models import User
from tests.helpers import text


@pytest.fixture
def demo(db, settings, django_capture_on_commit_callbacks):
    call_command("import_territories", verbosity=0)
    with django_capture_on_commit_callbacks(execute=True):
        seed()


def _counts():
    from django.apps import apps

    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_seed_is_idempotent(demo, django_capture_on_commit_callbacks):
    before = _counts()
    with django_capture_on_commit_callbacks(execute=True):
        seed()
    assert _counts() == before


def test_demo_has_contracts_in_every_state(demo):
    states = set(PartnershipContract.objects.values_list("status", flat=True))
    assert states == set(ContractStatus.values)


EXPECTED_MENU = {
    "national": {"Contrats", "Formations", "Événements", "Intervenants", "Stages et études", "Statistiques"},
    "delegation": {"Contrats", "Formations", "Événements", "Intervenants", "Stages et études", "Statistiques"},
    "amf": {
        "Contrats",
        "Formations",
        "Événements",
        "Intervenants",
        "Stages et études",
        "Statistiques",
        "Administration",
    },
    "signatory": {"Mes contrats", "Formations", "Événements", "Statistiques"},
    "hr": {"Formations", "Événements", "Statistiques"},
    "speaker": {"Mon profil d'intervenant", "Formations", "Événements", "Statistiques"},
}
ALL_ENTRIES = set().union(*EXPECTED_MENU.values())


def test_each_demo_account_logs_in_and_sees_its_menu(client, demo):
    # One test for all accounts: the demo fixture (import + seed) is the slow part.
    import re

    for account in (a for a in DEMO_ACCOUNTS if a.key in EXPECTED_MENU):
        response = client.post("/connexion/", {"username": account.email, "password": DEMO_PASSWORD}, follow=True)
        page = text(response)
        assert response.wsgi_request.user == User.objects.get(email=account.email)
        menu = re.search(r'<ul class="navbar-nav[^"]*">(.*?)</ul>', page, re.S).group(1)
        labels = {label.strip() for label in re.findall(r'<a class="nav-link[^"]*"[^>]*>([^<]+)</a>', menu)}
        assert labels & ALL_ENTRIES == EXPECTED_MENU[account.key], account.key
        # Every entry of the menu opens for this account.
        for href in re.findall(r'<a class="nav-link[^"]*" href="([^"]+)"', menu):
            assert client.get(href).status_code == 200, (account.key, href)
        client.logout()
