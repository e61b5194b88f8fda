"""Feuille d'émargement: the grid form, the CSV import, the PDF sheet, trainee-days."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from partnership.imports import import_file
from tests.trainings.factories import ProgrammeLineFactory, RegistrationFactory, SessionFactory, in_days
from trainings import attendance as attendance_services
from trainings import imports
from trainings.enums import Period, RegistrationStatus
from trainings.models import Attendance
from trainings.selectors import delivered_trainee_days_by_line


@pytest.fixture
def past_session(action, commune):
    day = in_days(-1)
    return SessionFactory(
        action=action,
        venue=commune,
        capacity=5,
        start_date=day,
        half_days=[(day, Period.MORNING), (day, Period.AFTERNOON)],
    )


def _statuses(session):
    return sorted(
        Attendance.objects.filter(half_day__session=session).values_list(
            "registration__email", "half_day__period", "status"
        )
    )


def test_attendance_record_refuses_someone_not_registered(delegation_staff, past_session):
    cancelled = RegistrationFactory(
        session=past_session, status=RegistrationStatus.CANCELLED, cancelled_at=past_session.created_at
    )
    stranger = RegistrationFactory()  # registered to another session
    half_day = past_session.half_days.first()
    for registration in (cancelled, stranger):
        with pytest.raises(ValidationError) as excinfo:
            attendance_services.attendance_record(
                actor=delegation_staff, session=past_session, marks={(registration.pk, half_day.pk): "present"}
            )
        assert excinfo.value.messages == [
            "Saisie refusée : une personne n'a pas d'inscription confirmée à cette session."
        ]
    assert Attendance.objects.count() == 0


def test_attendance_record_refuses_future_half_day(delegation_staff, session):
    registration = RegistrationFactory(session=session)
    half_day = session.half_days.first()
    with pytest.raises(ValidationError) as excinfo:
        attendance_services.attendance_record(
            actor=delegation_staff, session=session, marks={(registration.pk, half_day.pk): "present"}
        )
    assert excinfo.value.messages == [f"La demi-journée du {half_day} n'a pas encore eu lieu."]


def test_attendance_form_updates_and_erases(client, delegation_staff, past_session):
    registration = RegistrationFactory(session=past_session, email="a@ville.fr")
    am, pm = past_session.half_days.order_by("period")
    client.force_login(delegation_staff)
    url = f"/formations/sessions/{past_session.pk}/emargement/"
    client.post(
        url, {f"presence_{registration.pk}_{am.pk}": "present", f"presence_{registration.pk}_{pm.pk}": "absent"}
    )
    assert _statuses(past_session) == [("a@ville.fr", "am", "present"), ("a@ville.fr", "pm", "absent")]
    client.post(url, {f"presence_{registration.pk}_{am.pk}": "excused", f"presence_{registration.pk}_{pm.pk}": ""})
    assert _statuses(past_session) == [("a@ville.fr", "am", "excused")]


def _import(client, user, session, content: bytes):
    """The import page's form, posted as the browser sends it."""
    client.force_login(user)
    return client.post(
        f"/formations/sessions/{session.pk}/emargement/import/",
        {"file": SimpleUploadedFile("presences.csv", content, content_type="text/csv")},
    )


def test_attendance_csv_import_all_lines(client, delegation_staff, past_session):
    RegistrationFactory(session=past_session, email="a@ville.fr")
    RegistrationFactory(session=past_session, email="b@ville.fr")
    day = f"{past_session.start_date:%d/%m/%Y}"
    content = (
        f"email;date;demi-journee;statut\n"
        f"a@ville.fr;{day};matin;présent\nA@ville.fr;{day};après-midi;présent\nb@ville.fr;{day};matin;excusé\n"
    ).encode()
    response = _import(client, delegation_staff, past_session, content)
    assert response["Location"] == f"/formations/sessions/{past_session.pk}/emargement/"
    assert _statuses(past_session) == [
        ("a@ville.fr", "am", "present"),
        ("a@ville.fr", "pm", "present"),
        ("b@ville.fr", "am", "excused"),
    ]


def test_attendance_csv_import_reports_lines_and_imports_nothing(client, delegation_staff, past_session):
    RegistrationFactory(session=past_session, email="a@ville.fr")
    day = f"{past_session.start_date:%d/%m/%Y}"
    content = (
        f"email;date;demi-journee;statut\n"
        f"a@ville.fr;{day};matin;présent\n"
        f"inconnu@ville.fr;{day};matin;présent\n"
        f"a@ville.fr;31/02/2026;soir;peut-être\n"
        f"a@ville.fr;{day}\n"
    ).encode()
    response = _import(client, delegation_staff, past_session, content)
    assert response.status_code == 400
    assert response.context["errors"] == [
        "Ligne 3\u00a0: aucune inscription confirmée pour «\u00a0inconnu@ville.fr\u00a0» à cette session.",
        "Ligne 4\u00a0: date «\u00a031/02/2026\u00a0» invalide (format JJ/MM/AAAA)\u00a0; demi-journée «\u00a0soir\u00a0» "
        "inconnue (matin ou après-midi)\u00a0; statut «\u00a0peut-être\u00a0» inconnu (présent, absent ou excusé).",
        "Ligne 5\u00a0: 4 colonnes attendues (séparateur\u00a0: point-virgule), 2 trouvées.",
    ]
    assert "Rien n'a été importé" in response.content.decode()
    assert Attendance.objects.count() == 0


def test_attendance_csv_with_a_huge_cell_or_a_nul_answers_its_lines_not_a_500(client, delegation_staff, past_session):
    RegistrationFactory(session=past_session, email="a@ville.fr")
    day = f"{past_session.start_date:%d/%m/%Y}"
    content = (
        f"email;date;demi-journee;statut\n"
        f"a@ville.fr;{day};matin;pr\x00sent\n"
        f"a@ville.fr;{day};après-midi;{'x' * 200_000}\n"
        f"a@ville.fr;{day};matin;présent\n"
    ).encode()
    response = _import(client, delegation_staff, past_session, content)
    assert response.status_code == 400
    assert response.context["errors"] == [
        "Ligne 2\u00a0: statut — caractère nul (NUL) interdit dans une cellule.",
        "Ligne 3\u00a0: statut — 200\u00a0000 caractères, 20 au plus.",
    ]
    assert Attendance.objects.count() == 0


def test_attendance_csv_import_bad_header(delegation_staff, past_session):
    with pytest.raises(ValidationError) as excinfo:
        import_file(actor=delegation_staff, kind=imports.ATTENDANCE, target=past_session, content=b"nom,prenom\nx,y\n")
    assert excinfo.value.messages == [
        "Ligne 1\u00a0: en-tête attendu «\u00a0email;date;demi-journee;statut\u00a0», trouvé «\u00a0nom;prenom\u00a0» "
        "(colonnes manquantes\u00a0: email, date, demi-journee, statut\u00a0; colonnes inconnues\u00a0: nom, prenom)."
    ]


def test_attendance_sheet_pdf(client, delegation_staff, past_session):
    RegistrationFactory(session=past_session)
    client.force_login(delegation_staff)
    response = client.get(f"/formations/sessions/{past_session.pk}/feuille-emargement.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_delivered_trainee_days_by_line_counts_half_days_present(
    delegation_staff, contract, programme_line, past_session, django_assert_num_queries
):
    other_line = ProgrammeLineFactory(contract=contract, title="Autre ligne")
    present = RegistrationFactory(session=past_session)
    half = RegistrationFactory(session=past_session)
    absent = RegistrationFactory(session=past_session)
    am, pm = past_session.half_days.order_by("period")
    attendance_services.attendance_record(
        actor=delegation_staff,
        session=past_session,
        marks={
            (present.pk, am.pk): "present",
            (present.pk, pm.pk): "present",
            (half.pk, am.pk): "present",
            (half.pk, pm.pk): "excused",
            (absent.pk, am.pk): "absent",
        },
    )
    with django_assert_num_queries(2):
        delivered = delivered_trainee_days_by_line(contract)
    assert delivered == {programme_line.pk: Decimal("1.5"), other_line.pk: Decimal("0")}
