"""The statistics' tests read ``tests/stats/world.py``'s dataset: every figure computed by hand from it."""

import pytest

from tests.stats.world import build_world, grow_world


@pytest.fixture
def world(delegation, other_delegation, delegation_staff, other_delegation_staff):
    """See ``build_world``."""
    return build_world(delegation, other_delegation, delegation_staff, other_delegation_staff)


@pytest.fixture
def grow(delegation_staff):
    """``grow(world, n)`` adds ``n`` more of everything to ``world``: the query counts must not change."""

    def _grow(world, n=3):
        grow_world(world, delegation_staff, n)

    return _grow


@pytest.fixture(autouse=True)
def _fresh_figures(settings):
    """These tests measure the indicators themselves: no cached dashboard (its own test turns it on)."""
    settings.STATS_CACHE_SECONDS = 0
