"""The defaults of a contract, each decided in one place: its end date and its countersignatory."""

import datetime

import pytest

from agreements.services import drafting
from partnership.enums import Role
from tests.agreements.factories import make_contract, party
from tests.factories import DelegationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def delegate(delegation_staff):
    return UserFactory(
        role=Role.DELEGATION_STAFF, delegation=delegation_staff.delegation, function="Déléguée régionale"
    )


def test_default_end_date_is_three_years_less_a_day():
    assert drafting.default_end_date(datetime.date(2027, 1, 1)) == datetime.date(2029, 12, 31)
    assert drafting.default_end_date(datetime.date(2028, 2, 29)) == datetime.date(2031, 2, 27)


def test_a_contract_created_or_changed_without_an_end_date_gets_the_default(delegation_staff, commune):
    contract = make_contract(actor=delegation_staff, collectivities=[commune], start=datetime.date(2027, 1, 1))
    assert contract.end_date == datetime.date(2029, 12, 31)

    drafting.contract_update(
        contract=contract,
        actor=delegation_staff,
        expected_version=contract.version,
        title=contract.title,
        start_date=datetime.date(2027, 9, 1),
        parties=[party(commune, pk=contract.parties.get().pk)],
    )

    contract.refresh_from_db()
    assert (contract.start_date, contract.end_date) == (datetime.date(2027, 9, 1), datetime.date(2030, 8, 31))


def test_the_default_countersignatory_is_the_active_delegue_of_the_delegation(delegation_staff, delegate):
    UserFactory(role=Role.DELEGATION_STAFF, delegation=DelegationFactory(), function="Délégué régional")
    UserFactory(
        role=Role.DELEGATION_STAFF, delegation=delegation_staff.delegation, function="Délégué adjoint", is_active=False
    )

    assert drafting.default_delegate(delegation_staff.delegation) == delegate


def test_a_delegation_without_a_delegue_proposes_no_one(delegation_staff):
    assert drafting.default_delegate(delegation_staff.delegation) is None


def test_the_new_contract_form_proposes_the_default_countersignatory(django_app, delegation_staff, delegate):
    form = django_app.get("/contrats/nouveau/", user=delegation_staff).forms["contract-form"]

    assert form["delegate"].value == str(delegate.pk)
