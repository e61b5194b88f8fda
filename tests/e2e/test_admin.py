"""Journey d: AMF staff edits a collaboration axis of the framework agreement in the admin."""

import re

import pytest

from agreements.models import CollaborationAxis, FrameworkAgreement

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_amf_staff_edits_collaboration_axis_in_admin(journey, amf_staff):
    agreement = FrameworkAgreement.objects.create(
        title="Accord-cadre CNFPT – AMF",
        cnfpt_signatory="François Deluga",
        cnfpt_signatory_function="Président du CNFPT",
        amf_signatory="Jacques Pélissard",
        amf_signatory_function="Président de l'AMF",
    )
    axis = CollaborationAxis.objects.create(
        agreement=agreement, number=3, title="favoriser l'échange de données statistiques"
    )
    run = journey("d-admin-axe")

    page = run.login(amf_staff, path="/connexion/?next=/admin/")
    assert page.url.endswith("/admin/")
    run.step(page, "admin accueil")
    run.goto(page, "/admin/agreements/collaborationaxis/")
    run.step(page, "axes")
    page.locator("#result_list").get_by_role("link", name="3", exact=True).click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"/admin/agreements/collaborationaxis/{axis.pk}/change/")
    run.step(page, "axe 3")
    page.get_by_label(re.compile("Description")).fill("Indicateurs partagés chaque trimestre.")
    page.get_by_role("button", name=re.compile("^Enregistrer$")).click()
    page.wait_for_load_state("load")
    run.step(page, "axe enregistre")
    axis.refresh_from_db()
    assert axis.description == "Indicateurs partagés chaque trimestre."
    assert page.locator(".messagelist .success").count() == 1
    run.assert_accessible()
