"""« Mon compte » shows the ProConnect link and lets its owner remove it (after a confirmation)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partnership.models import ProConnectIdentity
from tests.proconnect.conftest import location_path, messages_of


@pytest.fixture
def linked(hr_contact):
    return ProConnectIdentity.objects.create(
        user=hr_contact,
        sub="sub-compte",
        siret="21010001200017",
        linked_at=timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 30)),
    )


def test_the_account_page_shows_the_link(client, linked, settings):
    settings.PROCONNECT_ISSUER = ""  # shown even once ProConnect is no longer configured: the link still exists
    client.force_login(linked.user)

    page = client.get(reverse("account")).content.decode()

    assert (
        "Votre compte est relié à une identité ProConnect depuis le 2 mars 2026 (SIRET 210\u00a0100\u00a0012\u00a000017)."
        in page
    )
    assert f'action="{reverse("proconnect_unlink")}"' in page


def test_unlinking_asks_first_then_removes_the_link(client, linked):
    client.force_login(linked.user)

    confirmation = client.post(reverse("proconnect_unlink"))
    assert confirmation.status_code == 200
    assert "Retirer le lien avec ProConnect\u00a0?" in confirmation.content.decode()
    assert ProConnectIdentity.objects.count() == 1

    response = client.post(reverse("proconnect_unlink"), {"confirmation": "oui"})

    assert location_path(response) == reverse("account")
    assert messages_of(response) == ["Le lien entre votre compte et ProConnect est retiré."]
    assert ProConnectIdentity.objects.count() == 0
    page = client.get(reverse("account")).content.decode()
    assert "Votre compte est relié" not in page


def test_unlinking_without_a_link_says_so(client, hr_contact, settings):
    settings.PROCONNECT_ISSUER = "http://127.0.0.1:9/api/v2"
    settings.PROCONNECT_CLIENT_ID, settings.PROCONNECT_CLIENT_SECRET = "client", "secret"
    client.force_login(hr_contact)

    response = client.post(reverse("proconnect_unlink"), {"confirmation": "oui"})

    assert messages_of(response) == ["Votre compte n'est relié à aucune identité ProConnect."]
    assert (
        "Votre compte n'est relié à aucune identité ProConnect. Identifiez-vous une fois"
        in client.get(reverse("account")).content.decode()
    )


def test_one_cannot_unlink_someone_else(client, linked, other_hr_contact):
    client.force_login(other_hr_contact)

    client.post(reverse("proconnect_unlink"), {"confirmation": "oui"})

    assert ProConnectIdentity.objects.get() == linked
