"""Asynchronous exports: request, generation by the task, one e-mail, owner-only download, redelivery, stale claims."""

import csv
import datetime
import io
import smtplib
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from stats import services, tasks
from stats.enums import ExportStatus
from stats.models import ExportRequest

pytestmark = pytest.mark.django_db

CONTRACT_STATUS_ROWS = [
    ["Code du statut", "Statut", "Contrats"],
    ["ready_for_signature", "En cours de signature", "1"],
    ["signed_by_collectivity", "Signé par la collectivité", "0"],
    ["signed", "Signé", "0"],
    ["active", "En vigueur", "3"],
    ["expired", "Échu", "0"],
    ["terminated", "Résilié", "0"],
]


def _download(client, export):
    response = client.get(reverse("stats:export_download", args=[export.pk]))
    return response, b"".join(response.streaming_content) if response.status_code == 200 else b""


def _request(client, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("stats:export_create"), {"delegation": "", **data})


def test_csv_export_journey(
    client, world, delegation_staff, other_delegation_staff, django_capture_on_commit_callbacks
):
    client.force_login(delegation_staff)
    response = _request(client, django_capture_on_commit_callbacks, dataset="contracts_by_status", format="csv")
    assert response.status_code == 302
    assert response.url == reverse("stats:export_list")

    export = ExportRequest.objects.get()
    assert export.requested_by == delegation_staff
    assert export.status == ExportStatus.DONE
    assert export.row_count == 6
    assert export.started_at is not None
    assert export.finished_at is not None
    content = export.file.read()
    assert content.startswith("\ufeff".encode())
    assert list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";")) == CONTRACT_STATUS_ROWS

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [delegation_staff.email]
    link = "http://127.0.0.1:8000" + reverse("stats:export_download", args=[export.pk])
    assert link in message.body
    export.refresh_from_db()
    assert export.notified_at is not None

    response, body = _download(client, export)
    assert response.status_code == 200
    assert body == content
    assert response["Content-Disposition"].startswith("attachment;")

    client.force_login(other_delegation_staff)
    response, _ = _download(client, export)
    assert response.status_code == 404


def test_export_list_shows_status_and_link(client, world, delegation_staff, django_capture_on_commit_callbacks):
    client.force_login(delegation_staff)
    _request(client, django_capture_on_commit_callbacks, dataset="trainees_by_category", format="xlsx")
    export = ExportRequest.objects.get()
    response = client.get(reverse("stats:export_list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Stagiaires par catégorie" in page
    assert "Prêt" in page
    assert reverse("stats:export_download", args=[export.pk]) in page


def test_download_of_a_pending_export_is_404(client, delegation_staff):
    export = ExportRequest.objects.create(requested_by=delegation_staff, dataset="contracts_by_status", format="csv")
    client.force_login(delegation_staff)
    assert _download(client, export)[0].status_code == 404


def test_download_requires_login(client, delegation_staff):
    export = ExportRequest.objects.create(requested_by=delegation_staff, dataset="contracts_by_status", format="csv")
    response = client.get(reverse("stats:export_download", args=[export.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_xlsx_export_of_the_contract_list_is_scoped_to_the_user(
    client, world, delegation_staff, django_capture_on_commit_callbacks
):
    client.force_login(delegation_staff)
    _request(client, django_capture_on_commit_callbacks, dataset="contracts", format="xlsx")
    export = ExportRequest.objects.get()
    assert export.status == ExportStatus.DONE
    sheet = load_workbook(io.BytesIO(export.file.read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Référence", "Intitulé", "Délégation", "Statut", "Début", "Fin", "Collectivités parties")
    mine = [world.contracts[key] for key in ("A", "B", "E")]
    expected = sorted(
        (
            c.reference,
            c.title,
            world.delegation.name,
            c.get_status_display(),
            datetime.datetime.combine(c.start_date, datetime.time()),
            datetime.datetime.combine(c.end_date, datetime.time()),
            c.parties.get().collectivity.name,
        )
        for c in mine
    )
    assert sorted(rows[1:]) == expected
    assert export.row_count == 3


def test_xlsx_export_of_an_indicator_with_decimals(client, world, delegation_staff, django_capture_on_commit_callbacks):
    client.force_login(delegation_staff)
    _request(
        client,
        django_capture_on_commit_callbacks,
        dataset="planned_trainee_days_by_year",
        format="xlsx",
        delegation=str(world.delegation.pk),
    )
    export = ExportRequest.objects.get()
    assert export.parameters == {"delegation_id": world.delegation.pk}
    rows = list(load_workbook(io.BytesIO(export.file.read())).active.iter_rows(values_only=True))
    assert rows == [("Année de programme", "Contrats", "Journées-stagiaires prévues"), (2027, 2, 60.0)]


def test_csv_uses_decimal_comma(world, delegation_staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = services.export_request_create(user=delegation_staff, dataset="trainees_by_category", format="csv")
    export.refresh_from_db()
    rows = list(csv.reader(io.StringIO(export.file.read().decode("utf-8-sig")), delimiter=";"))
    assert rows[1] == ["A", "Catégorie A", "2", "50,0", "1,0"]


def test_redelivered_task_produces_one_file_and_one_email(world, delegation_staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = services.export_request_create(user=delegation_staff, dataset="events_by_kind", format="csv")
    export.refresh_from_db()
    first_file = export.file.name
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.export_generate(export.pk) is False
        assert tasks.export_notify(export.pk) is False
    export.refresh_from_db()
    assert export.file.name == first_file
    directory, filename = first_file.rsplit("/", 1)
    assert export.file.storage.listdir(directory)[1] == [filename]
    assert len(mail.outbox) == 1


def test_stale_claim_is_taken_over(world, delegation_staff, django_capture_on_commit_callbacks):
    started = timezone.now() - datetime.timedelta(hours=1)
    export = ExportRequest.objects.create(
        requested_by=delegation_staff,
        dataset="contracts_by_status",
        format="csv",
        status=ExportStatus.RUNNING,
        started_at=started,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.export_generate(export.pk) is True
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    assert export.started_at > started
    assert export.row_count == 6
    assert len(mail.outbox) == 1


def test_fresh_claim_of_another_worker_is_left_alone(delegation_staff, django_capture_on_commit_callbacks):
    started = timezone.now() - datetime.timedelta(seconds=30)
    export = ExportRequest.objects.create(
        requested_by=delegation_staff,
        dataset="contracts_by_status",
        format="csv",
        status=ExportStatus.RUNNING,
        started_at=started,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.export_generate(export.pk) is False
    export.refresh_from_db()
    assert export.status == ExportStatus.RUNNING
    assert export.started_at == started
    assert mail.outbox == []


def test_generation_error_fails_visibly_without_email(delegation_staff, django_capture_on_commit_callbacks):
    with (
        mock.patch("stats.services._write", side_effect=RuntimeError("disque plein")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        export = services.export_request_create(user=delegation_staff, dataset="contracts_by_status", format="csv")
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    # In French for the « Mes exports » page; the exception's text (« disque plein ») stays in the log.
    assert export.error == (
        "Le fichier n'a pas pu être produit. Demandez un nouvel export\u00a0; si l'échec se répète, "
        f"signalez l'export n°\u00a0{export.pk} (erreur technique\u00a0: RuntimeError)."
    )
    assert export.finished_at is not None
    assert mail.outbox == []


def test_smtp_error_is_retried_and_sends_one_email(delegation_staff, eager_retries):
    export = ExportRequest.objects.create(requested_by=delegation_staff, dataset="contracts_by_status", format="csv")
    assert services.export_generate(export_id=export.pk) is True
    real_send = mail.EmailMessage.send
    calls = []

    def flaky_send(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise smtplib.SMTPServerDisconnected("connexion perdue")
        return real_send(self, *args, **kwargs)

    with mock.patch("django.core.mail.EmailMessage.send", flaky_send):
        result = tasks.export_notify.apply(args=[export.pk], throw=False)
    assert result.successful()
    export.refresh_from_db()
    assert len(calls) == 2
    assert len(mail.outbox) == 1
    assert export.notified_at is not None
    assert export.notification_error == ""


@pytest.fixture
def eager_retries():
    """Eager retries re-apply the task: let each retry be recorded instead of raised."""
    conf = tasks.export_notify.app.conf
    previous = conf.task_eager_propagates
    conf.task_eager_propagates = False
    yield
    conf.task_eager_propagates = previous


def test_smtp_errors_end_in_a_visible_state(delegation_staff, eager_retries):
    export = ExportRequest.objects.create(requested_by=delegation_staff, dataset="contracts_by_status", format="csv")
    services.export_generate(export_id=export.pk)
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=smtplib.SMTPServerDisconnected("panne")) as send:
        result = tasks.export_notify.apply(args=[export.pk], throw=False)
    assert result.failed()
    assert send.call_count == tasks.export_notify.max_retries + 1
    export.refresh_from_db()
    assert export.notified_at is None
    assert export.notification_error == "E-mail non envoyé : panne"
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"dataset": "inconnu", "format": "csv"}, "Jeu de données inconnu : choisissez un indicateur de la liste."),
        ({"dataset": "contracts_by_status", "format": "pdf"}, "Format inconnu : choisissez CSV ou XLSX."),
    ],
)
def test_bad_input_creates_nothing(client, delegation_staff, django_capture_on_commit_callbacks, data, message):
    client.force_login(delegation_staff)
    response = _request(client, django_capture_on_commit_callbacks, **data)
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [message]
    assert ExportRequest.objects.count() == 0
    assert mail.outbox == []


def test_service_rejects_unknown_dataset_and_format(delegation_staff):
    with pytest.raises(ValidationError) as error:
        services.export_request_create(user=delegation_staff, dataset="nope", format="csv")
    assert error.value.message_dict == {"dataset": ["Jeu de données inconnu : choisissez un indicateur de la liste."]}
    with pytest.raises(ValidationError) as error:
        services.export_request_create(user=delegation_staff, dataset="contracts", format="ods")
    assert error.value.message_dict == {"format": ["Format inconnu : choisissez CSV ou XLSX."]}
    assert ExportRequest.objects.count() == 0


def test_delegation_out_of_scope_is_refused(
    client, delegation_staff, other_delegation, django_capture_on_commit_callbacks
):
    client.force_login(delegation_staff)
    _request(
        client,
        django_capture_on_commit_callbacks,
        dataset="contracts_by_status",
        format="csv",
        delegation=other_delegation.pk,
    )
    assert ExportRequest.objects.count() == 0
    with pytest.raises(ValidationError):
        services.export_request_create(
            user=delegation_staff, dataset="contracts_by_status", format="csv", delegation_id=other_delegation.pk
        )


def test_hr_contact_cannot_export_contracts(hr_contact):
    with pytest.raises(ValidationError):
        services.export_request_create(user=hr_contact, dataset="contracts", format="csv")
    assert ExportRequest.objects.count() == 0


def test_anonymous_visitor_cannot_request_an_export(client, django_capture_on_commit_callbacks):
    response = _request(client, django_capture_on_commit_callbacks, dataset="contracts_by_status", format="csv")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert ExportRequest.objects.count() == 0


def test_export_list_shows_only_my_exports(client, delegation_staff, other_delegation_staff):
    other = other_delegation_staff
    theirs = ExportRequest.objects.create(requested_by=other, dataset="studies_by_status", format="csv")
    mine = ExportRequest.objects.create(requested_by=delegation_staff, dataset="contracts_by_status", format="csv")
    client.force_login(delegation_staff)
    page = client.get(reverse("stats:export_list")).content.decode()
    assert f'<tr id="export-{mine.pk}">' in page
    assert "<td>Contrats par statut<span" in page
    assert f'<tr id="export-{theirs.pk}">' not in page
    assert "<td>Études pour l&#x27;AMF par statut<span" not in page
