"""The admin's titles are those of ``PartnershipAdminSite``, on every admin page."""

import pytest
from django.contrib import admin
from django.urls import reverse

from partnership.admin_site import PartnershipAdminSite

pytestmark = pytest.mark.django_db


def test_the_titles_are_set_on_the_site_class_alone():
    reverse("admin:index")  # the URL configuration is loaded: nothing there renames the site
    assert (admin.site.site_header, admin.site.site_title, admin.site.index_title) == (
        PartnershipAdminSite.site_header,
        PartnershipAdminSite.site_title,
        PartnershipAdminSite.index_title,
    )


def test_the_admin_index_shows_the_site_s_titles(django_app, amf_staff):
    page = django_app.get(reverse("admin:index"), user=amf_staff)

    assert page.html.title.get_text(strip=True) == (
        "Accord-cadre, événements, intervenants et statistiques | Partenariat CNFPT – AMF"
    )
    assert page.html.select_one("#site-name").get_text(strip=True) == "Administration du partenariat CNFPT – AMF"
