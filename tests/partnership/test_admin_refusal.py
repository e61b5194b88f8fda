"""A logged-in user who may not use the admin gets the French 403, never a redirect loop through the admin's login."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["delegation_staff", "national_staff", "signatory", "hr_contact", "speaker_user"])
def test_admin_refuses_a_logged_in_user_who_is_not_amf_staff(persona, name):
    client = Client()
    client.force_login(persona(name))

    # What the browser did: follow the admin's redirects. Before, /admin/ → /admin/login/?next=/admin/ → /admin/ …
    response = client.get(reverse("admin:index"), follow=True)

    assert response.status_code == 403
    assert response.redirect_chain == []
    assert "Accès refusé" in response.content.decode()
    from_login = client.get(reverse("admin_login") + "?next=/admin/", follow=True)
    assert (from_login.status_code, from_login.redirect_chain) == (403, [("/admin/", 302)])


def test_admin_still_sends_a_visitor_to_its_login_page():
    response = Client().get(reverse("admin:index"))

    assert (response.status_code, response["Location"]) == (302, "/admin/login/?next=/admin/")


def test_admin_logout_of_a_refused_user_is_not_a_403(persona):
    client = Client()
    client.force_login(persona("delegation_staff"))

    response = client.post(reverse("admin:logout"))

    assert response.status_code == 302
