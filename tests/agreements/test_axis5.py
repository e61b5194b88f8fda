"""Axis 5: INET internships and AMF studies (pages in agreements/axis5/)."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse

from agreements.enums import InternshipStatus, StudyStatus
from agreements.models import Internship, Study
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def _internship(**kwargs):
    values = {
        "student_name": "Camille Roy",
        "promotion": "Promotion Simone Veil",
        "start_date": date(2026, 1, 5),
        "end_date": date(2026, 3, 27),
        "tutor": "Direction des études",
        "subject": "Les communes nouvelles",
        **kwargs,
    }
    return Internship.objects.create(**values)


def _study(**kwargs):
    values = {"subject": "Les polices municipales", "requester": "Département action sociale", **kwargs}
    values.setdefault("requested_on", date(2026, 2, 1))
    return Study.objects.create(**values)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("national_staff", 200), ("delegation_staff", 200), ("amf_staff", 200), ("signatory", 403), ("hr_contact", 403)],
)
def test_axis5_lists_visible_to_cnfpt_and_amf_staff(client, persona, name, expected):
    client.force_login(persona(name))
    assert client.get("/stages-etudes/stages/").status_code == expected
    assert client.get("/stages-etudes/etudes/").status_code == expected


def test_axis5_list_shows_internships(client, delegation_staff):
    internship = _internship()
    client.force_login(delegation_staff)
    response = client.get("/stages-etudes/stages/")
    assert list(response.context["items"]) == [internship]
    assert response.context["can_change"] is False
    assert "Nouveau stage" not in response.content.decode()


def test_delegation_staff_read_only(client, delegation_staff):
    internship = _internship()
    study = _study()
    client.force_login(delegation_staff)
    assert client.get("/stages-etudes/stages/nouveau/").status_code == 403
    assert client.get(f"/stages-etudes/stages/{internship.pk}/modifier/").status_code == 403
    response = client.post(f"/stages-etudes/stages/{internship.pk}/statut/", {"target": "in_progress"})
    assert response.status_code == 403
    assert client.post(f"/stages-etudes/etudes/{study.pk}/statut/", {"target": "in_progress"}).status_code == 403
    internship.refresh_from_db()
    assert internship.status == InternshipStatus.PLANNED


def test_amf_staff_creates_internship(client, amf_staff):
    client.force_login(amf_staff)
    response = client.post(
        "/stages-etudes/stages/nouveau/",
        {
            "student_name": "Camille Roy",
            "promotion": "Promotion Simone Veil",
            "start_date": "2026-01-05",
            "end_date": "2026-03-27",
            "tutor": "Direction des études",
            "subject": "Les communes nouvelles",
        },
    )
    internship = Internship.objects.get()
    assert response["Location"] == f"/stages-etudes/stages/{internship.pk}/"
    assert internship.status == InternshipStatus.PLANNED


def test_internship_dates_inverted_refused(client, national_staff):
    client.force_login(national_staff)
    response = client.post(
        "/stages-etudes/stages/nouveau/",
        {
            "student_name": "Camille Roy",
            "promotion": "P",
            "start_date": "2026-03-05",
            "end_date": "2026-01-27",
            "tutor": "T",
            "subject": "S",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"end_date": ["La fin du stage ne peut pas précéder son début."]}
    assert Internship.objects.count() == 0


def test_internship_edit(client, amf_staff):
    internship = _internship()
    client.force_login(amf_staff)
    data = {
        "student_name": "Camille Roy",
        "promotion": "Promotion Simone Veil",
        "start_date": "2026-01-05",
        "end_date": "2026-04-30",
        "tutor": "Direction des études",
        "subject": "Les communes nouvelles",
    }
    client.post(f"/stages-etudes/stages/{internship.pk}/modifier/", data)
    internship.refresh_from_db()
    assert internship.end_date == date(2026, 4, 30)


def test_internship_transitions_follow_lifecycle(client, amf_staff):
    internship = _internship()
    client.force_login(amf_staff)
    url = f"/stages-etudes/stages/{internship.pk}/statut/"

    response = client.post(url, {"target": "completed"}, follow=True)
    assert "Transition impossible : un stage « prévu » ne peut pas passer au statut « terminé »." in (
        response.content.decode()
    )
    client.post(url, {"target": "in_progress"})
    client.post(url, {"target": "completed"})
    internship.refresh_from_db()
    assert internship.status == InternshipStatus.COMPLETED

    response = client.post(url, {"target": "cancelled"}, follow=True)
    internship.refresh_from_db()
    assert internship.status == InternshipStatus.COMPLETED
    assert "ne peut pas passer au statut « annulé »" in response.content.decode()


def test_study_create_and_progress(client, national_staff):
    client.force_login(national_staff)
    client.post(
        "/stages-etudes/etudes/nouvelle/",
        {
            "subject": "Les polices municipales",
            "requester": "AMF",
            "requested_on": "2026-02-01",
            "due_on": "2026-06-30",
        },
    )
    study = Study.objects.get()
    assert study.status == StudyStatus.REQUESTED
    assert study.created_by == national_staff

    client.post(f"/stages-etudes/etudes/{study.pk}/statut/", {"target": "in_progress"})
    study.refresh_from_db()
    assert study.status == StudyStatus.IN_PROGRESS


def test_study_due_before_request_refused(client, amf_staff):
    client.force_login(amf_staff)
    response = client.post(
        "/stages-etudes/etudes/nouvelle/",
        {"subject": "S", "requester": "AMF", "requested_on": "2026-02-01", "due_on": "2026-01-01"},
    )
    assert response.context["form"].errors == {"due_on": ["L'échéance ne peut pas précéder la date de la demande."]}


def test_study_cannot_be_delivered_without_deliverable_form(client, amf_staff):
    study = _study(status=StudyStatus.IN_PROGRESS)
    client.force_login(amf_staff)
    client.post(f"/stages-etudes/etudes/{study.pk}/statut/", {"target": "delivered"})
    study.refresh_from_db()
    assert study.status == StudyStatus.IN_PROGRESS


def test_study_deliver_with_pdf(client, amf_staff):
    study = _study(status=StudyStatus.IN_PROGRESS)
    client.force_login(amf_staff)
    upload = SimpleUploadedFile("etude.pdf", b"%PDF-1.7\n...", content_type="application/pdf")

    response = client.post(
        f"/stages-etudes/etudes/{study.pk}/livrer/", {"delivered_on": "2026-05-15", "deliverable": upload}
    )

    study.refresh_from_db()
    assert response.status_code == 302
    assert study.status == StudyStatus.DELIVERED
    assert study.delivered_on == date(2026, 5, 15)
    assert study.deliverable.name.startswith("agreements/studies/etude")
    # The deliverable is downloaded through the application, by those who may see axis 5 only.
    page = client.get(f"/stages-etudes/etudes/{study.pk}/")
    assert f"/stages-etudes/etudes/{study.pk}/livrable/" in page.content.decode()
    download = client.get(f"/stages-etudes/etudes/{study.pk}/livrable/")
    assert b"".join(download.streaming_content) == b"%PDF-1.7\n..."
    client.logout()
    assert client.get(f"/stages-etudes/etudes/{study.pk}/livrable/").status_code == 302


@pytest.mark.parametrize(
    ("filename", "content", "error"),
    [
        ("etude.exe", b"MZ...", "Format refusé : le livrable doit être un fichier PDF, DOCX ou ODT."),
        ("etude.pdf", b"PK\x03\x04zip", "Le contenu du fichier ne correspond pas à son extension."),
        ("etude.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "Le livrable dépasse la taille maximale de 10 Mo."),
    ],
)
def test_study_deliver_bad_file_refused(client, amf_staff, filename, content, error):
    study = _study(status=StudyStatus.IN_PROGRESS)
    client.force_login(amf_staff)

    response = client.post(
        f"/stages-etudes/etudes/{study.pk}/livrer/",
        {"delivered_on": "2026-05-15", "deliverable": SimpleUploadedFile(filename, content)},
    )

    assert response.status_code == 400
    assert response.context["deliver_form"].errors == {"deliverable": [error]}
    study.refresh_from_db()
    assert (study.status, study.delivered_on, study.deliverable.name) == (StudyStatus.IN_PROGRESS, None, "")


def test_study_deliver_requires_date_and_file(client, amf_staff):
    study = _study(status=StudyStatus.IN_PROGRESS)
    client.force_login(amf_staff)
    response = client.post(f"/stages-etudes/etudes/{study.pk}/livrer/", {})
    assert response.context["deliver_form"].errors == {
        "delivered_on": ["Ce champ est obligatoire."],
        "deliverable": ["Le livrable est obligatoire."],
    }


def test_study_deliver_when_requested_refused(client, amf_staff):
    study = _study()
    client.force_login(amf_staff)
    upload = SimpleUploadedFile("etude.docx", b"PK\x03\x04docx")
    response = client.post(
        f"/stages-etudes/etudes/{study.pk}/livrer/", {"delivered_on": "2026-05-15", "deliverable": upload}
    )
    assert response.context["deliver_form"].non_field_errors() == [
        "Transition impossible : une étude « demandée » ne peut pas être livrée."
    ]


@pytest.mark.parametrize(("url_name", "make"), [("axis5:internship_list", _internship), ("axis5:study_list", _study)])
def test_axis5_lists_query_count_constant(client, amf_staff, url_name, make):
    client.force_login(amf_staff)
    make()

    def grow():
        for _ in range(29):
            make()

    assert_constant_queries(client, reverse(url_name), grow, rows="tbody tr")


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("study_edit", "study_detail"),
        ("study_create", "study_list"),
        ("internship_edit", "internship_detail"),
        ("internship_create", "internship_list"),
    ],
)
def test_axis5_form_cancel_goes_back_to_the_object_or_its_list(django_app, amf_staff, page, expected):
    """« Annuler » of an edit form returns to the object's page; of a creation form, to the list it belongs to."""
    study, internship = _study(), _internship()
    forms = {
        "study_edit": reverse("axis5:study_edit", args=[study.pk]),
        "study_create": reverse("axis5:study_create"),
        "internship_edit": reverse("axis5:internship_edit", args=[internship.pk]),
        "internship_create": reverse("axis5:internship_create"),
    }
    targets = {
        "study_detail": study.get_absolute_url(),
        "study_list": reverse("axis5:study_list"),
        "internship_detail": internship.get_absolute_url(),
        "internship_list": reverse("axis5:internship_list"),
    }
    form_page = django_app.get(forms[page], user=amf_staff)

    back = form_page.click(description="Annuler")

    assert (back.status_code, back.request.path) == (200, targets[expected])
    assert resolve(back.request.path).url_name == expected
