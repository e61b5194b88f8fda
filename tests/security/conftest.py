"""The objects the security tests reach: one of each kind, all belonging to ``delegation`` and ``commune``."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from agreements.enums import DocumentKind
from agreements.models import Internship, Study
from agreements.signing.services import sending
from events.models import Speaker
from partnership.enums import ImportStatus
from partnership.models import ImportRequest
from partnership.tokens import token_hash
from stats.models import ExportRequest
from tests.agreements.factories import make_contract
from tests.agreements.signing_helpers import link_token_for
from tests.events.factories import EventFactory, EventRegistrationFactory, TimeSlotFactory
from tests.trainings.factories import (
    ProgrammeLineFactory,
    RegistrationFactory,
    SessionFactory,
    ThemeFactory,
    TrainingActionFactory,
    TrainingSchemeFactory,
)
from trainings.enums import ActionMode, AttendanceStatus
from trainings.models import Attendance, CalendarFeed

EVENT_TOKEN = "jeton-de-la-matrice-d-acces"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Ten personas per test: Argon2, deliberately slow, would dominate the run (tests/partnership covers it).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    contract: object
    document: object
    signature_request: object
    token: str
    action: object
    session: object
    registration: object
    feed: object
    event: object
    slot: object
    event_registration: object
    speaker: object
    internship: object
    study: object
    export: object | None
    import_request: object | None = None


def _study_with_deliverable():
    study = Study(
        subject="Les besoins de formation des petites communes",
        requester="Département formation",
        requested_on=timezone.localdate(),
        status="delivered",
        delivered_on=timezone.localdate(),
    )
    study.deliverable.save("etude.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
    study.save()
    return study


@pytest.fixture
def world(delegation, delegation_staff, commune, speaker_user, django_capture_on_commit_callbacks):
    """A contract sent for signature to the mayor of ``commune``, with everything hanging from it."""
    contract = make_contract(actor=delegation_staff, collectivities=[commune])
    with django_capture_on_commit_callbacks(execute=True):
        sending.contract_send_for_signature(contract=contract, actor=delegation_staff)
    contract.refresh_from_db()
    party = contract.parties.get()
    line = ProgrammeLineFactory(contract=contract, theme=ThemeFactory(), planned_days=Decimal("2"))
    action = TrainingActionFactory(
        delegation=delegation, programme_line=line, mode=ActionMode.INTRA, scheme=TrainingSchemeFactory()
    )
    session = SessionFactory(action=action, venue=commune, capacity=5)
    registration = RegistrationFactory(session=session, employer=commune)
    Attendance.objects.create(
        registration=registration, half_day=session.half_days.first(), status=AttendanceStatus.PRESENT
    )
    event = EventFactory(delegation=delegation, capacity=10)
    speaker = Speaker.objects.create(
        first_name="Paul", last_name="Orateur", email=speaker_user.email, user=speaker_user, organisation="Cabinet"
    )
    export = ExportRequest(
        requested_by=delegation_staff, dataset="contracts", format="csv", status="done", finished_at=timezone.now()
    )
    export.file.save("matrice.csv", ContentFile(b"a;b\n"), save=False)
    export.save()
    return World(
        contract=contract,
        document=contract.documents.get(kind=DocumentKind.FOR_SIGNATURE),
        signature_request=contract.signature_requests.get(step=1),
        token=link_token_for(party.signatory_email),
        action=action,
        session=session,
        registration=registration,
        feed=CalendarFeed.objects.create(delegation=delegation),
        event=event,
        slot=TimeSlotFactory(event=event),
        event_registration=EventRegistrationFactory(
            event=event, collectivity=commune, token_hash=token_hash(EVENT_TOKEN)
        ),
        speaker=speaker,
        internship=Internship.objects.create(
            student_name="Léa Roussel",
            promotion="Promotion Simone Veil",
            start_date=timezone.localdate(),
            end_date=timezone.localdate() + datetime.timedelta(days=60),
            tutor="Direction des études",
            subject="La mutualisation de la formation",
        ),
        study=_study_with_deliverable(),
        export=export,
        import_request=_refused_import(delegation_staff, session),
    )


def _refused_import(user, session):
    """An import of ``user`` handed to a worker and refused, with its error report."""
    request = ImportRequest(
        requested_by=user,
        kind="trainings.registrations",
        parameters={"session_id": session.pk},
        target_label="Session de la matrice",
        line_count=600,
        status=ImportStatus.REFUSED,
        error_count=1,
        finished_at=timezone.now(),
    )
    request.report.save("rapport.csv", ContentFile(b"ligne;erreurs\r\n"), save=False)
    request.save()
    return request
