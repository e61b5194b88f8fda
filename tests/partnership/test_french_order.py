"""Lists of regions and delegations read in French alphabetical order: « Île-de-France » among the I,
not after « Provence-Alpes-Côte d'Azur » as the bytes of « Î » would put it (SQLite, a C collation)."""

import pytest

from events.selectors import intervention_statistics
from partnership.models import Delegation, Region
from stats.indicators import contracts_by_delegation
from stats.selectors import delegation_choices
from tests.events.factories import SpeakerFactory, TimeSlotFactory
from tests.factories import DelegationFactory, RegionFactory

pytestmark = pytest.mark.django_db

NAMES = ["Hauts-de-France", "Île-de-France", "Normandie", "Occitanie"]


@pytest.fixture
def regions():
    made = [RegionFactory(code=code, name=name) for code, name in zip(["32", "11", "28", "76"], NAMES, strict=True)]
    for region in made:
        DelegationFactory(region=region, name=f"Délégation {region.name}", code=f"delegation-{region.code}")
    return made


def _ours(labels) -> list[str]:
    return [label for label in labels if any(name in label for name in NAMES)]


def test_the_delegation_and_region_choices_are_in_french_order(django_app, national_staff, regions):
    contract = django_app.get("/contrats/nouveau/", user=national_staff)
    labels = [option.get_text(strip=True) for option in contract.html.select("#id_delegation option")]
    assert _ours(labels) == [f"Délégation {name}" for name in NAMES]

    event = django_app.get("/evenements/gestion/nouveau/", user=national_staff)
    labels = [option.get_text(strip=True) for option in event.html.select("#id_delegation option")]
    assert _ours(labels) == [f"Délégation {name}" for name in NAMES]

    speakers = django_app.get("/evenements/intervenants/", user=national_staff)
    labels = [option.get_text(strip=True) for option in speakers.html.select("#id_region option")]
    assert _ours(labels) == NAMES

    choose = django_app.get("/formations/actions/nouvelle/", user=national_staff)
    assert _ours(a.get_text(strip=True) for a in choose.html.select("main a")) == [f"Délégation {n}" for n in NAMES]


def test_the_statistics_list_delegations_in_french_order(national_staff, regions):
    assert _ours(row["delegation"] for row in contracts_by_delegation()) == [f"Délégation {n}" for n in NAMES]
    assert _ours(name for _pk, name in delegation_choices(national_staff)) == [f"Délégation {n}" for n in NAMES]
    assert Delegation.objects.count() >= 4 and Region.objects.count() >= 4


def test_the_speakers_statistics_by_region_are_in_french_order(regions):
    for region in reversed(regions):
        speaker = SpeakerFactory()
        speaker.regions.set([region])
        TimeSlotFactory().speakers.set([speaker])
    assert list(intervention_statistics()["by_region"]) == NAMES
