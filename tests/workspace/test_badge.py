"""The menu's « À faire » badge: what the page lists as work to do, for every role, computed once per request."""

import dataclasses
import datetime
from collections import Counter

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from agreements.enums import StudyStatus
from agreements.models import Study
from agreements.signing.services import sending
from partnership import todo_registry
from partnership.enums import Role
from tests.agreements.factories import make_contract
from tests.factories import CommuneFactory, UserFactory
from tests.trainings.factories import (
    RegistrationFactory,
    SessionFactory,
    SpeakerFactory,
    TrainingActionFactory,
    in_days,
)
from trainings.attendance import attendance_record
from trainings.enums import AttendanceStatus

pytestmark = pytest.mark.django_db

ROLES = ["national_staff", "delegation_staff", "delegate", "amf_staff", "signatory", "hr_contact", "speaker_user"]


@pytest.fixture
def people(persona, delegation):
    people = {name: persona(name) for name in ROLES if name != "delegate"}
    people["delegate"] = UserFactory(role=Role.DELEGATION_STAFF, delegation=delegation, function="Délégué régional")
    return people


@pytest.fixture
def work(people, delegation, commune, django_capture_on_commit_callbacks):
    """Some work for each role: drafts, a signature to give, attendance owed, a study due."""
    staff = people["delegation_staff"]
    make_contract(actor=staff, collectivities=[CommuneFactory(department=commune.department)], title="Brouillon")
    sent = make_contract(actor=staff, collectivities=[commune], title="À signer", delegate=people["delegate"])
    with django_capture_on_commit_callbacks(execute=True):
        sending.contract_send_for_signature(contract=sent, actor=staff)
    speaker = SpeakerFactory(user=people["speaker_user"])
    for days_ago, agents in ((12, 2), (5, 1)):
        session = SessionFactory(
            action=TrainingActionFactory(delegation=delegation), venue=commune, start_date=in_days(-days_ago)
        )
        session.trainers.add(speaker)
        registrations = [RegistrationFactory(session=session, employer=commune) for _ in range(agents)]
    # The last session's sheet is complete: it owes nothing.
    marks = {(registrations[0].pk, half_day.pk): AttendanceStatus.PRESENT for half_day in session.half_days.all()}
    attendance_record(actor=staff, session=session, marks=marks)
    today = timezone.localdate()
    Study.objects.create(
        subject="Besoins des petites communes",
        requester="AMF",
        requested_on=today - datetime.timedelta(days=60),
        due_on=today + datetime.timedelta(days=3),
        status=StudyStatus.IN_PROGRESS,
    )


def _menu_badge(page) -> int:
    badge = page.select_one('a.nav-link[href="/a-faire/"] .badge')
    return int(badge.contents[0]) if badge else 0


# Delegation staff: one draft and one session owing attendance (the other's sheet is complete); the
# contract sent for signature is no draft any more, and waits for the mayor, not for a countersignature.
EXPECTED = {
    "national_staff": 1,  # the study due
    "amf_staff": 1,
    "delegation_staff": 2,  # a draft, a session owing attendance
    "delegate": 2,
    "signatory": 1,  # the contract to sign
    "hr_contact": 0,
    "speaker_user": 1,  # the session they train that owes attendance
}


def test_badge_equals_the_work_the_page_lists_for_every_role(client, people, work):
    seen = {}
    for name in ROLES:
        client.force_login(people[name])
        todo = BeautifulSoup(client.get(reverse("todo")).content, "html.parser")
        listed = sum(int(badge["data-count"]) for badge in todo.select("section.todo-block .badge[data-actionable]"))
        elsewhere = BeautifulSoup(client.get(reverse("events:event_list")).content, "html.parser")
        seen[name] = (listed, _menu_badge(todo), _menu_badge(elsewhere))

    # One setup for every role (sending a contract renders its PDF): the page, its badge and another
    # page's badge agree, and say how much work waits.
    assert seen == {name: (count,) * 3 for name, count in EXPECTED.items()}


def test_attendance_owed_leaves_the_badge_once_the_sheet_is_complete(client, people, work, delegation, commune):
    staff = people["delegation_staff"]
    client.force_login(staff)
    assert _menu_badge(BeautifulSoup(client.get(reverse("todo")).content, "html.parser")) == 2
    session = SessionFactory(action=TrainingActionFactory(delegation=delegation), venue=commune, start_date=in_days(-1))
    registration = RegistrationFactory(session=session, employer=commune)
    assert _menu_badge(BeautifulSoup(client.get(reverse("todo")).content, "html.parser")) == 3

    marks = {(registration.pk, half_day.pk): AttendanceStatus.ABSENT for half_day in session.half_days.all()}
    attendance_record(actor=staff, session=session, marks=marks)

    assert _menu_badge(BeautifulSoup(client.get(reverse("todo")).content, "html.parser")) == 2


def _counting_blocks(monkeypatch) -> Counter:
    """Wrap every registered block so that each time its querysets are built is counted."""
    calls = Counter()

    def counted(block):
        def objects(user):
            calls[block.key] += 1
            return block.objects(user)

        return dataclasses.replace(block, objects=objects) if block.objects else block

    monkeypatch.setattr(todo_registry, "_BLOCKS", {key: counted(b) for key, b in todo_registry._BLOCKS.items()})
    return calls


def test_each_block_is_computed_once_per_request(client, people, work, monkeypatch):
    calls = _counting_blocks(monkeypatch)
    client.force_login(people["delegate"])

    client.get(reverse("todo"))
    assert calls == {
        "countersign": 1,
        "access_requests": 1,
        "drafts": 1,
        "signatures": 1,
        "sessions_week": 1,
        "attendance": 1,
        "exports": 1,
    }
    calls.clear()
    # Another page: the badge counts the blocks of work to do, once each.
    client.get(reverse("events:event_list"))
    assert calls == {"countersign": 1, "access_requests": 1, "drafts": 1, "signatures": 1, "attendance": 1}


def test_blocks_with_work_to_do_come_first(client, people, work):
    client.force_login(people["delegate"])
    page = BeautifulSoup(client.get(reverse("todo")).content, "html.parser")

    titles = [heading.select_one("span").get_text() for heading in page.select("section.todo-block h2")]
    assert titles == [
        "Brouillons de contrat",  # 1
        "Émargement à saisir",  # 1
        "Contrats à contresigner",
        "Signatures bloquées, expirant ou refusées",
        "Sessions de la semaine",
        "Exports prêts",
    ]
