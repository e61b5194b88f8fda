"""The framework agreement in the admin: no list action deletes agreements, and with them their axes."""

from django.contrib.admin import helpers
from django.urls import reverse

from agreements.models import Amendment, CollaborationAxis, FrameworkAgreement
from tests.agreements.factories import make_framework_agreement


def _agreement() -> FrameworkAgreement:
    return make_framework_agreement(axes=["promouvoir les dispositifs de formation"], amendments=["Prolongation"])


def test_agreements_cannot_be_deleted_from_the_list(client, amf_staff):
    agreement = _agreement()
    client.force_login(amf_staff)
    url = reverse("admin:agreements_frameworkagreement_changelist")
    page = client.get(url)
    assert page.context["action_form"] is None  # no action left: Django draws no action bar
    # The action posted anyway, confirmation included, as Django's own « delete selected » expects it.
    response = client.post(
        url, {"action": "delete_selected", helpers.ACTION_CHECKBOX_NAME: [agreement.pk], "post": "yes"}, follow=True
    )
    assert response.status_code == 200
    assert FrameworkAgreement.objects.filter(pk=agreement.pk).exists()
    assert CollaborationAxis.objects.filter(agreement=agreement).count() == 1
    assert Amendment.objects.filter(agreement=agreement).count() == 1


def test_an_axis_row_names_its_fields(client, amf_staff):
    agreement = _agreement()
    client.force_login(amf_staff)
    page = client.get(reverse("admin:agreements_frameworkagreement_change", args=[agreement.pk])).content.decode()
    assert 'aria-label="Intitulé, ligne 1"' in page
    assert 'aria-label="Supprimer, ligne 1"' in page
    assert 'aria-label="Intitulé, nouvelle ligne"' in page  # the empty row « Ajouter » copies
