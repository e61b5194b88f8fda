"""Issue 21, item 6: a delegation's départements change from the admin with a trace; anonymised rows are read-only."""

import datetime

import pytest
from django.utils import timezone

from events.models import EventRegistration
from partnership.enums import HistoryAction
from partnership.models import ActionLogEntry
from partnership.personal_data import personal_data_apply_retention
from tests.events.factories import EventFactory, EventRegistrationFactory
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def test_amf_staff_changing_departements_leaves_a_trace_in_the_action_log(django_app, amf_staff, delegation):
    kept = delegation.departments.get()
    added = DepartmentFactory()
    url = f"/admin/partnership/delegation/{delegation.pk}/change/"
    form = django_app.get(url, user=amf_staff).forms["delegation_form"]
    form["departments"] = [str(kept.pk), str(added.pk)]
    form.submit("_save").follow()

    assert set(delegation.departments.all()) == {kept, added}
    entry = ActionLogEntry.objects.get(object_id=delegation.pk, content_type__model="delegation")
    assert (entry.actor, entry.action, entry.changes) == (
        amf_staff,
        HistoryAction.UPDATED,
        [["Départements couverts", [str(kept)], sorted([str(kept), str(added)])]],
    )
    # The trace is on the delegation's admin page, as on every object's.
    page = django_app.get(url, user=amf_staff)
    assert str(added) in page.html.select_one("section.action-history").get_text()

    # Sent back unchanged: nothing more is recorded.
    django_app.get(url, user=amf_staff).forms["delegation_form"].submit("_save")
    assert ActionLogEntry.objects.filter(content_type__model="delegation").count() == 1


def test_an_anonymised_event_registration_is_read_only_in_the_admin(
    django_app, amf_staff, delegation, commune, settings
):
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    ended = timezone.now() - datetime.timedelta(days=40)
    event = EventFactory(
        delegation=delegation,
        starts_at=ended - datetime.timedelta(hours=3),
        ends_at=ended,
        registration_closes_at=ended - datetime.timedelta(days=2),
    )
    registration = EventRegistrationFactory(event=event, collectivity=commune, first_name="Jeanne", last_name="Martin")
    live = EventRegistrationFactory(event=EventFactory(delegation=delegation), collectivity=commune)
    personal_data_apply_retention()

    url = f"/admin/events/eventregistration/{registration.pk}/change/"
    page = django_app.get(url, user=amf_staff)
    # Django's view-only page: the values as text, no input to type into, no « Enregistrer ».
    assert page.html.select("input[name=first_name], input[name=last_name], input[name=_save]") == []
    assert [
        field.get_text(strip=True)
        for field in page.html.select(".field-first_name .readonly, .field-last_name .readonly")
    ] == [
        "Personne",
        "anonymisée",
    ]
    response = django_app.post(
        url, {"first_name": "Jeanne", "last_name": "Martin", "quality": "agent"}, user=amf_staff, expect_errors=True
    )
    assert response.status_code == 403
    assert EventRegistration.objects.values_list("first_name", "last_name").get(pk=registration.pk) == (
        "Personne",
        "anonymisée",
    )
    # A registration not anonymised stays editable.
    assert (
        "eventregistration_form"
        in django_app.get(f"/admin/events/eventregistration/{live.pk}/change/", user=amf_staff).forms
    )
