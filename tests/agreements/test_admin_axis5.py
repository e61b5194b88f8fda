"""Internships and studies in the admin: saved by the axis 5 services, statuses moved by their transitions."""

import datetime

import pytest

from agreements.enums import InternshipStatus, StudyStatus
from agreements.models import Internship, Study
from tests.helpers import admin_messages, run_admin_action

pytestmark = pytest.mark.django_db

ADMIN_ROLES = ["amf_staff", "national_admin", "superuser"]


def _internship(status=InternshipStatus.PLANNED, name="Camille Petit"):
    return Internship.objects.create(
        student_name=name,
        promotion="Promotion Simone Veil",
        start_date=datetime.date(2026, 9, 1),
        end_date=datetime.date(2026, 12, 18),
        tutor="Sophie Durand",
        subject="Les communes nouvelles",
        status=status,
    )


def _study(status=StudyStatus.REQUESTED, subject="La formation des secrétaires de mairie"):
    return Study.objects.create(
        subject=subject, requester="Direction des études", requested_on=datetime.date(2026, 3, 2), status=status
    )


def _status(obj) -> str:
    obj.refresh_from_db()
    return obj.status


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_internship_added_in_the_admin_starts_planned(django_app, persona, role):
    form = django_app.get("/admin/agreements/internship/add/", user=persona(role)).forms["internship_form"]
    assert "status" not in form.fields
    form["student_name"] = "Louis Bernard"
    form["promotion"] = "Promotion Olympe de Gouges"
    form["start_date"] = "01/09/2026"
    form["end_date"] = "18/12/2026"
    form["tutor"] = "Sophie Durand"
    form["subject"] = "L'intercommunalité"

    assert form.submit("_save").status_code == 302

    internship = Internship.objects.get()
    assert (internship.student_name, internship.status) == ("Louis Bernard", InternshipStatus.PLANNED)


def test_internship_dates_out_of_order_are_refused_with_the_input_kept(django_app, amf_staff):
    internship = _internship()
    form = django_app.get(f"/admin/agreements/internship/{internship.pk}/change/", user=amf_staff).forms[
        "internship_form"
    ]
    form["end_date"] = "01/08/2026"
    form["tutor"] = "Paul Tuteur"

    response = form.submit("_save")

    assert response.status_code == 200
    assert response.forms["internship_form"]["tutor"].value == "Paul Tuteur"
    internship.refresh_from_db()
    assert (internship.end_date, internship.tutor) == (datetime.date(2026, 12, 18), "Sophie Durand")


def test_a_cancelled_internship_is_read_only(django_app, amf_staff):
    internship = _internship(status=InternshipStatus.CANCELLED)
    form = django_app.get(f"/admin/agreements/internship/{internship.pk}/change/", user=amf_staff).forms[
        "internship_form"
    ]
    assert "_save" not in form.fields
    assert form.submit(status=403).status_code == 403


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_internship_actions_follow_the_transitions_on_the_selected_rows(django_app, persona, role):
    planned, other, completed = _internship(name="A"), _internship(name="B"), _internship(InternshipStatus.COMPLETED)
    url = "/admin/agreements/internship/"

    page = run_admin_action(django_app, url, user=persona(role), action="start_internships", selected=[planned])
    assert admin_messages(page) == ["1 stage démarré."]
    assert [_status(planned), _status(other)] == [InternshipStatus.IN_PROGRESS, InternshipStatus.PLANNED]

    page = run_admin_action(django_app, url, user=persona(role), action="complete_internships", selected=[planned])
    assert admin_messages(page) == ["1 stage terminé."]

    page = run_admin_action(
        django_app, url, user=persona(role), action="cancel_internships", selected=[completed, other]
    )
    assert admin_messages(page) == [
        f"{completed} : Transition impossible : un stage « terminé » ne peut pas passer au statut « annulé ».",
        "1 stage annulé.",
    ]
    assert [_status(planned), _status(other), _status(completed)] == [
        InternshipStatus.COMPLETED,
        InternshipStatus.CANCELLED,
        InternshipStatus.COMPLETED,
    ]


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_study_added_in_the_admin_is_requested_and_records_its_author(django_app, persona, role):
    user = persona(role)
    form = django_app.get("/admin/agreements/study/add/", user=user).forms["study_form"]
    assert {"status", "delivered_on", "deliverable"} & set(form.fields) == set()
    form["subject"] = "Les petites communes et la formation"
    form["requester"] = "Direction des études"
    form["requested_on"] = "02/03/2026"

    assert form.submit("_save").status_code == 302

    study = Study.objects.get()
    assert (study.status, study.created_by) == (StudyStatus.REQUESTED, user)


def test_study_actions_follow_the_transitions_and_delivered_studies_stay_closed(django_app, amf_staff):
    requested, delivered = _study(), _study(StudyStatus.IN_PROGRESS, subject="Étude livrée")
    Study.objects.filter(pk=delivered.pk).update(status=StudyStatus.DELIVERED, delivered_on=datetime.date(2026, 6, 1))
    url = "/admin/agreements/study/"

    page = run_admin_action(django_app, url, user=amf_staff, action="start_studies", selected=[requested, delivered])
    assert admin_messages(page) == [
        "Étude livrée : Transition impossible : une étude « livrée » ne peut pas passer au statut « en cours ».",
        "1 étude commencée.",
    ]
    page = run_admin_action(django_app, url, user=amf_staff, action="cancel_studies", selected=[requested])
    assert admin_messages(page) == ["1 étude abandonnée."]
    assert [_status(requested), _status(delivered)] == [StudyStatus.CANCELLED, StudyStatus.DELIVERED]

    form = django_app.get(f"/admin/agreements/study/{delivered.pk}/change/", user=amf_staff).forms["study_form"]
    assert "_save" not in form.fields
