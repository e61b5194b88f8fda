"""The API is fuzzed on a populated database: every kind of row its endpoints read (``tests/stats/world.py``)."""

from dataclasses import dataclass

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from stats.enums import ExportFormat, ExportStatus
from stats.models import ExportRequest
from tests.stats.world import World, build_world


@dataclass
class Populated:
    world: World
    token: str  # a national staff member's token for the detailed API: every row in scope
    known_values: dict  # a value of each query parameter that names existing rows


@pytest.fixture
def populated(delegation, other_delegation, delegation_staff, other_delegation_staff, national_staff):
    world = build_world(delegation, other_delegation, delegation_staff, other_delegation_staff)
    ExportRequest.objects.create(
        requested_by=delegation_staff,
        dataset="contracts_by_status",
        format=ExportFormat.CSV,
        status=ExportStatus.DONE,
        row_count=6,
        finished_at=timezone.now(),
        file="exports/statuts.csv",
    )
    return Populated(
        world=world,
        token=Token.objects.create(user=national_staff).key,
        known_values={"delegation": delegation.code, "department": delegation.departments.get().code},
    )
