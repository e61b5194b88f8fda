"""Contracts in the admin: read by staff, changed only through the workspace and the contract services."""

import datetime

import pytest

from agreements.enums import ContractStatus
from agreements.models import ContractParty
from tests.agreements.factories import make_contract
from tests.helpers import admin_messages, run_admin_action

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["amf_staff", "national_admin", "superuser"])
def test_a_draft_s_parties_cannot_be_changed_in_the_admin(django_app, persona, delegation_staff, commune, role):
    """The territory rule (and Paris's exclusion) live in the contract services: the admin offers no way around."""
    contract = make_contract(actor=delegation_staff, collectivities=[commune])
    page = django_app.get(f"/admin/agreements/partnershipcontract/{contract.pk}/change/", user=persona(role))
    form = page.forms["partnershipcontract_form"]

    assert "_save" not in form.fields
    assert not any(name.startswith("parties-") and name.endswith("-collectivity") for name in form.fields)
    assert form.submit(status=403).status_code == 403
    assert list(ContractParty.objects.filter(contract=contract).values_list("collectivity", flat=True)) == [commune.pk]


def test_periods_action_runs_on_the_selected_contracts_only(
    django_app, superuser, delegation_staff, commune, other_commune
):
    start = datetime.date.today() - datetime.timedelta(days=1)
    due = [
        make_contract(actor=delegation_staff, collectivities=[c], status=ContractStatus.SIGNED, start=start)
        for c in (commune, other_commune)
    ]

    page = run_admin_action(
        django_app,
        "/admin/agreements/partnershipcontract/",
        user=superuser,
        action="activate_or_expire_due",
        selected=due[:1],
    )

    assert admin_messages(page) == ["1 contrat mis en vigueur, 0 échu."]
    for contract in due:
        contract.refresh_from_db()
    assert [c.status for c in due] == [ContractStatus.ACTIVE, ContractStatus.SIGNED]


@pytest.mark.parametrize("role", ["amf_staff", "national_admin"])
def test_staff_read_only_on_contracts_cannot_run_the_periods_action(
    django_app, persona, delegation_staff, commune, role
):
    start = datetime.date.today() - datetime.timedelta(days=1)
    contract = make_contract(
        actor=delegation_staff, collectivities=[commune], status=ContractStatus.SIGNED, start=start
    )
    page = django_app.get("/admin/agreements/partnershipcontract/", user=persona(role))
    form = page.forms["changelist-form"]
    assert "action" not in form.fields
    # A hand-made POST of the action (a tampered page) is turned away the same way.
    response = django_app.post(
        "/admin/agreements/partnershipcontract/",
        {
            "csrfmiddlewaretoken": form["csrfmiddlewaretoken"].value,
            "action": "activate_or_expire_due",
            "_selected_action": [contract.pk],
            "index": "0",
        },
        user=persona(role),
    )
    # The action is unknown to a role that lacks it: the list is shown again, nothing run.
    assert (response.status_code, admin_messages(response)) == (200, [])
    contract.refresh_from_db()
    assert contract.status == ContractStatus.SIGNED
