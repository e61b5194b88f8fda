import pytest
from django.db import IntegrityError, transaction

from partnership.enums import Role
from tests.factories import DEFAULT_PASSWORD, UserFactory


def test_login_with_email_and_password(client, delegation_staff):
    response = client.post("/connexion/", {"username": delegation_staff.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/a-faire/"
    assert client.session["_auth_user_id"] == str(delegation_staff.pk)


def test_login_failure_says_so_in_french(client, delegation_staff):
    response = client.post("/connexion/", {"username": delegation_staff.email, "password": "faux"})
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_is_throttled_after_repeated_failures(client, delegation_staff, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        client.post("/connexion/", {"username": delegation_staff.email, "password": "faux"})
    # Even the right password is refused while throttled.
    response = client.post("/connexion/", {"username": delegation_staff.email, "password": DEFAULT_PASSWORD})
    assert "Trop de tentatives de connexion échouées" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_successful_login_resets_failures(client, delegation_staff, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(2):
        client.post("/connexion/", {"username": delegation_staff.email, "password": "faux"})
    client.post("/connexion/", {"username": delegation_staff.email, "password": DEFAULT_PASSWORD})
    client.logout()
    for _ in range(2):
        client.post("/connexion/", {"username": delegation_staff.email, "password": "faux"})
    response = client.post("/connexion/", {"username": delegation_staff.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302


def test_passwords_are_hashed_with_argon2(delegation_staff):
    assert delegation_staff.password.startswith("argon2")


@pytest.mark.django_db
def test_user_roles_enforce_scope_in_database():

    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(role=Role.DELEGATION_STAFF, delegation=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(role=Role.SIGNATORY, collectivity=None)
