"""Excel's limit: an XLSX list export longer than a sheet holds is refused when it is requested (CSV offered),
and again by the worker if the rows grew since; a CSV of the same rows goes through."""

import pytest

from stats import limits, services
from stats.enums import ExportFormat, ExportStatus
from stats.models import ExportRequest
from tests.trainings.factories import RegistrationFactory, SessionFactory, TrainingActionFactory

pytestmark = pytest.mark.django_db


def test_the_limit_is_excels_sheet_under_its_header():
    assert limits.XLSX_MAX_ROWS == 1_048_575


@pytest.fixture
def four_registrations(delegation, commune):
    session = SessionFactory(action=TrainingActionFactory(delegation=delegation), venue=commune)
    return [RegistrationFactory(session=session, employer=commune) for _ in range(4)]


def _submit(django_app, user, dataset, file_format, capture):
    """Fill in « Mes exports » as a person does: the form as rendered, a dataset and a format chosen."""
    page = django_app.get("/statistiques/exports/", user=user)
    form = next(form for form in page.forms.values() if "dataset" in form.fields)
    form["dataset"] = dataset
    form["format"] = file_format
    with capture(execute=True):
        return form.submit().follow()


def test_an_xlsx_list_longer_than_a_sheet_is_refused_and_csv_offered(
    django_app, national_staff, four_registrations, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(limits, "XLSX_MAX_ROWS", 3)

    page = _submit(django_app, national_staff, "registrations", ExportFormat.XLSX, django_capture_on_commit_callbacks)

    assert [alert.get_text(" ", strip=True) for alert in page.html.select(".alert-danger, .alert-error")] == [
        "Trop de lignes pour un fichier XLSX : cet export en compte 4, et Excel n'en ouvre que 3 sous l'en-tête. "
        "Demandez-le au format CSV, sans limite de lignes (ou restreignez-le à une délégation)."
    ]
    assert ExportRequest.objects.count() == 0  # no worker spends a minute on it

    _submit(django_app, national_staff, "registrations", ExportFormat.CSV, django_capture_on_commit_callbacks)
    export = ExportRequest.objects.get()
    assert (export.format, export.status, export.row_count) == (ExportFormat.CSV, ExportStatus.DONE, 4)


def test_an_xlsx_list_within_a_sheet_is_made(
    django_app, national_staff, four_registrations, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(limits, "XLSX_MAX_ROWS", 4)

    _submit(django_app, national_staff, "anonymised_registrations", "xlsx", django_capture_on_commit_callbacks)

    export = ExportRequest.objects.get()
    assert (export.status, export.row_count) == (ExportStatus.DONE, 4)


def test_the_worker_refuses_an_xlsx_that_grew_past_the_limit(
    national_staff, four_registrations, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(limits, "XLSX_MAX_ROWS", 4)
    export = services.export_request_create(user=national_staff, dataset="registrations", format="xlsx")
    RegistrationFactory(session=four_registrations[0].session, employer=four_registrations[0].employer)

    assert services.export_generate(export_id=export.pk) is False

    export.refresh_from_db()
    assert (export.status, export.error, export.file.name) == (
        ExportStatus.FAILED,
        "Trop de lignes pour un fichier XLSX : cet export en compte 5, et Excel n'en ouvre que 4 sous l'en-tête. "
        "Demandez-le au format CSV, sans limite de lignes (ou restreignez-le à une délégation).",
        "",
    )
