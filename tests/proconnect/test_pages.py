"""ProConnect's public doors, configured, for every persona: none lets anyone in by itself.

(The access matrix, run without ``PROCONNECT_*``, declares them absent: 404.)
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PERSONAS
from tests.proconnect.conftest import location_path


@pytest.mark.parametrize("name", ["anonymous", *PERSONAS])
def test_proconnect_s_doors_for_every_persona(name, persona, db, proconnect):
    user = persona(name)
    client = Client()
    if user is not None:
        client.force_login(user)

    button = client.post(reverse("proconnect_login"))
    forged = client.get(reverse("proconnect_callback"), {"code": "x", "state": "y"})
    ask = client.get(reverse("proconnect_access_request"))
    back = client.get(reverse("proconnect_logout_callback"), {"state": "x"})

    assert button["Location"].startswith(proconnect.issuer + "/auth?")
    assert location_path(forged) == reverse("login")
    assert location_path(ask) == reverse("login")
    assert back["Location"] == reverse("home")
    # Whoever was logged in stays so, and no one else is.
    assert client.session.get("_auth_user_id") == (str(user.pk) if user else None)
