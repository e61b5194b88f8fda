"""Journey: AMF staff open the framework agreement in the admin, at 1280 px.

Its list offers no bulk deletion (that would take its axes and amendments with it), its change page
passes axe-core (each field of the axes' and amendments' tables has a name), and no column is
clipped: every column's header and fields lie inside the window.
"""

import datetime

import pytest
from django.urls import reverse

from agreements.models import Amendment, CollaborationAxis, FrameworkAgreement
from tests.agreements.factories import make_framework_agreement

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXES = [
    "promouvoir les dispositifs de formation de la loi du 19 février 2007 auprès des communes",
    "co-organiser des actions événementielles (séminaires, colloques…) sur des sujets d'actualité",
    "favoriser l'échange de données statistiques",
    "favoriser la constitution d'un réseau d'intervenants",
    "favoriser l'accès des élèves administrateurs territoriaux de l'INET à des stages au sein de l'AMF "
    "et la réalisation d'études à la demande de l'AMF",
]


def _agreement() -> FrameworkAgreement:
    agreement = make_framework_agreement(
        axes=AXES,
        amendments=["Prolongation de l'accord-cadre"],
        signed_on=datetime.date(2013, 3, 21),
        valid_from=datetime.date(2013, 3, 21),
        valid_until=datetime.date(2016, 3, 20),
    )
    Amendment.objects.filter(agreement=agreement).update(signed_on=datetime.date(2016, 3, 1))
    return agreement


def test_framework_agreement_admin_keeps_its_axes_is_accessible_and_unclipped(journey, amf_staff):
    agreement = _agreement()
    run = journey("admin-accord-cadre")
    page = run.login(amf_staff, path="/connexion/?next=/admin/")

    run.goto(page, reverse("admin:agreements_frameworkagreement_changelist"))
    assert page.locator("select[name=action]").count() == 0  # no action at all, « delete selected » included
    assert run.clipped(page) == []
    run.step(page, "liste des accords-cadres")

    run.goto(page, reverse("admin:agreements_frameworkagreement_change", args=[agreement.pk]))
    assert page.locator("#axes-group tbody tr.form-row.has_original").count() == 5
    assert run.clipped(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    run.step(page, "fiche de l'accord-cadre")
    run.assert_accessible()
    # The fields of an axis's row are named by their column and their row.
    assert page.get_by_label("Intitulé, ligne 3", exact=True).input_value() == AXES[2]
    assert page.get_by_label("Supprimer, ligne 1", exact=True).count() == 2  # an axis, an amendment

    # On a phone, the page does not scroll sideways: the tables scroll in their own frames.
    change = reverse("admin:agreements_frameworkagreement_change", args=[agreement.pk])
    phone = run.login(amf_staff, path=f"/connexion/?next={change}", phone=True)
    assert phone.url == run.url + change
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    run.step(phone, "fiche de l'accord-cadre sur telephone")
    run.assert_accessible()
    assert CollaborationAxis.objects.filter(agreement=agreement).count() == 5
