"""Demo accounts, whose password is published in the repository, never log in when DEBUG is off."""

import pytest

from partnership.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from partnership.enums import Role
from tests.factories import DEFAULT_PASSWORD, UserFactory

DEMO_EMAIL = DEMO_ACCOUNTS[1].email  # the regional adviser


@pytest.fixture
def production(settings):
    settings.DEMO_ACCOUNTS_CAN_LOG_IN = False


def _log_in(django_app, url, email, password):
    form = django_app.get(url).forms[0]
    form["username"] = email
    form["password"] = password
    return form.submit()


@pytest.mark.parametrize("password", [DEMO_PASSWORD, DEFAULT_PASSWORD])
def test_demo_account_cannot_log_in_in_production_whatever_its_password(django_app, db, production, password):
    UserFactory(email=DEMO_EMAIL, password=password, role=Role.NATIONAL_STAFF)
    response = _log_in(django_app, "/connexion/", DEMO_EMAIL, password)
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect." in response.text
    assert "_auth_user_id" not in django_app.session


def test_demo_account_cannot_reach_the_admin_in_production(django_app, db, production):
    UserFactory(email=DEMO_ACCOUNTS[4].email, password=DEMO_PASSWORD, is_staff=True, role=Role.AMF_STAFF)
    response = _log_in(django_app, "/admin/login/", DEMO_ACCOUNTS[4].email, DEMO_PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in django_app.session


def test_published_password_is_refused_for_any_account_in_production(django_app, db, production):
    user = UserFactory(email="conseillere@cnfpt.fr", password=DEMO_PASSWORD, role=Role.NATIONAL_STAFF)
    response = _log_in(django_app, "/connexion/", user.email, DEMO_PASSWORD)
    assert "Adresse e-mail ou mot de passe incorrect." in response.text
    assert "_auth_user_id" not in django_app.session


def test_demo_account_session_stops_working_in_production(client, db, settings):
    user = UserFactory(email=DEMO_EMAIL, role=Role.NATIONAL_STAFF)
    client.force_login(user, backend="partnership.auth.AccountBackend")
    assert client.get("/contrats/").status_code == 200
    settings.DEMO_ACCOUNTS_CAN_LOG_IN = False
    response = client.get("/contrats/")
    assert (response.status_code, response["Location"]) == (302, "/connexion/?next=/contrats/")


def test_demo_account_logs_in_in_development(django_app, db, settings):
    settings.DEMO_ACCOUNTS_CAN_LOG_IN = True
    user = UserFactory(email=DEMO_EMAIL, password=DEMO_PASSWORD, role=Role.NATIONAL_STAFF)
    response = _log_in(django_app, "/connexion/", DEMO_EMAIL, DEMO_PASSWORD)
    assert response.status_code == 302
    assert django_app.session["_auth_user_id"] == str(user.pk)


def test_real_account_still_logs_in_in_production(django_app, db, production):
    user = UserFactory(email="conseillere@cnfpt.fr", role=Role.NATIONAL_STAFF)
    response = _log_in(django_app, "/connexion/", user.email, DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert django_app.session["_auth_user_id"] == str(user.pk)
