"""Each role sees its own navigation; the admin is reserved to AMF (and national) staff.

The menu and the pages ask the same gates: an entry shows exactly when its page opens.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import resolve, reverse

from agreements.demo_framework import seed_framework_agreement
from agreements.models import CollaborationAxis
from partnership import permissions
from partnership.permissions import MENU, navigation_for
from partnership.viewutils import gate_of
from tests.conftest import PERSONAS


@pytest.mark.parametrize("entry", MENU, ids=lambda entry: entry.label)
def test_each_menu_entry_asks_the_gate_its_page_declares(entry):
    if entry.url_name == "admin:index":
        # Django's admin asks ``PartnershipAdminSite.has_permission``, which asks this gate.
        assert entry.gate is permissions.can_use_admin
    else:
        assert gate_of(resolve(reverse(entry.url_name)).func) is entry.gate


@pytest.mark.parametrize("name", ["anonymous", *PERSONAS])
def test_an_entry_shows_exactly_when_its_page_opens(db, persona, name):
    user = persona(name) or AnonymousUser()
    client = Client()
    if user.is_authenticated:
        client.force_login(user)
    opened = {reverse(entry.url_name) for entry in MENU if client.get(reverse(entry.url_name)).status_code == 200}
    assert {url for url, _label in navigation_for(user)} == opened


def _labels(user):
    return [label for _url, label in navigation_for(user)]


@pytest.mark.parametrize(
    ("name", "expected_admin"),
    [
        ("national_staff", False),
        ("delegation_staff", False),
        ("amf_staff", True),
        ("signatory", False),
        ("hr_contact", False),
        ("speaker_user", False),
    ],
)
def test_admin_entry_only_for_amf_staff(persona, name, expected_admin):
    assert ("Administration" in _labels(persona(name))) is expected_admin


def test_anonymous_navigation(db):
    labels = _labels(AnonymousUser())
    assert labels[0] == "Accueil"
    assert "Administration" not in labels
    assert "Événements" in labels


def test_home_page_shows_role_and_scope(client, delegation_staff):
    client.force_login(delegation_staff)
    response = client.get("/")
    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in content
    assert "Aller au contenu principal" in content
    assert str(delegation_staff.delegation) in content
    assert "Agent de délégation régionale CNFPT" in content


def test_about_page_attributes_the_data(client, db):
    content = client.get("/a-propos/").content.decode()
    assert "Licence Ouverte" in content
    assert "INSEE" in content and "DGCL" in content and "La Poste" in content
    assert "36&nbsp;209 adhérents" in content


def test_admin_refuses_non_amf_staff(client, delegation_staff):
    delegation_staff.is_staff = True
    delegation_staff.save(update_fields=["is_staff"])
    client.force_login(delegation_staff)
    response = client.get("/admin/")
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_admin_amf_staff_reads_directory_but_cannot_change_it(client, amf_staff, commune):
    client.force_login(amf_staff)
    assert client.get("/admin/").status_code == 200
    assert client.get(f"/admin/partnership/commune/{commune.pk}/change/").status_code == 200
    response = client.post(f"/admin/partnership/commune/{commune.pk}/change/", {"name": "Autre nom"})
    assert response.status_code == 403
    commune.refresh_from_db()
    assert commune.name != "Autre nom"


def test_admin_amf_staff_changes_axes(client, amf_staff):
    agreement = seed_framework_agreement()
    axis = agreement.axes.get(number=3)
    client.force_login(amf_staff)
    response = client.post(
        f"/admin/agreements/collaborationaxis/{axis.pk}/change/",
        {"agreement": agreement.pk, "number": 3, "title": axis.title, "description": "Tableaux de bord partagés"},
    )
    assert response.status_code == 302
    assert CollaborationAxis.objects.get(pk=axis.pk).description == "Tableaux de bord partagés"


@pytest.mark.parametrize("name", PERSONAS)
def test_the_personal_pages_of_the_utility_bar_are_shown_to_those_who_have_them(db, persona, name):
    """« Mes rappels », « Mes exports » and « Mes imports » are reached from every page (not only from the
    statistics page or an import form); « Mes imports » only for those who can send a file to an import."""
    user = persona(name)
    client = Client()
    client.force_login(user)
    page = client.get(reverse("account")).content.decode()
    shown = {label for url, label in permissions.personal_links_for(user) if f'href="{url}"' in page}
    expected = {"Mes rappels", "Mes exports"} | ({"Mes imports"} if permissions.can_import_files(user) else set())
    assert shown == expected
    assert {client.get(url).status_code for url, _label in permissions.personal_links_for(user)} == {200}


def test_an_hr_contact_has_mes_imports_and_a_signatory_does_not(hr_contact, signatory):
    assert "Mes imports" in [label for _url, label in permissions.personal_links_for(hr_contact)]
    assert "Mes imports" not in [label for _url, label in permissions.personal_links_for(signatory)]
