"""Response headers and CSRF: what a browser is told, and what a forged cross-site form gets."""

import re

import pytest
from django.test import Client

from agreements.models import PartnershipContract
from events.models import EventRegistration
from tests.agreements.signing_helpers import portal, verify_identity
from tests.factories import DEFAULT_PASSWORD
from trainings.models import Registration


def _directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part}


@pytest.mark.parametrize("path", ["/", "/connexion/", "/evenements/", "/verification/"])
def test_pages_send_security_headers(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy.get("default-src", [])
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_templates_hold_no_inline_script(client, db):
    """The CSP allows no inline script: a template that adds one would break silently in browsers."""
    for path in ("/", "/connexion/", "/evenements/", "/verification/", "/a-propos/"):
        body = client.get(path).content.decode()
        inline = [tag for tag in re.findall(r"<script\b[^>]*>", body) if "src=" not in tag]
        handlers = re.findall(r"\son[a-z]+\s*=\s*[\"']", body)
        assert (inline, handlers) == ([], []), path


def test_signing_document_may_be_framed_by_the_portal_only(world, django_capture_on_commit_callbacks):
    """The PDF shown in the signing page's iframe: framable by the site itself, by nobody else."""
    mayor = Client()
    email = world.signature_request.signer_email
    verify_identity(mayor, world.token, email, django_capture_on_commit_callbacks)
    response = mayor.get(portal(world.token, "document"))
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert _directives(response["Content-Security-Policy"])["frame-ancestors"] == ["'self'"]


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def test_login_without_csrf_token_is_refused(csrf_client, delegation_staff):
    response = csrf_client.post("/connexion/", {"username": delegation_staff.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in csrf_client.session


def test_login_with_csrf_token_succeeds(csrf_client, delegation_staff):
    csrf_client.get("/connexion/")
    token = csrf_client.cookies["csrftoken"].value
    response = csrf_client.post(
        "/connexion/",
        {"username": delegation_staff.email, "password": DEFAULT_PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert (response.status_code, response["Location"]) == (302, "/a-faire/")


def test_state_changes_without_csrf_token_are_refused(csrf_client, world, delegation_staff):
    counts = (PartnershipContract.objects.count(), Registration.objects.count(), EventRegistration.objects.count())
    csrf_client.force_login(delegation_staff)
    forged = {
        "/contrats/nouveau/": {"title": "Contrat forgé"},
        f"/contrats/{world.contract.pk}/envoyer-a-la-signature/": {},
        f"/contrats/{world.contract.pk}/resilier/": {"reason": "x", "on_date": "2027-01-01"},
        f"/formations/sessions/{world.session.pk}/inscrire/": {
            "first_name": "A",
            "last_name": "B",
            "email": "forge@example.fr",
            "category": "C",
            "employer": world.session.venue.code,
        },
        f"/evenements/{world.event.pk}/": {"first_name": "A", "last_name": "B", "email": "forge@example.fr"},
        "/deconnexion/": {},
    }
    assert {path: csrf_client.post(path, data).status_code for path, data in forged.items()} == dict.fromkeys(
        forged, 403
    )
    anonymous = Client(enforce_csrf_checks=True)
    public = [portal(world.token, "send_code"), portal(world.token, "sign"), "/verification/"]
    assert [anonymous.post(path).status_code for path in public] == [403, 403, 403]
    assert counts == (
        PartnershipContract.objects.count(),
        Registration.objects.count(),
        EventRegistration.objects.count(),
    )
    assert world.signature_request.__class__.objects.get(pk=world.signature_request.pk).codes_sent == 0
