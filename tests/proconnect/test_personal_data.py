"""The personal data of ProConnect logins and access requests: declared, shown, and not kept forever."""

import datetime

from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from partnership import personal_data
from partnership.enums import AccessRequestAudience, AccessRequestStatus
from partnership.models import AccessRequest, User
from partnership.proconnect.personal_data import access_requests_apply_retention
from partnership.proconnect.services import access_request_accept, access_request_refuse

NOW = timezone.make_aware(datetime.datetime(2027, 6, 1, 12, 0))


def _request(commune, sub, *, made_days_ago: int) -> AccessRequest:
    return AccessRequest.objects.create(
        sub=sub,
        email=f"{sub}@mairie.example",
        first_name="P",
        last_name=sub,
        siret=commune.siren + "00017",
        audience=AccessRequestAudience.COLLECTIVITY,
        collectivity=commune,
        function="DRH",
        created_at=NOW - datetime.timedelta(days=made_days_ago),
    )


def test_decided_and_forgotten_requests_go_after_the_retention_period_and_accounts_stay(
    commune, delegation_staff, settings
):
    settings.ACCESS_REQUEST_RETENTION_DAYS = 365
    old_refused = _request(commune, "ancienne-refusee", made_days_ago=400)
    access_request_refuse(actor=delegation_staff, access_request=old_refused, reason="Non.")
    AccessRequest.objects.filter(pk=old_refused.pk).update(decided_at=NOW - datetime.timedelta(days=366))
    old_accepted = _request(commune, "ancienne-acceptee", made_days_ago=400)
    account = access_request_accept(actor=delegation_staff, access_request=old_accepted)
    AccessRequest.objects.filter(pk=old_accepted.pk).update(decided_at=NOW - datetime.timedelta(days=366))
    recent_decision = _request(commune, "decidee-recemment", made_days_ago=400)
    access_request_refuse(actor=delegation_staff, access_request=recent_decision, reason="Non.")
    AccessRequest.objects.filter(pk=recent_decision.pk).update(decided_at=NOW - datetime.timedelta(days=364))
    _request(commune, "oubliee", made_days_ago=366)
    _request(commune, "en-attente", made_days_ago=10)

    assert access_requests_apply_retention(now=NOW) == 3
    assert access_requests_apply_retention(now=NOW) == 0
    # The daily job runs it (``partnership.personal_data``): nothing left to delete.
    assert personal_data.personal_data_apply_retention(now=NOW)["access_requests"] == 0

    assert set(AccessRequest.objects.values_list("sub", flat=True)) == {"decidee-recemment", "en-attente"}
    assert User.objects.filter(pk=account.pk).exists()
    assert AccessRequest.objects.get(sub="en-attente").status == AccessRequestStatus.PENDING


def test_the_personal_data_page_names_proconnect_and_the_access_requests(client, db):
    page = client.get(reverse("personal_data")).content.decode()

    assert "Connexion avec ProConnect" in page
    assert "1 an après la décision (ou la demande restée sans décision), puis suppression automatique" in page


def test_the_daily_retention_job_deletes_the_expired_requests(commune, settings):
    settings.ACCESS_REQUEST_RETENTION_DAYS = 365
    _request(commune, "oubliee", made_days_ago=366)
    _request(commune, "en-attente", made_days_ago=10)

    assert personal_data.personal_data_apply_retention(now=NOW)["access_requests"] == 1
    assert list(AccessRequest.objects.values_list("sub", flat=True)) == ["en-attente"]


def test_every_declared_field_exists():
    for declared in personal_data.declarations():
        if declared.model.startswith("partnership.") and declared.model != "partnership.User":
            model = apps.get_model(declared.model)
            assert [model._meta.get_field(name).name for name in declared.fields] == list(declared.fields)
