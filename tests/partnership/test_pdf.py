"""Every PDF has one frame (``templates/pdf/base.html``); the two attendance certificates look alike."""

import datetime
import io
import re

import pytest
from bs4 import BeautifulSoup
from django.template.loader import get_template, render_to_string
from django.template.loader_tags import ExtendsNode
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tests.events.factories import EventFactory, EventRegistrationFactory
from tests.trainings.factories import RegistrationFactory, SessionFactory
from trainings.enums import AttendanceStatus
from trainings.models import Attendance

PDF_TEMPLATES = [
    "agreements/contract_pdf.html",
    "agreements/final_document.html",
    "trainings/certificate_pdf.html",
    "trainings/attendance_sheet_pdf.html",
    "events/attendance_certificate.html",
]


def _ancestors(name: str) -> list[str]:
    """The chain of templates ``name`` extends, itself first."""
    chain = [name]
    while True:
        first = get_template(chain[-1]).template.nodelist.get_nodes_by_type(ExtendsNode)
        if not first:
            return chain
        chain.append(first[0].parent_name.resolve({}))


@pytest.mark.parametrize("name", PDF_TEMPLATES)
def test_every_pdf_extends_the_one_base(name):
    assert _ancestors(name)[-1] == "pdf/base.html"


def test_the_attendance_certificates_share_one_layout():
    assert _ancestors("trainings/certificate_pdf.html")[1:] == ["pdf/attendance_certificate.html", "pdf/base.html"]
    assert _ancestors("events/attendance_certificate.html")[1:] == ["pdf/attendance_certificate.html", "pdf/base.html"]


@pytest.fixture
def training_certificate(client, delegation_staff, delegation, commune):
    session = SessionFactory(action__delegation=delegation, venue=commune)
    registration = RegistrationFactory(session=session, employer=commune)
    Attendance.objects.create(
        registration=registration, half_day=session.half_days.first(), status=AttendanceStatus.PRESENT
    )
    client.force_login(delegation_staff)
    response = client.get(reverse("trainings:certificate", args=[registration.pk]))
    assert response.status_code == 200
    return response.content


@pytest.fixture
def event_certificate(client, delegation_staff, delegation, commune):
    ended = timezone.now() - datetime.timedelta(hours=1)  # a certificate is issued once the event is over
    event = EventFactory(
        delegation=delegation,
        venue_commune=commune,
        starts_at=ended - datetime.timedelta(hours=6),
        ends_at=ended,
        registration_closes_at=ended - datetime.timedelta(days=2),
    )
    registration = EventRegistrationFactory(event=event, collectivity=commune, checked_in_at=ended)
    client.force_login(delegation_staff)
    response = client.get(reverse("events:registration_certificate", args=[event.pk, registration.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_both_certificates_read_the_same_way(training_certificate, event_certificate):
    for pdf in (training_certificate, event_certificate):
        text = _text(pdf)
        assert text.count("Attestation de présence") == 2  # the running header and the title
        assert "Partenariat CNFPT – AMF" in text
        assert "Fait le " in text
        assert "Attestation n° " in text and "page 1 / 1" in text


def test_certificate_html_has_the_same_skeleton(db, delegation, commune):
    session = SessionFactory(action__delegation=delegation, venue=commune)
    registration = RegistrationFactory(session=session, employer=commune)
    training = render_to_string(
        "trainings/certificate_pdf.html",
        {
            "registration": registration,
            "session": session,
            "half_days": list(session.half_days.all()),
            "trainee_days": 1,
            "issued_on": timezone.localdate(),
        },
    )
    event_registration = EventRegistrationFactory(event=EventFactory(delegation=delegation), collectivity=commune)
    event = render_to_string(
        "events/attendance_certificate.html",
        {
            "registration": event_registration,
            "event": event_registration.event,
            "co_organisers": ["Centre national de la fonction publique territoriale (CNFPT)"],
            "issued_on": timezone.localdate(),
        },
    )

    def skeleton(html):
        soup = BeautifulSoup(html, "html.parser")
        # Each certificate prints its own number in the running footer: the frame is what must match.
        style = re.sub(r"Attestation n° [^ ]+", "Attestation n° N", soup.style.text)
        return style, [(tag.name, tag.get("class")) for tag in soup.body.find_all(recursive=False)]

    assert skeleton(training) == skeleton(event)
