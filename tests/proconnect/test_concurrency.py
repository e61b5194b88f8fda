"""Two deciders at once, two forms sent at once: the database decides, one wins, the other is told (PostgreSQL)."""

import pytest
from django.core.exceptions import ValidationError

from partnership.enums import AccessRequestAudience, AccessRequestStatus
from partnership.models import AccessRequest, ProConnectIdentity, User
from partnership.proconnect.errors import VerifiedIdentity
from partnership.proconnect.services import access_request_accept, access_request_create, access_request_refuse
from tests.concurrency import run_concurrently

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def test_accepting_and_refusing_at_once_decides_once(commune, delegation_staff, national_staff):
    request = AccessRequest.objects.create(
        sub="sub-course",
        email="course@mairie.example",
        first_name="C",
        last_name="Course",
        siret=commune.siren + "00017",
        audience=AccessRequestAudience.COLLECTIVITY,
        collectivity=commune,
        function="DRH",
    )

    _results, errors = run_concurrently(
        [
            lambda: access_request_accept(actor=delegation_staff, access_request=request),
            lambda: access_request_accept(actor=national_staff, access_request=request),
            lambda: access_request_refuse(actor=national_staff, access_request=request, reason="Non."),
        ]
    )

    refused = [error for error in errors if error is not None]
    assert len(refused) == 2 and all(isinstance(error, ValidationError) for error in refused)
    request.refresh_from_db()
    assert request.status in (AccessRequestStatus.ACCEPTED, AccessRequestStatus.REFUSED)
    expected_accounts = 1 if request.status == AccessRequestStatus.ACCEPTED else 0
    assert User.objects.filter(email="course@mairie.example").count() == expected_accounts
    assert ProConnectIdentity.objects.filter(sub="sub-course").count() == expected_accounts


def test_the_same_request_sent_twice_at_once_is_recorded_once(commune):
    identity = VerifiedIdentity(
        sub="sub-double",
        email="double@mairie.example",
        given_name="D",
        usual_name="Double",
        siret=commune.siren + "00017",
    )

    _results, errors = run_concurrently(
        [lambda: access_request_create(identity=identity, function="DRH", ip="10.0.0.1") for _ in range(3)]
    )

    assert AccessRequest.objects.filter(sub="sub-double").count() == 1
    assert sorted(error.code for error in errors if error is not None) == ["pending", "pending"]
