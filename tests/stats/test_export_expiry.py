"""Export files expire: deleted after EXPORT_RETENTION_DAYS, or at once when someone they may name is anonymised."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from partnership.personal_data import personal_data_apply_retention
from stats.enums import ExportStatus
from stats.models import ExportRequest
from tests.trainings.factories import RegistrationFactory, SessionFactory, TrainingActionFactory, in_days

pytestmark = pytest.mark.django_db


def _done(user, dataset, *, finished_days_ago=0, content=b"Nom;Prenom\r\n"):
    finished = timezone.now() - datetime.timedelta(days=finished_days_ago)
    export = ExportRequest(
        requested_by=user,
        dataset=dataset,
        format="csv",
        status=ExportStatus.DONE,
        started_at=finished,
        finished_at=finished,
    )
    export.file.save(f"{dataset}.csv", ContentFile(content), save=False)
    export.save()
    ExportRequest.objects.filter(pk=export.pk).update(created_at=finished)
    return ExportRequest.objects.get(pk=export.pk)


def test_an_export_file_is_deleted_after_its_delay_and_its_row_stays(django_app, delegation_staff, settings):
    settings.EXPORT_RETENTION_DAYS = 30
    old = _done(delegation_staff, "contracts_by_status", finished_days_ago=31)
    recent = _done(delegation_staff, "contracts_by_status", finished_days_ago=29)
    old_file = old.file.name

    assert personal_data_apply_retention()["exports"] == 1

    old.refresh_from_db()
    assert (old.status, old.file.name, old.expired_at is not None) == (ExportStatus.EXPIRED, "", True)
    assert not default_storage.exists(old_file)
    assert ExportRequest.objects.get(pk=recent.pk).status == ExportStatus.DONE
    page = django_app.get("/statistiques/exports/", user=delegation_staff)
    row = page.html.select_one(f"#export-{old.pk}")
    assert row.select_one(".badge").text == "Expiré"
    assert row.select_one(f"#export-{old.pk}-telecharger") is None
    assert (
        f"Fichier supprimé le {timezone.localtime(old.expired_at):%d/%m/%Y} (conservé 1 mois)\u00a0: "
        "demandez un nouvel export." in row.get_text(" ", strip=True)
    )
    response = django_app.get(f"/statistiques/exports/{old.pk}/telecharger/", user=delegation_staff, expect_errors=True)
    assert response.status_code == 404
    assert personal_data_apply_retention()["exports"] == 0  # idempotent


def test_a_list_naming_people_goes_as_soon_as_one_of_them_is_anonymised(
    delegation_staff, delegation, commune, settings
):
    settings.PERSONAL_DATA_RETENTION_DAYS = 365
    session = SessionFactory(
        action=TrainingActionFactory(delegation=delegation), venue=commune, start_date=in_days(-400)
    )
    RegistrationFactory(session=session, employer=commune, last_name="Durand-Export")
    names = _done(delegation_staff, "registrations", content="Nom;Prénom\r\nDurand-Export;Camille\r\n".encode())
    figures = _done(delegation_staff, "contracts_by_status")

    result = personal_data_apply_retention()

    assert (result["trained_agents"], result["exports"]) == (1, 1)
    assert ExportRequest.objects.get(pk=names.pk).status == ExportStatus.EXPIRED
    assert ExportRequest.objects.get(pk=figures.pk).status == ExportStatus.DONE  # aggregated: names no one
    # A list made after the anonymisation names no one who was: it stays.
    after = _done(delegation_staff, "registrations")
    assert personal_data_apply_retention()["exports"] == 0
    assert ExportRequest.objects.get(pk=after.pk).status == ExportStatus.DONE
