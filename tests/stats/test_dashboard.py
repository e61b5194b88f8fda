"""The public dashboard: national figures for everyone, a delegation filter for staff, constant queries."""

import html
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import EventRegistration
from stats import registry
from stats.datasets import STRING, Column, Dataset, Placement
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

URL = reverse("stats:dashboard")


def _figure(page: str, label: str) -> str:
    match = re.search(rf"<dt>{label}</dt><dd class=\"stat-figure\">([^<]*)</dd>", page)
    return match.group(1) if match else ""


def test_dashboard_is_public_and_shows_national_figures(client, world):
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert _figure(page, "Contrats en vigueur") == "3"
    assert _figure(page, "Communes couvertes") == "4"
    assert "66,7 % des 6 communes" in page
    assert _figure(page, "Participants aux événements") == "3"
    assert response.context["delegation_id"] is None
    assert not response.context["can_filter"]
    assert "<caption>Nombre de contrats de partenariat par statut (hors brouillons)</caption>" in page
    # Anonymous visitors get no export buttons.
    assert reverse("stats:export_create") not in page


def test_dashboard_contains_no_personal_data_nor_inline_code(client, world):
    page = client.get(URL).content.decode()
    for registration in EventRegistration.objects.all():
        assert registration.email not in page
        assert registration.last_name not in page
    assert 'style="' not in page
    assert "<script>" not in page


def test_delegation_staff_narrow_the_dashboard_to_their_delegation(client, world, delegation_staff):
    client.force_login(delegation_staff)
    response = client.get(URL, {"delegation": world.delegation.pk})
    page = response.content.decode()
    assert response.context["delegation_id"] == world.delegation.pk
    assert f"Statistiques du partenariat – {world.delegation.name}" in page
    assert _figure(page, "Contrats en vigueur") == "2"
    assert _figure(page, "Communes couvertes") == "3"
    assert "75,0 % des 4 communes" in page
    assert [row["code"] for row in response.context["data"]["contracts_by_delegation"]] == [world.delegation.code]
    assert response.context["form"].fields["delegation"].choices == [
        ("", "France entière"),
        (world.delegation.pk, world.delegation.name),
    ]


def test_delegation_staff_cannot_see_another_delegation(client, world, delegation_staff):
    client.force_login(delegation_staff)
    response = client.get(URL, {"delegation": world.other_delegation.pk})
    assert response.context["delegation_id"] is None
    assert "Vous ne pouvez consulter que les chiffres de votre délégation." in response.content.decode()
    assert _figure(response.content.decode(), "Contrats en vigueur") == "3"


def test_national_staff_may_pick_any_delegation(client, world, national_staff):
    client.force_login(national_staff)
    response = client.get(URL, {"delegation": world.other_delegation.pk})
    assert response.context["delegation_id"] == world.other_delegation.pk
    assert _figure(response.content.decode(), "Contrats en vigueur") == "1"


def test_anonymous_filter_is_ignored(client, world):
    response = client.get(URL, {"delegation": world.delegation.pk})
    assert response.context["delegation_id"] is None


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _participants(response) -> int:
    return int(_figure(response.content.decode(), "Participants aux événements"))


def test_dashboard_query_count_does_not_grow_with_the_data(client, world, grow):
    shown = assert_constant_queries(client, URL, lambda: grow(world, 4), rows=_participants, queries=23)
    assert shown == (3, 7)


def test_dashboard_query_count_for_delegation_staff(client, world, grow, delegation_staff):
    client.force_login(delegation_staff)
    url = f"{URL}?delegation={world.delegation.pk}"
    assert_constant_queries(client, url, lambda: grow(world, 4), rows=_participants)


def test_dashboard_figures_are_cached_for_a_while(client, world, settings):
    settings.STATS_CACHE_SECONDS = 300
    cache.clear()
    first = _count(client, URL)
    page = client.get(URL).content
    assert _count(client, URL) < first  # served from the cache
    assert client.get(URL).content == page
    cache.clear()
    assert _count(client, URL) == first


def _tables(page: str) -> list[str]:
    """The captions of the page's tables, in the order a reader meets them."""
    return [html.unescape(caption) for caption in re.findall(r"<caption>([^<]*)</caption>", page)]


def test_every_indicator_of_the_registry_is_on_the_dashboard_once(client, world, delegation_staff):
    for user in (None, delegation_staff):
        if user:
            client.force_login(user)
        page = client.get(URL).content.decode()
        expected = [dataset.caption or dataset.label for dataset in registry.INDICATORS]
        assert sorted(_tables(page)) == sorted(expected)
        # Each with its export buttons for a signed-in user, none for the public.
        buttons = re.findall(r'<input type="hidden" name="dataset" value="([a-z_]+)">', page)
        if user:
            assert sorted(buttons) == sorted(dataset.key for dataset in registry.INDICATORS)
        else:
            assert buttons == []


def test_the_dashboard_reads_its_sections_from_the_registry(client, world, monkeypatch):
    """An indicator declared in the registry, with its place, is on the page: nothing else to wire."""
    extra = Dataset(
        "meetings_by_kind",
        "Réunions par type",
        "Réunions tenues, par type.",
        (Column("label", "Type", "Type de réunion.", STRING), Column("count", "Réunions", "Réunions tenues.")),
        lambda *, delegation_id=None: [{"label": "Comité de pilotage", "count": 1234}],
        caption="Réunions tenues, par type",
        dashboard=Placement(2, "Réunions du partenariat", note="Comités de pilotage et réunions techniques."),
    )
    monkeypatch.setattr(registry, "INDICATORS", (*registry.INDICATORS, extra))
    page = client.get(URL).content.decode()
    axis_2 = page[page.index('<section id="axe-2"') : page.index('<section id="axe-3"')]
    assert _tables(axis_2) == [
        "Événements publiés, participants (inscriptions confirmées), présents et satisfaction, par type",
        "Réunions tenues, par type",
    ]
    assert '<h3 class="h5 mt-4">Réunions du partenariat</h3>' in axis_2
    assert '<p class="small text-body-secondary">Comités de pilotage et réunions techniques.</p>' in axis_2
    assert '<tr><th scope="row">Comité de pilotage</th><td class="text-end">1\xa0234</td></tr>' in axis_2
