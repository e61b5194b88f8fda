"""The admin pages AMF staff use daily, list and change form, pass axe (no serious or critical violation)."""

from datetime import date

import pytest

from agreements.models import Internship, Study
from tests.events.factories import EventFactory, SpeakerFactory
from tests.trainings.factories import ContractFactory, ContractPartyFactory, ProgrammeLineFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_amf_staff_daily_admin_pages_are_accessible(journey, amf_staff, delegation, commune):
    contract = ContractFactory(delegation=delegation)
    ContractPartyFactory(contract=contract, collectivity=commune)
    ProgrammeLineFactory(contract=contract)
    event = EventFactory(delegation=delegation)
    speaker = SpeakerFactory()
    internship = Internship.objects.create(
        student_name="Camille Roy",
        promotion="Promotion Simone Veil",
        start_date=date(2026, 1, 5),
        end_date=date(2026, 3, 27),
        tutor="Direction des études",
        subject="Les communes nouvelles",
    )
    study = Study.objects.create(
        subject="Les polices municipales", requester="Département action sociale", requested_on=date(2026, 2, 1)
    )
    pages = [
        ("contrats", "agreements/partnershipcontract", contract.pk),
        ("evenements", "events/event", event.pk),
        ("intervenants", "events/speaker", speaker.pk),
        ("stages", "agreements/internship", internship.pk),
        ("etudes", "agreements/study", study.pk),
    ]
    run = journey("i-admin-pages-quotidiennes")

    page = run.login(amf_staff, path="/connexion/?next=/admin/")
    run.step(page, "admin accueil")
    clipped = {}
    for name, model, pk in pages:
        run.goto(page, f"/admin/{model}/")
        run.step(page, f"{name} liste")
        clipped[f"{name} liste"] = run.clipped(page)
        run.goto(page, f"/admin/{model}/{pk}/change/")
        run.step(page, f"{name} fiche")
        clipped[f"{name} fiche"] = run.clipped(page)
    run.assert_accessible()
    # At 1280 px no column is cut off, in a list or in a change form's tables.
    assert {name: cells for name, cells in clipped.items() if cells} == {}
