"""Uploads other than contract attachments (tested in tests/agreements): disguised and oversized files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.helpers import text
from trainings.models import Attendance

FAKE_PDF = b"<html><script>alert(1)</script></html>"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "presences.csv",
            b"%PDF-1.7\n\x00\x01\x02\xff\xfe binaire",
            "Ce fichier est un document PDF, pas un fichier CSV.",
        ),
        ("presences.csv", b"\xff\xfe\x00\x00" + bytes(range(256)) * 4, "Le fichier n'est pas un texte lisible"),
        ("presences.csv", b"", "Le fichier soumis est vide."),
        (
            "presences.csv",
            b"email;date;demi-journee;statut\n" + b"x" * (2 * 1024 * 1024),
            "au plus par import. Découpez-le en plusieurs fichiers.",
        ),
    ],
    ids=["pdf-renamed-csv", "binary", "empty", "oversized"],
)
def test_attendance_import_refuses_files_that_are_not_csv(client, world, delegation_staff, name, content, message):
    before = list(Attendance.objects.values_list("pk", "status"))
    client.force_login(delegation_staff)
    response = client.post(
        f"/formations/sessions/{world.session.pk}/emargement/import/",
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )
    assert response.status_code == 400
    assert message in text(response)
    assert "Import réussi" not in text(response)
    assert list(Attendance.objects.values_list("pk", "status")) == before


@pytest.mark.parametrize(
    ("content", "verdict"),
    [
        (FAKE_PDF, "Document illisible ou altéré"),
        (b"%PDF-1.7\n" + FAKE_PDF, "Document illisible ou altéré"),
    ],
    ids=["html-named-pdf", "pdf-header-then-html"],
)
def test_verification_page_answers_disguised_pdf_without_trusting_it(client, db, content, verdict):
    response = client.post("/verification/", {"file": SimpleUploadedFile("contrat.pdf", content)})
    assert response.status_code == 200
    page = text(response)
    assert verdict in page
    assert "Document authentique" not in page
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_verification_page_refuses_an_empty_file(client, db):
    response = client.post("/verification/", {"file": SimpleUploadedFile("contrat.pdf", b"")})
    assert response.status_code == 400
    assert "Le fichier soumis est vide" in text(response)
