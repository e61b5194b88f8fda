"""Files uploaded through the admin go through the same document check as the workspace's."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from agreements.models import Internship
from tests.helpers import text


def _internship_data(report):
    return {
        "student_name": "Camille Petit",
        "student_email": "",
        "promotion": "Promotion Simone Veil",
        "start_date": "2026-09-01",
        "end_date": "2026-12-18",
        "tutor": "Sophie Durand",
        "subject": "Les communes nouvelles",
        "status": "planned",
        "report": report,
    }


def test_admin_refuses_a_disguised_file(client, amf_staff):
    client.force_login(amf_staff)
    fake = SimpleUploadedFile("rapport.pdf", b"MZ\x90\x00 executable", content_type="application/pdf")
    response = client.post("/admin/agreements/internship/add/", _internship_data(fake))
    assert response.status_code == 200
    assert "Le contenu du fichier ne correspond pas à son extension." in text(response)
    assert Internship.objects.count() == 0


def test_admin_accepts_a_real_pdf(client, amf_staff):
    client.force_login(amf_staff)
    report = SimpleUploadedFile("rapport.pdf", b"%PDF-1.7 rapport", content_type="application/pdf")
    response = client.post("/admin/agreements/internship/add/", _internship_data(report))
    assert response.status_code == 302
    internship = Internship.objects.get()
    assert internship.report.read() == b"%PDF-1.7 rapport"
    assert internship.end_date == datetime.date(2026, 12, 18)
