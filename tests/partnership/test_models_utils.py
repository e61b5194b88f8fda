"""``model_update``: the one way services write « the fields that changed »."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from agreements.models import Study
from partnership.models_utils import model_update
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db

FIELDS = ("subject", "requester", "due_on")


@pytest.fixture
def study():
    return Study.objects.create(
        subject="Les communes nouvelles",
        requester="Direction des études",
        requested_on=datetime.date(2026, 1, 5),
        due_on=datetime.date(2026, 6, 30),
    )


def test_model_update_saves_only_the_fields_that_changed(study):
    study.authors = "Changé sur l'instance, hors des champs demandés"

    changed = model_update(
        instance=study,
        fields=FIELDS,
        data={"subject": "Les communes nouvelles", "requester": "Mission études", "authors": "Ignoré"},
    )

    assert changed == ["requester"]
    stored = Study.objects.get(pk=study.pk)
    assert (stored.subject, stored.requester, stored.due_on, stored.authors) == (
        "Les communes nouvelles",
        "Mission études",
        datetime.date(2026, 6, 30),
        "",
    )


def test_model_update_writes_nothing_when_nothing_changed(study, django_assert_num_queries):
    with django_assert_num_queries(0):
        changed = model_update(
            instance=study, fields=FIELDS, data={"subject": study.subject, "due_on": study.due_on}, clean=False
        )
    assert changed == []


def test_model_update_refuses_an_invalid_value_and_writes_nothing(study):
    with pytest.raises(ValidationError) as refused:
        model_update(
            instance=study, fields=FIELDS, data={"subject": "Nouvelle étude", "due_on": datetime.date(2025, 1, 1)}
        )

    assert refused.value.message_dict == {"__all__": ["La contrainte « study_due_after_request » n’est pas respectée."]}
    assert Study.objects.get(pk=study.pk).subject == "Les communes nouvelles"


def test_model_update_without_save_only_sets_the_instance(study):
    changed = model_update(instance=study, fields=FIELDS, data={"subject": "Brouillon"}, save=False)

    assert (changed, study.subject) == (["subject"], "Brouillon")
    assert Study.objects.get(pk=study.pk).subject == "Les communes nouvelles"


def test_model_update_stamps_the_auto_now_fields_with_the_changed_ones():
    event = EventFactory()
    earlier = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    type(event).objects.filter(pk=event.pk).update(updated_at=earlier)
    event.refresh_from_db()

    assert model_update(instance=event, fields=("title",), data={"title": "Assises des maires"}) == ["title"]

    event.refresh_from_db()
    assert event.title == "Assises des maires"
    assert event.updated_at > earlier
