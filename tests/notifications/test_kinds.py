"""Each reminder kind: due on the right day (time injected with ``today``), to the right people, once."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from agreements.enums import ContractStatus, StudyStatus
from agreements.models import AuditEvent, Study
from agreements.signing.services import sending, signatures
from events.enums import RegistrationStatus as EventRegistrationStatus
from notifications.enums import ReminderStatus
from notifications.models import ReminderLog
from notifications.services import reminders_run
from partnership.enums import Role
from partnership.text import french_date
from tests.agreements.factories import make_contract
from tests.agreements.signing_helpers import LINK
from tests.events.factories import EventFactory, EventRegistrationFactory
from tests.factories import UserFactory
from tests.trainings.factories import (
    RegistrationFactory,
    SessionFactory,
    SpeakerFactory,
    TrainingActionFactory,
    in_days,
)
from trainings.attendance import attendance_record
from trainings.convocation import convocation_url
from trainings.enums import AttendanceStatus, Period, RegistrationStatus

TODAY = timezone.localdate


def run(capture, day: datetime.date, *kinds: str) -> dict:
    """The kinds under test (all when none is named) on ``day``; the counts that are not zero."""
    with capture(execute=True):
        counts = reminders_run(today=day, only=kinds or None)
    return {key: count for key, count in counts.items() if count}


def sent(kind: str) -> list[tuple[str, str]]:
    return sorted(
        (m.to[0], m.subject)
        for m in mail.outbox
        if ReminderLog.objects.filter(kind=kind, recipient=m.to[0], status=ReminderStatus.SENT).exists()
    )


# --- Trainings ------------------------------------------------------------------------------------


@pytest.fixture
def action(delegation, delegation_staff):
    return TrainingActionFactory(delegation=delegation, created_by=delegation_staff, title="Gestes et postures")


def test_confirmed_agents_are_reminded_three_days_before_once(
    action, commune, settings, django_capture_on_commit_callbacks
):
    settings.TRAINING_REMINDER_DAYS = 3
    session = SessionFactory(action=action, venue=commune, start_date=in_days(3), half_days=[(in_days(3), "am")])
    confirmed = RegistrationFactory(session=session, employer=commune, email="camille@mairie.example.fr")
    RegistrationFactory(session=session, employer=commune, status=RegistrationStatus.WAITLISTED, confirmed_at=None)
    RegistrationFactory(
        session=session, employer=commune, status=RegistrationStatus.CANCELLED, cancelled_at=timezone.now()
    )

    assert run(django_capture_on_commit_callbacks, TODAY() - datetime.timedelta(days=1), "session_participants") == {}
    assert run(django_capture_on_commit_callbacks, TODAY(), "session_participants") == {"session_participants": 1}
    subject = f"Rappel : votre formation « Gestes et postures » commence le {session.start_date:%d/%m/%Y}"
    assert [(m.to, m.subject) for m in mail.outbox] == [([confirmed.email], subject)]
    assert "Pour rappel, vous êtes inscrit(e) à la session de formation ci-dessous" in mail.outbox[0].body
    # Agents rarely have an account: the link is their convocation, not the workspace's session page.
    assert convocation_url(confirmed) in mail.outbox[0].body
    assert f"/formations/sessions/{session.pk}/" not in mail.outbox[0].body

    assert run(django_capture_on_commit_callbacks, TODAY(), "session_participants") == {}
    assert run(django_capture_on_commit_callbacks, TODAY() + datetime.timedelta(days=1), "session_participants") == {}
    assert len(mail.outbox) == 1


def test_trainers_learn_the_number_of_registrants_a_week_before(
    action, commune, settings, django_capture_on_commit_callbacks
):
    settings.TRAINING_TRAINER_REMINDER_DAYS = 7
    session = SessionFactory(action=action, venue=commune, start_date=in_days(7), half_days=[(in_days(7), "am")])
    trainer = SpeakerFactory(email="formatrice@example.fr", first_name="Inès", last_name="Roy")
    session.trainers.add(trainer, SpeakerFactory(email=""))  # a trainer without an address is left out
    for _ in range(3):
        RegistrationFactory(session=session, employer=commune)

    assert run(django_capture_on_commit_callbacks, TODAY(), "session_trainers") == {"session_trainers": 1}
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            ["formatrice@example.fr"],
            f"Session « Gestes et postures » du {session.start_date:%d/%m/%Y} : 3 participants inscrits",
        )
    ]
    assert mail.outbox[0].body.startswith("Bonjour Inès Roy,")


def test_attendance_not_taken_two_days_after_reminds_the_delegation_once(
    action, commune, delegation_staff, settings, django_capture_on_commit_callbacks
):
    settings.ATTENDANCE_REMINDER_DAYS = 2
    day = in_days(-10)
    complete = SessionFactory(action=action, venue=commune, start_date=day, half_days=[(day, Period.MORNING)])
    agent = RegistrationFactory(session=complete, employer=commune)
    attendance_record(
        actor=delegation_staff,
        session=complete,
        marks={(agent.pk, complete.half_days.get().pk): AttendanceStatus.PRESENT},
    )
    missing = SessionFactory(action=action, venue=commune, start_date=day, half_days=[(day, Period.MORNING)])
    RegistrationFactory(session=missing, employer=commune)
    RegistrationFactory(session=missing, employer=commune)

    assert run(django_capture_on_commit_callbacks, day + datetime.timedelta(days=1), "attendance_missing") == {}
    assert run(django_capture_on_commit_callbacks, day + datetime.timedelta(days=2), "attendance_missing") == {
        "attendance_missing": 1
    }
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([delegation_staff.email], f"Émargement à compléter : « Gestes et postures », session du {day:%d/%m/%Y}")
    ]
    assert "2 demi-journées d'agents sans présence saisie" in mail.outbox[0].body
    assert f"/formations/sessions/{missing.pk}/emargement/" in mail.outbox[0].body
    assert run(django_capture_on_commit_callbacks, day + datetime.timedelta(days=3), "attendance_missing") == {}


# --- Contracts, signatures, studies ---------------------------------------------------------------


def test_contract_ending_reminds_90_then_30_days_before(
    delegation_staff, commune, settings, django_capture_on_commit_callbacks
):
    settings.CONTRACT_ENDING_REMINDER_DAYS = [90, 30]
    end = in_days(100)
    contract = make_contract(
        actor=delegation_staff,
        collectivities=[commune],
        status=ContractStatus.ACTIVE,
        start=end.replace(year=end.year - 3),
        end=end,
    )
    assert run(django_capture_on_commit_callbacks, end - datetime.timedelta(days=91), "contract_ending") == {}
    assert run(django_capture_on_commit_callbacks, end - datetime.timedelta(days=90), "contract_ending") == {
        "contract_ending": 1
    }
    assert run(django_capture_on_commit_callbacks, end - datetime.timedelta(days=60), "contract_ending") == {}
    assert run(django_capture_on_commit_callbacks, end - datetime.timedelta(days=30), "contract_ending") == {
        "contract_ending": 1
    }
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([delegation_staff.email], f"Contrat {contract.reference} : fin le {end:%d/%m/%Y}, dans 90 jours"),
        ([delegation_staff.email], f"Contrat {contract.reference} : fin le {end:%d/%m/%Y}, dans 30 jours"),
    ]
    assert f"/contrats/{contract.pk}/" in mail.outbox[0].body


def test_a_run_missed_sends_the_latest_reminder_only(
    delegation_staff, commune, settings, django_capture_on_commit_callbacks
):
    settings.CONTRACT_ENDING_REMINDER_DAYS = [90, 30]
    end = in_days(100)
    make_contract(
        actor=delegation_staff,
        collectivities=[commune],
        status=ContractStatus.ACTIVE,
        start=end.replace(year=end.year - 3),
        end=end,
    )
    assert run(django_capture_on_commit_callbacks, end - datetime.timedelta(days=20), "contract_ending") == {
        "contract_ending": 1
    }
    assert list(ReminderLog.objects.values_list("due_on", flat=True)) == [end - datetime.timedelta(days=30)]


@pytest.fixture
def sent_request(delegation_staff, commune, django_capture_on_commit_callbacks):
    contract = make_contract(actor=delegation_staff, collectivities=[commune])
    with django_capture_on_commit_callbacks(execute=True):
        sending.contract_send_for_signature(contract=contract, actor=delegation_staff)
    mail.outbox.clear()
    return contract.signature_requests.get(step=1)


def test_pending_signature_is_reminded_every_n_days_then_warned_before_expiry(
    sent_request, delegation_staff, settings, django_capture_on_commit_callbacks
):
    settings.SIGNATURE_REMINDER_DAYS = 3
    settings.SIGNATURE_EXPIRY_WARNING_DAYS = 3
    contract, signer = sent_request.contract, sent_request.signer_email
    contract.refresh_from_db()
    sent_on = timezone.localdate(sent_request.sent_at)
    expires_on = timezone.localdate(sent_request.expires_at)

    def day(n):
        return sent_on + datetime.timedelta(days=n)

    assert run(django_capture_on_commit_callbacks, day(2), "signature_pending", "signature_expiring") == {}
    assert run(django_capture_on_commit_callbacks, day(3), "signature_pending", "signature_expiring") == {
        "signature_pending": 1
    }
    assert run(django_capture_on_commit_callbacks, day(4), "signature_pending", "signature_expiring") == {}
    assert run(django_capture_on_commit_callbacks, day(6), "signature_pending", "signature_expiring") == {
        "signature_pending": 1
    }
    named = f"Contrat {contract.reference} «\u00a0{contract.title}\u00a0» – {contract.parties.get().collectivity.name}"
    first = f"Rappel\u00a0: {named}\u00a0: à signer"
    assert [(m.to, m.subject) for m in mail.outbox] == [([signer], first), ([signer], first)]

    # The link of the latest reminder works; the earlier one no longer does.
    older, newer = (LINK.search(m.body).group(1) for m in mail.outbox)
    assert signatures.signature_request_for_token(older) is None
    assert signatures.signature_request_for_token(newer).pk == sent_request.pk
    sent_request.refresh_from_db()
    assert sent_request.reminder_count == 2
    assert AuditEvent.objects.filter(request=sent_request, kind="reminded").count() == 2

    mail.outbox.clear()
    warning_day = expires_on - datetime.timedelta(days=3)
    assert run(django_capture_on_commit_callbacks, warning_day, "signature_pending", "signature_expiring") == {
        "signature_expiring": 2
    }
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == sorted(
        [
            (
                delegation_staff.email,
                f"{named}\u00a0: le lien de signature de {sent_request.signer_name} expire le {french_date(expires_on)}",
            ),
            (signer, f"Dernier rappel\u00a0: {named}\u00a0: à signer avant le {french_date(expires_on)}"),
        ]
    )
    signer_mail = next(m for m in mail.outbox if m.to == [signer])
    assert signatures.signature_request_for_token(LINK.search(signer_mail.body).group(1)).pk == sent_request.pk
    delegation_mail = next(m for m in mail.outbox if m.to == [delegation_staff.email])
    assert LINK.search(delegation_mail.body) is None  # the delegation never receives the signer's link
    assert f"/contrats/{contract.pk}/" in delegation_mail.body


def test_no_reminder_for_a_signed_or_expired_request(sent_request, settings, django_capture_on_commit_callbacks):
    settings.SIGNATURE_REMINDER_DAYS = 3
    sent_on = timezone.localdate(sent_request.sent_at)
    with django_capture_on_commit_callbacks(execute=True):
        sending.signatures_expire(now=sent_request.expires_at + datetime.timedelta(minutes=1))
    mail.outbox.clear()
    assert (
        run(
            django_capture_on_commit_callbacks,
            sent_on + datetime.timedelta(days=3),
            "signature_pending",
            "signature_expiring",
        )
        == {}
    )
    assert mail.outbox == []


def test_study_due_reminds_amf_staff_fifteen_days_before(amf_staff, settings, django_capture_on_commit_callbacks):
    settings.STUDY_DUE_REMINDER_DAYS = 15
    UserFactory(role=Role.AMF_STAFF, is_active=False)  # a former colleague gets nothing
    study = Study.objects.create(
        subject="Les communes nouvelles",
        requester="Direction générale",
        requested_on=in_days(-30),
        due_on=in_days(20),
        status=StudyStatus.IN_PROGRESS,
    )
    Study.objects.create(subject="Livrée", requester="DG", requested_on=in_days(-30), due_on=in_days(20),
                         status=StudyStatus.DELIVERED, delivered_on=in_days(-1))  # fmt: skip
    assert run(django_capture_on_commit_callbacks, in_days(4), "study_due") == {}
    assert run(django_capture_on_commit_callbacks, in_days(5), "study_due") == {"study_due": 1}
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([amf_staff.email], f"Étude « Les communes nouvelles » attendue le {study.due_on:%d/%m/%Y}")
    ]
    assert f"/stages-etudes/etudes/{study.pk}/" in mail.outbox[0].body


# --- Events ---------------------------------------------------------------------------------------


def test_event_registrants_are_reminded_a_week_before_and_the_day_before_with_the_ics(
    db, settings, django_capture_on_commit_callbacks
):
    settings.EVENT_REMINDER_DAYS = [7, 1]
    starts = timezone.make_aware(datetime.datetime.combine(in_days(10), datetime.time(9, 30)))
    event = EventFactory(title="Colloque RH", starts_at=starts)
    confirmed = EventRegistrationFactory(event=event, email="lea@mairie.example.fr")
    EventRegistrationFactory(event=event, status=EventRegistrationStatus.WAITLISTED)

    assert run(django_capture_on_commit_callbacks, in_days(2), "event_upcoming") == {}
    assert run(django_capture_on_commit_callbacks, in_days(3), "event_upcoming") == {"event_upcoming": 1}
    assert run(django_capture_on_commit_callbacks, in_days(8), "event_upcoming") == {}
    assert run(django_capture_on_commit_callbacks, in_days(9), "event_upcoming") == {"event_upcoming": 1}
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([confirmed.email], f"Rappel : « Colloque RH » dans 7 jours, le {in_days(10):%d/%m/%Y}"),
        ([confirmed.email], f"Rappel : « Colloque RH » demain, le {in_days(10):%d/%m/%Y}"),
    ]
    name, content, mimetype = mail.outbox[0].attachments[0]
    assert (name, mimetype) == ("evenement.ics", "text/calendar; charset=utf-8; method=PUBLISH")
    assert "SUMMARY:Colloque RH" in (content.decode() if isinstance(content, bytes) else content)
    assert f"/evenements/{event.pk}/" in mail.outbox[0].body


# --- Weekly digest --------------------------------------------------------------------------------


def test_weekly_digest_lists_the_delegation_changes_and_what_is_due(
    delegation_staff, other_delegation_staff, commune, action, settings, django_capture_on_commit_callbacks
):
    settings.DIGEST_WEEKDAY = 0
    monday = TODAY() + datetime.timedelta(days=7 - TODAY().weekday())
    make_contract(actor=delegation_staff, collectivities=[commune], title="Contrat du Forez")
    session = SessionFactory(action=action, venue=commune, start_date=monday + datetime.timedelta(days=2))

    assert run(django_capture_on_commit_callbacks, monday + datetime.timedelta(days=3), "weekly_digest") == {
        "weekly_digest": 2
    }
    # The agent of the other delegation had a quiet week: no empty e-mail.
    assert [m.to for m in mail.outbox] == [[delegation_staff.email]]
    assert ReminderLog.objects.get(recipient=other_delegation_staff.email).status == ReminderStatus.SKIPPED
    digest = mail.outbox[0]
    assert digest.subject == f"Votre semaine – {delegation_staff.delegation.name} : résumé au {monday:%d/%m/%Y}"
    assert "Contrat Contrat du Forez : création → Brouillon" in digest.body
    # The directory names it « Délégation … »: the sentence says « délégation » once.
    assert delegation_staff.delegation.name.startswith("Délégation ")
    assert f"de la délégation {delegation_staff.delegation.name.removeprefix('Délégation ')} (du " in digest.body
    assert "délégation Délégation" not in digest.body
    assert f"Session « Gestes et postures » le {session.start_date:%-d} " in digest.body
    assert run(django_capture_on_commit_callbacks, monday + datetime.timedelta(days=6), "weekly_digest") == {}
