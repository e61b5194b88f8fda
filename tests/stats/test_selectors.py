"""Exact figures of every indicator on the known dataset of ``conftest.world``."""

import datetime
from decimal import Decimal

import pytest

from agreements.enums import ContractStatus
from agreements.models import Theme
from stats import indicators
from tests.agreements.factories import make_contract
from trainings.models import TrainingScheme

pytestmark = pytest.mark.django_db


def _by(rows, key):
    return {row[key]: row for row in rows}


def test_contracts_by_status_counts_every_status(world):
    counts = {row["status"]: row["count"] for row in indicators.contracts_by_status()}
    # Drafts are a delegation's work in progress: public figures leave them out.
    assert counts == {
        "ready_for_signature": 1,
        "signed_by_collectivity": 0,
        "signed": 0,
        "active": 3,
        "expired": 0,
        "terminated": 0,
    }


def test_contracts_by_status_scoped_to_a_delegation(world):
    counts = {row["status"]: row["count"] for row in indicators.contracts_by_status(delegation_id=world.delegation.pk)}
    assert counts["active"] == 2
    assert counts["ready_for_signature"] == 1
    assert "draft" not in counts


def test_contracts_by_delegation_excludes_drafts(world):
    rows = _by(indicators.contracts_by_delegation(), "code")
    assert rows[world.delegation.code] == {
        "code": world.delegation.code,
        "delegation": world.delegation.name,
        "contracts": 3,
        "active": 2,
    }
    assert rows[world.other_delegation.code]["contracts"] == 1
    assert rows[world.other_delegation.code]["active"] == 1
    assert [r["code"] for r in indicators.contracts_by_delegation(delegation_id=world.delegation.pk)] == [
        world.delegation.code
    ]


def test_contracts_by_start_year_counts_contracts_past_draft(world, delegation_staff):
    make_contract(
        actor=delegation_staff,
        collectivities=[world.communes["c1"]],
        status=ContractStatus.ACTIVE,
        start=datetime.date(2030, 1, 1),
    )
    assert indicators.contracts_by_start_year() == [{"year": 2027, "contracts": 4}, {"year": 2030, "contracts": 1}]
    assert indicators.contracts_by_start_year(delegation_id=world.other_delegation.pk) == [
        {"year": 2027, "contracts": 1}
    ]


def test_planned_trainee_days_by_programme_year_counts_committed_contracts_only(world):
    # A, B and D are in force (30 trainee-days each in 2027); E (ready for signature) and C (draft) commit nothing yet.
    assert indicators.planned_trainee_days_by_year() == [
        {"year": 2027, "contracts": 3, "planned_trainee_days": Decimal("90.0")}
    ]
    assert indicators.planned_trainee_days_by_year(delegation_id=world.other_delegation.pk) == [
        {"year": 2027, "contracts": 1, "planned_trainee_days": Decimal("30.0")}
    ]


def test_coverage_by_department_counts_epci_members(world):
    d1 = world.delegation.departments.get()
    d2 = world.other_delegation.departments.get()
    rows = _by(indicators.coverage_by_department(), "code")
    # c1 directly, c2 and c3 through EPCI e1; c5's contract is not active yet; the EPCI is not a commune.
    assert rows[d1.code] == {
        "code": d1.code,
        "name": d1.name,
        "region": d1.region.name,
        "communes": 4,
        "covered_communes": 3,
        "share_communes": 75.0,
        "population": 11000,
        "covered_population": 6000,
        "share_population": 54.5,
    }
    # c6 covered; c4's contract is a draft.
    assert rows[d2.code]["communes"] == 2
    assert rows[d2.code]["covered_communes"] == 1
    assert rows[d2.code]["share_communes"] == 50.0
    assert rows[d2.code]["covered_population"] == 600
    assert rows[d2.code]["share_population"] == 13.0


def test_coverage_by_region_and_total(world):
    region = world.delegation.region
    rows = _by(indicators.coverage_by_region(), "code")
    assert rows[region.code]["name"] == region.name
    assert rows[region.code]["covered_communes"] == 3
    assert rows[region.code]["share_population"] == 54.5
    total = indicators.coverage_total(indicators.coverage_by_region())
    assert total == {
        "communes": 6,
        "covered_communes": 4,
        "share_communes": 66.7,
        "population": 15600,
        "covered_population": 6600,
        "share_population": 42.3,
    }


def test_coverage_scoped_to_a_delegation_lists_only_its_territory(world):
    rows = indicators.coverage_by_department(delegation_id=world.other_delegation.pk)
    assert [r["code"] for r in rows] == [world.other_delegation.departments.get().code]
    assert rows[0]["covered_communes"] == 1


def test_coverage_ignores_members_of_an_epci_under_a_non_active_contract(world, delegation_staff):
    world.contracts["B"].status = "expired"
    world.contracts["B"].save(update_fields=["status"])
    row = _by(indicators.coverage_by_department(), "code")[world.delegation.departments.get().code]
    assert row["covered_communes"] == 1
    assert row["covered_population"] == 1000


def test_trainee_days_by_theme_planned_vs_delivered(world):
    plan = Theme.objects.get(family="hr_support", code="plan-de-formation")
    health = Theme.objects.get(family="development_projects", code="sante-au-travail")
    rows = _by(indicators.trainee_days_by_theme(), "theme")
    # Planned: A, B, D active (E is not signed, C is a draft) = 3 × 30. Delivered under A: 3 half-days.
    assert rows[plan.label] == {
        "theme": plan.label,
        "family": plan.get_family_display(),
        "planned_trainee_days": Decimal("90.0"),
        "delivered_trainee_days": Decimal("1.5"),
        "catalogue_trainee_days": Decimal("0.0"),
        "completion": 1.7,
    }
    # Catalogue actions: 2 half-days (delegation) + 1 (other delegation).
    assert rows[health.label]["planned_trainee_days"] == Decimal("0.0")
    assert rows[health.label]["catalogue_trainee_days"] == Decimal("1.5")
    assert set(rows) == {plan.label, health.label}


def test_trainee_days_by_theme_scoped(world):
    plan = Theme.objects.get(family="hr_support", code="plan-de-formation")
    health = Theme.objects.get(family="development_projects", code="sante-au-travail")
    rows = _by(indicators.trainee_days_by_theme(delegation_id=world.delegation.pk), "theme")
    assert rows[plan.label]["planned_trainee_days"] == Decimal("60.0")
    assert rows[plan.label]["delivered_trainee_days"] == Decimal("1.5")
    assert rows[health.label]["catalogue_trainee_days"] == Decimal("1.0")


def test_trainee_days_by_scheme(world):
    scheme = TrainingScheme.objects.get(code="perfectionnement")
    # Scheduled: (2 half-days × 2 confirmed) + (2 × 1) + (2 × 1) = 8 half-days; delivered 6 half-days.
    assert indicators.trainee_days_by_scheme() == [
        {"scheme": scheme.label, "scheduled_trainee_days": Decimal("4.0"), "delivered_trainee_days": Decimal("3.0")}
    ]
    assert indicators.trainee_days_by_scheme(delegation_id=world.other_delegation.pk) == [
        {"scheme": scheme.label, "scheduled_trainee_days": Decimal("1.0"), "delivered_trainee_days": Decimal("0.5")}
    ]


def test_trainees_by_category(world):
    assert indicators.trainees_by_category() == [
        {"category": "A", "label": "Catégorie A", "trainees": 2, "share": 50.0, "trainee_days": Decimal("1.0")},
        {"category": "B", "label": "Catégorie B", "trainees": 0, "share": 0.0, "trainee_days": Decimal("0.0")},
        {"category": "C", "label": "Catégorie C", "trainees": 2, "share": 50.0, "trainee_days": Decimal("2.0")},
    ]
    scoped = _by(indicators.trainees_by_category(delegation_id=world.delegation.pk), "category")
    assert scoped["A"]["trainees"] == 1
    assert scoped["A"]["trainee_days"] == Decimal("0.5")


def test_events_by_kind(world):
    rows = _by(indicators.events_by_kind(), "kind")
    assert rows["seminar"] == {
        "kind": "seminar",
        "label": "Séminaire",
        "events": 1,
        "participants": 2,
        "waitlisted": 1,
        "attended": 1,
        "satisfaction": 4.0,
    }
    assert rows["webinar"]["events"] == 1
    assert rows["webinar"]["participants"] == 1
    assert rows["webinar"]["satisfaction"] is None
    assert rows["conference"]["events"] == 0
    scoped = _by(indicators.events_by_kind(delegation_id=world.delegation.pk), "kind")
    assert scoped["webinar"]["events"] == 0
    assert scoped["seminar"]["participants"] == 2


def test_speakers_activity(world):
    themes = _by(indicators.speakers_by_theme(), "theme")
    assert themes["occupational_health"]["speakers"] == 2
    assert themes["occupational_health"]["event_interventions"] == 2
    assert themes["illiteracy"]["speakers"] == 1  # the inactive speaker is not counted
    assert themes["illiteracy"]["event_interventions"] == 0
    assert indicators.speakers_summary() == {"speakers": 2, "event_interventions": 3, "training_interventions": 1}
    assert indicators.speakers_summary(delegation_id=world.delegation.pk) == {
        "speakers": 2,
        "event_interventions": 2,
        "training_interventions": 1,
    }
    regions = _by(indicators.speakers_by_region(), "code")
    assert regions[world.delegation.region.code] == {
        "code": world.delegation.region.code,
        "region": world.delegation.region.name,
        "speakers": 1,
        "event_interventions": 2,
        "training_interventions": 1,
    }
    assert regions[world.other_delegation.region.code]["event_interventions"] == 0  # online webinar: no region
    scoped = indicators.speakers_by_region(delegation_id=world.other_delegation.pk)
    assert [r["code"] for r in scoped] == [world.other_delegation.region.code]


def test_internships_and_studies_by_status(world):
    assert {r["status"]: r["count"] for r in indicators.internships_by_status()} == {
        "planned": 2,
        "in_progress": 0,
        "completed": 1,
        "cancelled": 0,
    }
    assert {r["status"]: r["count"] for r in indicators.studies_by_status()} == {
        "requested": 1,
        "in_progress": 0,
        "delivered": 1,
        "cancelled": 0,
    }


def test_indicators_are_empty_but_well_formed_without_data(db):
    assert indicators.trainee_days_by_theme() == []
    assert indicators.contracts_by_start_year() == []
    assert indicators.planned_trainee_days_by_year() == []
    assert indicators.coverage_total([])["share_communes"] == 0.0
    assert all(row["count"] == 0 for row in indicators.contracts_by_status())
