"""Redis stopped: pages keep serving, writes succeed, their tasks wait in the outbox and leave when Redis is back."""

import shutil

import pytest
from django.urls import reverse

from agreements.enums import ContractStatus
from partnership.celery import app
from partnership.dispatch import flush_outbox
from partnership.models import OutboxTask
from tests.agreements.factories import make_contract
from tests.factories import DEFAULT_PASSWORD
from tests.faults.conftest import reconnect

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server absent"),
]


def test_writes_succeed_and_tasks_wait_while_redis_is_down(
    client, delegation_staff, commune, redis_broker, django_capture_on_commit_callbacks
):
    contract = make_contract(actor=delegation_staff, collectivities=[commune])
    redis_broker.stop()

    # Pages serve, login works (its throttling counters are in the unavailable cache).
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": delegation_staff.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    # A write that triggers e-mails succeeds; its task is kept.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("agreements:contract_submit", args=[contract.pk]), {"confirmation": "oui"})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == ContractStatus.READY_FOR_SIGNATURE
    kept = list(OutboxTask.objects.values_list("task_name", "args"))
    request = contract.signature_requests.get(step=1)
    assert kept == [("agreements.signing.tasks.signature_request_send_link", [request.pk, False])]
    assert client.get("/healthz").status_code == 503

    # Redis is back: the outbox is flushed, nothing lost, nothing sent twice.
    redis_broker.start()

    reconnect(app)
    assert flush_outbox() == 1
    assert OutboxTask.objects.count() == 0
    assert redis_broker.queue_length() == 1
    assert flush_outbox() == 0
    assert client.get("/healthz").status_code == 200
