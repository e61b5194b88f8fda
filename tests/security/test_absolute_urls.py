"""Each model that has a page says where it is (``get_absolute_url``): the lists, the e-mails, the « À faire »
page and the admin's « Voir sur le site » all link there."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# world attribute → the page its ``get_absolute_url`` must name.
PAGES = {
    "contract": "agreements:contract_detail",
    "event": "events:event_detail",
    "speaker": "events:speaker_detail",
    "action": "trainings:action_detail",
    "session": "trainings:session_detail",
    "internship": "axis5:internship_detail",
    "study": "axis5:study_detail",
    "export": "stats:export_download",
}


@pytest.mark.parametrize("name", PAGES)
def test_get_absolute_url_is_the_object_s_page_and_answers_to_staff(client, world, delegation_staff, name):
    obj = getattr(world, name)

    url = obj.get_absolute_url()

    assert url == reverse(PAGES[name], args=[obj.pk])
    client.force_login(delegation_staff)
    assert client.get(url).status_code == 200


def test_the_admin_s_view_on_site_link_opens_the_object_s_page(django_app, world, amf_staff):
    change_page = django_app.get(reverse("admin:agreements_study_change", args=[world.study.pk]), user=amf_staff)

    on_site = change_page.click(description="Voir sur le site").maybe_follow()

    assert (on_site.status_code, on_site.request.path) == (200, world.study.get_absolute_url())
    assert world.study.subject in on_site.html.select_one("h1").get_text()
