"""Journey: what a person sees of their data and of their place: the « Données personnelles » page read from the
registry, an event's waiting list with each position (staff and the registrant's own page), and an export
whose file expired."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from events import registrations as event_registrations
from stats.enums import ExportStatus
from stats.models import ExportRequest
from stats.services import exports_expire
from tests.events.factories import EventFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_personal_data_page_positions_and_expired_exports(journey, delegation, commune, delegation_staff, mailoutbox):
    run = journey("p-donnees-et-positions")
    page = run.new_page()
    run.goto(page, "/donnees-personnelles/")
    assert page.locator("#donnees-exports th").inner_text() == "Exports demandés («\u00a0Mes exports\u00a0»)"
    run.step_both_widths(page, "donnees personnelles")

    event = EventFactory(delegation=delegation, venue_commune=commune, capacity=1, title="Journée RH")
    for n in range(1, 4):
        event_registrations.registration_create(
            event_id=event.pk,
            first_name=f"Personne{n}",
            last_name="Attente",
            email=f"personne{n}@mairie.example.fr",
            quality="agent",
            collectivity=commune,
        )
    expired = ExportRequest(
        requested_by=delegation_staff,
        dataset="registrations",
        format="csv",
        status=ExportStatus.DONE,
        started_at=timezone.now(),
        finished_at=timezone.now() - datetime.timedelta(days=40),
    )
    expired.file.save("ancien.csv", ContentFile(b"Nom\r\n"), save=False)
    expired.save()
    exports_expire()

    page = run.login(delegation_staff)
    run.goto(page, f"/evenements/gestion/{event.pk}/inscriptions/")
    assert page.get_by_role("row", name="personne3@mairie.example.fr").locator(".badge").inner_text() == "position 2"
    run.step_both_widths(page, "liste d'attente avec positions")
    run.goto(page, "/statistiques/exports/")
    assert page.locator(f"#export-{expired.pk} .badge").inner_text() == "Expiré"
    run.step_both_widths(page, "export expire")
    run.assert_accessible()
