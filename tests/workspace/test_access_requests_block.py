"""The « Demandes d'accès » block of « À faire » (``partnership/todo.py``): the requests waiting for the user's
decision, counted in the menu's badge; shown empty only where ProConnect can bring some."""

import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from partnership.enums import AccessRequestAudience
from partnership.models import AccessRequest
from workspace.selectors import todo_count

pytestmark = pytest.mark.django_db


def _request(commune, sub: str) -> AccessRequest:
    return AccessRequest.objects.create(
        sub=sub,
        email=f"{sub}@mairie.example",
        first_name="Rose",
        last_name="Référente",
        siret=commune.siren + "00017",
        audience=AccessRequestAudience.COLLECTIVITY,
        collectivity=commune,
        function="DRH",
    )


def _block(client, user):
    client.force_login(user)
    page = BeautifulSoup(client.get(reverse("todo")).content, "html.parser")
    for section in page.select("section.todo-block"):
        if section.select_one("h2 span").get_text() == "Demandes d'accès":
            return section
    return None


def test_a_pending_request_is_listed_and_counted_for_the_delegation_covering_it(
    client, commune, delegation_staff, national_staff
):
    before = todo_count(delegation_staff)
    request = _request(commune, "sub-rose")

    section = _block(client, delegation_staff)
    link = section.select_one("a[href]")
    assert link["href"] == reverse("access_request_detail", args=[request.pk])
    assert " ".join(link.get_text().split()) == f"Rose Référente – {commune.name}"
    assert todo_count(delegation_staff) == before + 1
    # National staff decide the CNFPT's and the AMF's requests; a commune's waits for its delegation.
    assert _block(client, national_staff) is None


def test_the_empty_block_shows_only_where_proconnect_can_bring_requests(client, delegation_staff, settings):
    assert _block(client, delegation_staff) is None
    settings.PROCONNECT_ISSUER = "https://proconnect.example/api/v2"
    settings.PROCONNECT_CLIENT_ID = "client"
    settings.PROCONNECT_CLIENT_SECRET = "secret"
    section = _block(client, delegation_staff)
    assert re.sub(r"\s+", " ", section.select_one("p").get_text()).strip() == "Aucune demande d'accès en attente."
