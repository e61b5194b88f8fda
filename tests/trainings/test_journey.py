"""The whole journey through the pages: plan, register until full, cancel, attend, certify, count."""

import datetime
from decimal import Decimal

from django.core import mail
from django.utils import timezone

from trainings.enums import RegistrationStatus
from trainings.models import Registration, Session, TrainingScheme
from trainings.selectors import delivered_trainee_days_by_line


def _register(client, session, n):
    return client.post(
        f"/formations/sessions/{session.pk}/inscrire/",
        {
            "first_name": "Agent",
            "last_name": f"N{n}",
            "email": f"agent{n}@ville.example.fr",
            "category": "C",
            "job": "Agent technique",
        },
    )


def test_training_journey(
    client, delegation_staff, hr_contact, commune, contract, programme_line, django_capture_on_commit_callbacks
):
    # Delegation staff create an action under the contract's programme line and plan a session.
    client.force_login(delegation_staff)
    response = client.post(
        "/formations/actions/nouvelle/",
        {
            "title": "Prévenir les risques psychosociaux",
            "programme_line": programme_line.pk,
            "scheme": _scheme_pk(),
            "theme": programme_line.theme.pk,
            "mode": "intra",
            "audience": ["B", "C"],
            "duration_days": "1",
            "objectives": "Repérer les situations à risque.",
        },
    )
    action = programme_line.training_actions.get()
    assert response["Location"] == f"/formations/actions/{action.pk}/"
    day = timezone.localdate() + datetime.timedelta(days=20)
    response = client.post(
        f"/formations/actions/{action.pk}/sessions/nouvelle/",
        {"half_days": f"{day:%d/%m/%Y} journée", "venue": commune.code, "address": "Salle des fêtes", "capacity": "2"},
    )
    session = Session.objects.get(action=action)
    assert response["Location"] == f"/formations/sessions/{session.pk}/"
    assert [(h.date, h.period) for h in session.half_days.all()] == [(day, "am"), (day, "pm")]

    # The HR contact registers agents until the session is full; the next ones wait.
    client.force_login(hr_contact)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(1, 5):
            assert _register(client, session, n).status_code == 302
    statuses = list(Registration.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    page = client.get(f"/formations/sessions/{session.pk}/").content.decode()
    assert "2 confirmées sur 2 · 2 en liste d'attente" in page

    # A cancellation promotes the first waiting agent, who is told by e-mail.
    mail.outbox.clear()
    first = Registration.objects.get(email="agent1@ville.example.fr")
    with django_capture_on_commit_callbacks(execute=True):
        # What the confirmation page posts (tests/trainings/test_confirmations.py walks that page).
        response = client.post(f"/formations/inscriptions/{first.pk}/annuler/", {"confirmation": "oui"})
    assert response["Location"] == f"/formations/sessions/{session.pk}/"
    assert Registration.objects.get(email="agent3@ville.example.fr").status == RegistrationStatus.CONFIRMED
    assert Registration.objects.get(email="agent4@ville.example.fr").status == RegistrationStatus.WAITLISTED
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("agent1@ville.example.fr", "Inscription annulée – Prévenir les risques psychosociaux"),
        ("agent3@ville.example.fr", "Place libérée : inscription confirmée – Prévenir les risques psychosociaux"),
    ]

    # The day comes (moved here to today) and the delegation takes attendance in one form.
    Session.objects.filter(pk=session.pk).update(start_date=timezone.localdate(), end_date=timezone.localdate())
    session.half_days.update(date=timezone.localdate())
    am, pm = session.half_days.order_by("period")
    present = Registration.objects.get(email="agent2@ville.example.fr")
    absent = Registration.objects.get(email="agent3@ville.example.fr")
    client.force_login(delegation_staff)
    response = client.post(
        f"/formations/sessions/{session.pk}/emargement/",
        {
            f"presence_{present.pk}_{am.pk}": "present",
            f"presence_{present.pk}_{pm.pk}": "present",
            f"presence_{absent.pk}_{am.pk}": "absent",
            f"presence_{absent.pk}_{pm.pk}": "excused",
        },
    )
    assert response["Location"] == f"/formations/sessions/{session.pk}/emargement/"

    # Certificates: for the agent present, downloadable by their employer; absent → 404.
    client.force_login(hr_contact)
    certificate = client.get(f"/formations/inscriptions/{present.pk}/attestation.pdf")
    assert certificate["Content-Type"] == "application/pdf"
    assert certificate.content.startswith(b"%PDF")
    assert client.get(f"/formations/inscriptions/{absent.pk}/attestation.pdf").status_code == 404

    # Delivered trainee-days: two half-days present = one day, on the programme line.
    assert delivered_trainee_days_by_line(contract) == {programme_line.pk: Decimal("1.0")}


def _scheme_pk():
    return TrainingScheme.objects.get(code="perfectionnement").pk
