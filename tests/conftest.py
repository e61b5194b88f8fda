"""Personas shared by every test module (healthchecks' alice/bob/charlie, for this domain)."""

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db.backends.sqlite3.base import DatabaseOperations as SQLiteOperations
from hypothesis import settings as hypothesis_settings

from partnership.enums import Role
from tests import pki
from tests.factories import (
    CommuneFactory,
    DelegationFactory,
    UserFactory,
)

# Property tests draw the same examples on every run (a failure is reproducible, never a fluke);
# CI adds one run with a random seed (HYPOTHESIS_PROFILE=random --hypothesis-seed=N), the seed printed.
hypothesis_settings.register_profile("default", derandomize=True, database=None, deadline=None)
hypothesis_settings.register_profile("random", derandomize=False, database=None, deadline=None, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


# The rollups' tables (``stats/tally.py``): written only by triggers on the training tables.
ROLLUP_TABLES = ("stats_trainingtally", "stats_trainingsummary", "stats_interventiontally")


@pytest.fixture(scope="session", autouse=True)
def _flush_empties_the_rollups_last():
    """After a transactional test (``live_server``, concurrency), Django empties every table with one
    ``DELETE`` each, in the order of a set of names: a new order with each run. On SQLite each
    ``DELETE`` of a training table fires the rollups' triggers, which would write rows into rollup
    tables already emptied (or referencing actions deleted just after), and the next test would start
    with them. Emptying the rollups last leaves nothing behind. PostgreSQL's ``TRUNCATE`` fires no
    row trigger."""
    original = SQLiteOperations.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        statements = original(self, style, tables, **kwargs)
        return sorted(statements, key=lambda statement: any(table in statement for table in ROLLUP_TABLES))

    SQLiteOperations.sql_flush = sql_flush
    yield
    SQLiteOperations.sql_flush = original


@pytest.fixture(scope="session")
def _signing_dir(tmp_path_factory):
    # One development seal certificate for the whole run: making an RSA key per test is slow.
    return tmp_path_factory.mktemp("signing")


@pytest.fixture(scope="session")
def test_pki(tmp_path_factory):
    """The seal's test PKI (``tests/pki``): certomancer's animator serving a TSA, OCSP and CRL over HTTP on a
    free port, for the whole run of this test process (about a second to start)."""
    with pki.running(tmp_path_factory.mktemp("pki")) as running:
        yield running


@pytest.fixture
def timestamped_seal(settings, test_pki):
    """Seal as production does: the test PKI's seal certificate and chain, its TSA, OCSP and CRL (B-LTA)."""
    for name, value in test_pki.seal_settings().items():
        setattr(settings, name, value)
    return test_pki


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path, _signing_dir):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIGNING_DIR = _signing_dir
    settings.SIGNING_ALLOW_DEVELOPMENT_CERTIFICATE = True


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def delegation(db):
    return DelegationFactory()


@pytest.fixture
def other_delegation(db):
    return DelegationFactory()


@pytest.fixture
def commune(delegation):
    return CommuneFactory(department=delegation.departments.first())


@pytest.fixture
def other_commune(delegation):
    return CommuneFactory(department=delegation.departments.first())


@pytest.fixture
def national_staff(db):
    return UserFactory(role=Role.NATIONAL_STAFF)


@pytest.fixture
def delegation_staff(delegation):
    return UserFactory(role=Role.DELEGATION_STAFF, delegation=delegation)


@pytest.fixture
def other_delegation_staff(other_delegation):
    return UserFactory(role=Role.DELEGATION_STAFF, delegation=other_delegation)


@pytest.fixture
def amf_staff(db):
    return UserFactory(role=Role.AMF_STAFF, is_staff=True)


@pytest.fixture
def signatory(commune):
    return UserFactory(role=Role.SIGNATORY, collectivity=commune, function="Maire")


@pytest.fixture
def other_signatory(other_commune):
    return UserFactory(role=Role.SIGNATORY, collectivity=other_commune, function="Maire")


@pytest.fixture
def hr_contact(commune):
    return UserFactory(role=Role.HR_CONTACT, collectivity=commune)


@pytest.fixture
def other_hr_contact(other_commune):
    return UserFactory(role=Role.HR_CONTACT, collectivity=other_commune)


@pytest.fixture
def speaker_user(db):
    return UserFactory(role=Role.SPEAKER)


@pytest.fixture
def national_admin(db):
    """National CNFPT staff allowed into the Django admin (not a superuser)."""
    return UserFactory(role=Role.NATIONAL_STAFF, is_staff=True)


@pytest.fixture
def superuser(db):
    return UserFactory(role=Role.NATIONAL_STAFF, is_staff=True, is_superuser=True)


PERSONAS = [
    "national_staff",
    "delegation_staff",
    "other_delegation_staff",
    "amf_staff",
    "signatory",
    "other_signatory",
    "hr_contact",
    "other_hr_contact",
    "speaker_user",
]


@pytest.fixture
def persona(request):
    """Resolve a persona by name: ``persona("signatory")``; ``"anonymous"`` gives ``None``."""

    def resolve(name):
        return None if name == "anonymous" else request.getfixturevalue(name)

    return resolve


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgresql`` need real row locks: they run in CI, on PostgreSQL, and are skipped on SQLite."""
    if settings.DATABASE_IS_POSTGRESQL:
        return
    skip = pytest.mark.skip(reason="nécessite PostgreSQL (DATABASE_URL=postgres://…)")
    for item in items:
        if "postgresql" in item.keywords:
            item.add_marker(skip)
