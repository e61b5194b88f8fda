"""The action log itself: what an entry keeps, who reads it, and what leaves it with the people it names."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events import registrations as event_registrations
from partnership import history
from partnership.enums import HistoryAction
from partnership.models import ActionLogEntry
from partnership.personal_data import personal_data_apply_retention
from tests.events.factories import EventFactory, EventRegistrationFactory, SpeakerFactory
from tests.helpers import history_rows
from tests.trainings.factories import RegistrationFactory, SessionFactory, TrainingActionFactory, in_days
from trainings import registrations as training_registrations
from trainings.enums import RegistrationStatus

pytestmark = pytest.mark.django_db


def _entries(obj) -> list[ActionLogEntry]:
    return list(ActionLogEntry.objects.filter(object_id=obj.pk, content_type__model=obj._meta.model_name))


def test_values_are_kept_as_people_read_them():
    paris_morning = datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.UTC)
    assert [
        history.shown(datetime.date(2026, 3, 1)),
        history.shown(paris_morning),
        history.shown(Decimal("1.5")),
        history.shown(Decimal("2.0")),
        history.shown(True),
        history.shown(""),
        history.shown(["Nantes", "Angers"]),
        history.shown([]),
    ] == ["1er mars 2026", "1er mars 2026 à 10\u00a0h\u00a030", "1,5", "2", "oui", None, ["Angers", "Nantes"], None]


def test_values_of_gives_labels_choices_and_names(delegation, commune):
    event = EventFactory(delegation=delegation, venue_commune=commune, kind="webinar", theme="", capacity=30)

    assert history.values_of(event, ("kind", "theme", "venue_commune", "capacity", "mayors_associations")) == {
        "Type": "Webinaire",
        "Thème": None,
        "Commune du lieu": str(commune),
        "Nombre de places": "30",
        "AMF et associations départementales de maires co-organisatrices": None,
    }


def test_record_keeps_what_changed_and_nothing_when_nothing_did(delegation, delegation_staff):
    event = EventFactory(delegation=delegation)
    same = history.record(
        actor=delegation_staff,
        obj=event,
        action=HistoryAction.UPDATED,
        before={"Intitulé": "A", "Nombre de places": "3"},
        after={"Intitulé": "A", "Nombre de places": "3"},
    )
    changed = history.record(
        actor=delegation_staff,
        obj=event,
        action=HistoryAction.UPDATED,
        before={"Intitulé": "A", "Nombre de places": "3"},
        after={"Intitulé": "A", "Nombre de places": "4"},
    )
    removed = history.record(actor=None, obj=event, action=HistoryAction.REMOVED, before={"Intitulé": "A", "Fin": None})

    assert same is None
    assert changed.changes == [["Nombre de places", "3", "4"]]
    assert (removed.changes, removed.actor, removed.actor_label) == (
        [["Intitulé", "A", None]],
        None,
        history.SYSTEM_ACTOR,
    )
    assert _entries(event) == [removed, changed]


@pytest.mark.parametrize("name", ["signatory", "hr_contact", "speaker_user", "anonymous"])
def test_only_cnfpt_and_amf_staff_read_an_object_history(persona, delegation, delegation_staff, name):
    event = EventFactory(delegation=delegation)
    history.record(actor=delegation_staff, obj=event, action=HistoryAction.PUBLISHED)

    assert history.history_for(event, user=persona(name)) == history.ObjectHistory(visible=False, entries=[])
    for staff in ("delegation_staff", "national_staff", "amf_staff"):
        assert [entry.action for entry in history.history_for(event, user=persona(staff)).entries] == ["published"]


def test_a_page_shows_the_latest_entries_and_says_so(client, delegation, delegation_staff, settings, monkeypatch):
    monkeypatch.setattr(history, "PAGE_LIMIT", 3)
    event = EventFactory(delegation=delegation)
    for capacity in range(5):
        history.record(
            actor=delegation_staff,
            obj=event,
            action=HistoryAction.UPDATED,
            before={"Nombre de places": str(capacity)},
            after={"Nombre de places": str(capacity + 1)},
        )
    client.force_login(delegation_staff)

    response = client.get(f"/evenements/gestion/{event.pk}/")

    assert [row[2] for row in history_rows(response)] == [
        "Nombre de places : 4 → devient 5",
        "Nombre de places : 3 → devient 4",
        "Nombre de places : 2 → devient 3",
    ]
    assert "Seules les 3 actions les plus récentes sont affichées." in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        lambda event, speaker, session: f"/evenements/gestion/{event.pk}/",
        lambda event, speaker, session: f"/evenements/intervenants/{speaker.pk}/",
        lambda event, speaker, session: f"/formations/sessions/{session.pk}/",
        lambda event, speaker, session: f"/admin/events/event/{event.pk}/change/",
    ],
    ids=["event", "speaker", "session", "admin"],
)
def test_an_object_page_costs_the_same_queries_with_one_entry_or_many(client, delegation, national_admin, url):
    event, speaker = EventFactory(delegation=delegation), SpeakerFactory()
    session = SessionFactory(action=TrainingActionFactory(delegation=delegation))
    page = url(event, speaker, session)

    def grow(count):
        for obj in (event, speaker, session):
            for _ in range(count):
                history.record(
                    actor=national_admin,
                    obj=obj,
                    action=HistoryAction.UPDATED,
                    before={"Nom": "A"},
                    after={"Nom": "B"},
                )

    client.force_login(national_admin)
    grow(1)
    with CaptureQueriesContext(connection) as one:
        first = client.get(page)
    grow(29)
    with CaptureQueriesContext(connection) as many:
        second = client.get(page)
    assert (len(history_rows(first)), len(history_rows(second))) == (1, 30)
    assert len(many) == len(one)


def test_the_admin_log_is_read_only_and_costs_the_same_queries_with_one_row_or_many(
    django_app, client, amf_staff, delegation, delegation_staff
):
    event = EventFactory(delegation=delegation)

    def grow(count):
        for _ in range(count):
            history.record(actor=delegation_staff, obj=event, action=HistoryAction.PUBLISHED)

    grow(1)
    entry = ActionLogEntry.objects.get()
    page = django_app.get(f"/admin/partnership/actionlogentry/{entry.pk}/change/", user=amf_staff)
    assert 'name="_save"' not in page.text
    assert django_app.get("/admin/partnership/actionlogentry/add/", user=amf_staff, status=403).status_code == 403
    deleting = f"/admin/partnership/actionlogentry/{entry.pk}/delete/"
    assert django_app.get(deleting, user=amf_staff, status=403).status_code == 403
    client.force_login(amf_staff)
    with CaptureQueriesContext(connection) as one:
        first = client.get("/admin/partnership/actionlogentry/")
    grow(29)
    with CaptureQueriesContext(connection) as many:
        second = client.get("/admin/partnership/actionlogentry/")
    assert first.content.decode().count(f"/admin/events/event/{event.pk}/change/") == 1
    assert second.content.decode().count(f"/admin/events/event/{event.pk}/change/") == 30
    assert len(many) == len(one)


def test_retention_takes_the_names_out_of_the_history_of_old_sessions_and_events(
    settings, delegation, delegation_staff, commune
):
    settings.PERSONAL_DATA_RETENTION_DAYS = 365
    old_session = SessionFactory(action=TrainingActionFactory(delegation=delegation), start_date=in_days(-400))
    recent_session = SessionFactory(action=TrainingActionFactory(delegation=delegation), start_date=in_days(20))
    for session in (old_session, recent_session):
        agent = RegistrationFactory(session=session, employer=commune, first_name="Nina", last_name="Gauthier")
        training_registrations._record_registration(
            delegation_staff, agent, HistoryAction.REGISTERED, None, RegistrationStatus.CONFIRMED
        )
    started = timezone.now() - datetime.timedelta(days=400)
    old_event = EventFactory(
        delegation=delegation,
        starts_at=started,
        ends_at=started + datetime.timedelta(hours=3),
        registration_closes_at=started - datetime.timedelta(days=1),
    )
    registrant = EventRegistrationFactory(event=old_event, first_name="Rémi", last_name="Fontaine")
    event_registrations._record_registration(
        delegation_staff, registrant, HistoryAction.REGISTRATION_CANCELLED, "confirmed", "cancelled"
    )

    personal_data_apply_retention()

    assert [entry.subject for entry in _entries(old_session) + _entries(old_event)] == [
        "Inscription de Personne anonymisée",
        "Inscription de Personne anonymisée",
    ]
    assert [(e.subject, e.subject_is_person) for e in _entries(recent_session)] == [
        ("Inscription de Nina Gauthier", True)
    ]
