"""Issue 21, « Done when »: the retention job reaches every copy of a person, and no figure moves.

A database with every kind of row (``tests/stats/world.py``) and, around two people whose session and
event are over, every place their name and address land: registrations made through the services (the
action log), attendance, the reminders they were sent (the reminder log), a satisfaction comment naming
them, an edit in the Django admin (its own log), an export listing them (a stored file), an import
refused with them in its error report (a stored file), and the application's log. The job runs as it
will once the retention period has passed; then every table, every stored file and every log record
is searched for their names and addresses: none is found, while a person still in their retention
period is, and every public statistic is identical.
"""

import datetime
import logging
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

from events import registrations as event_registrations
from events.enums import ParticipantQuality
from notifications.models import ReminderLog
from notifications.services import reminders_run
from partnership import imports
from partnership.models import ImportRequest
from partnership.personal_data import personal_data_apply_retention
from stats import services as stats_services
from stats.dashboard import dashboard
from stats.registry import DATASETS
from tests.events.factories import EventFactory
from tests.stats.world import build_world
from tests.trainings.factories import (
    ContractFactory,
    ContractPartyFactory,
    ProgrammeLineFactory,
    SessionFactory,
    TrainingActionFactory,
    in_days,
)
from trainings import attendance as attendance_services
from trainings import registrations as registration_services
from trainings.enums import ActionMode, Period
from trainings.models import Registration, SessionHalfDay

pytestmark = pytest.mark.django_db

GONE = ["Zéphyrine", "Quasimodo", "zephyrine.quasimodo@mairie-retention.example.fr", "Greffière-Zéphyrine"]
GONE += ["Anatole", "Bartholomé-Retention", "anatole.bartholome@mairie-retention.example.fr"]
STAYS = ["Clémentine", "Récente-Retention", "clementine.recente@mairie-retention.example.fr"]


def _public_statistics(national_staff) -> dict:
    figures = {"dashboard": dashboard()}
    for key, dataset in DATASETS.items():
        if not dataset.scoped_by_user:
            figures[key] = list(dataset.iter_rows())
    figures["anonymised_registrations"] = list(DATASETS["anonymised_registrations"].iter_rows(user=national_staff))
    return figures


def _every_cell_of_every_table():
    """Every value of every table of the database, as text: whatever a model or a trigger wrote."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 — the database's own table names
            for row in cursor.fetchall():
                for value in row:
                    if value is not None:
                        yield (
                            table,
                            value.decode("utf-8", "replace") if isinstance(value, bytes | memoryview) else str(value),
                        )


def _every_stored_file():
    for path in Path(django_settings.MEDIA_ROOT).rglob("*"):
        if not path.is_file():
            continue
        content = path.read_bytes()
        if content.startswith(b"PK\x03\x04"):
            with zipfile.ZipFile(path) as archive:
                content = b"".join(archive.read(name) for name in archive.namelist())
        yield path, content.decode("utf-8", "replace").lower()


def _found(needles, *, logs) -> list[str]:
    needles = [needle.lower() for needle in needles]
    hits = {
        f"table {table}: {needle}"
        for table, text in _every_cell_of_every_table()
        for needle in needles
        if needle in text.lower()
    }
    hits |= {
        f"fichier {path.name}: {needle}" for path, text in _every_stored_file() for needle in needles if needle in text
    }
    hits |= {f"journal: {needle}" for record in logs for needle in needles if needle in record.getMessage().lower()}
    return sorted(hits)


def _training(delegation, commune, hr_contact, capture, *, first_name, last_name, email, job):
    """A session registered through the services, reminded, then moved to yesterday and its attendance taken."""
    contract = ContractFactory(delegation=delegation)
    ContractPartyFactory(contract=contract, collectivity=commune)
    action = TrainingActionFactory(
        delegation=delegation, programme_line=ProgrammeLineFactory(contract=contract), mode=ActionMode.INTRA
    )
    start = in_days(django_settings.TRAINING_REMINDER_DAYS)
    session = SessionFactory(
        action=action, venue=commune, capacity=5, start_date=start, half_days=[(start, Period.MORNING)]
    )
    with capture(execute=True):
        registration = registration_services.registration_create(
            actor=hr_contact,
            session=session,
            first_name=first_name,
            last_name=last_name,
            email=email,
            category="B",
            job=job,
        )
        reminders_run(only=["session_participants"])
    yesterday = in_days(-1)
    SessionHalfDay.objects.filter(session=session).update(date=yesterday)
    type(session).objects.filter(pk=session.pk).update(start_date=yesterday, end_date=yesterday)
    session.refresh_from_db()
    return session, registration


def test_the_job_leaves_no_copy_of_a_person_and_no_figure_moves(
    settings,
    delegation,
    other_delegation,
    delegation_staff,
    other_delegation_staff,
    national_staff,
    amf_staff,
    commune,
    hr_contact,
    django_app,
    caplog,
    django_capture_on_commit_callbacks,
):
    caplog.set_level(logging.DEBUG)
    settings.EVENT_REMINDER_DAYS = [7]
    build_world(delegation, other_delegation, delegation_staff, other_delegation_staff)
    capture = django_capture_on_commit_callbacks

    # 1. Two people whose session and event end before the day the job will run as, one who stays.
    session, agent = _training(
        delegation,
        commune,
        hr_contact,
        capture,
        first_name="Zéphyrine",
        last_name="Quasimodo",
        email=GONE[2],
        job="Greffière-Zéphyrine",
    )
    attendance_services.attendance_record(
        actor=delegation_staff, session=session, marks={(agent.pk, session.half_days.get().pk): "present"}
    )
    event = EventFactory(
        delegation=delegation,
        venue_commune=commune,
        capacity=10,
        starts_at=timezone.now() + datetime.timedelta(days=7),
        ends_at=timezone.now() + datetime.timedelta(days=7, hours=3),
    )
    with capture(execute=True):
        participant = event_registrations.registration_create(
            event_id=event.pk,
            first_name="Anatole",
            last_name="Bartholomé-Retention",
            email=GONE[6],
            quality=ParticipantQuality.AGENT,
            collectivity=commune,
            job_title="Régisseur",
        )
        reminders_run(only=["event_upcoming"])
    # AMF staff corrects the participant's function in the admin: Django's own log names them.
    page = django_app.get(f"/admin/events/eventregistration/{participant.pk}/change/", user=amf_staff)
    form = page.forms["eventregistration_form"]
    form["job_title"] = "Régisseur principal"
    form.submit("_save").follow()
    type(event).objects.filter(pk=event.pk).update(
        registration_closes_at=timezone.now() - datetime.timedelta(days=3),
        starts_at=timezone.now() - datetime.timedelta(days=1, hours=3),
        ends_at=timezone.now() - datetime.timedelta(days=1),
    )
    event.refresh_from_db()
    event_registrations.registrations_check_in(event=event, actor=delegation_staff, present_ids={participant.pk})
    participant.refresh_from_db()
    event_registrations.feedback_submit(
        registration=participant, rating=5, comment="Merci Zéphyrine Quasimodo, Anatole"
    )

    # 2. The files: an export listing them, an import refused with them in its report.
    with capture(execute=True):
        stats_services.export_request_create(user=delegation_staff, dataset="registrations", format="csv")
        stats_services.export_request_create(user=delegation_staff, dataset="registrations", format="xlsx")
    refused = ImportRequest(
        requested_by=delegation_staff,
        kind="trainings.registrations",
        parameters={"session_id": session.pk},
        target_label="Session",
        line_count=1,
    )
    line = f"prenom;nom;email;categorie;emploi;employeur\r\nZéphyrine;Quasimodo;{GONE[2]};Z;;{commune.code}\r\n"
    refused.file.save("import.csv", ContentFile(line.encode()), save=False)
    refused.save()
    imports.import_run(import_id=refused.pk)

    # 3. Someone still within the retention period: the search must find her after the job.
    later_session, _later = _training(
        delegation,
        commune,
        hr_contact,
        capture,
        first_name="Clémentine",
        last_name="Récente-Retention",
        email=STAYS[2],
        job="Agente",
    )
    type(later_session).objects.filter(pk=later_session.pk).update(start_date=in_days(800), end_date=in_days(800))
    SessionHalfDay.objects.filter(session=later_session).update(date=in_days(800))

    assert _found(GONE, logs=[]) != [], "the search finds them before the job"
    before = _public_statistics(national_staff)
    addresses_in_log = ReminderLog.objects.exclude(recipient="").count()

    # 4. The job, as it runs once the retention period has passed since yesterday.
    run_at = timezone.now() + datetime.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS + 1)
    result = personal_data_apply_retention(now=run_at)

    assert (result["trained_agents"], result["event_registrants"]) == (1, 1)
    assert (result["exports"], result["imports"], result["reminder_logs"]) == (2, 1, addresses_in_log)
    assert _found(GONE, logs=caplog.records) == []
    assert _found(STAYS, logs=[]) != []
    assert _public_statistics(national_staff) == before
    assert Registration.objects.get(pk=agent.pk).category == "B"
