"""The « À faire » page: each role lands on its own, every item links to where it is done."""

import datetime
import html
import re

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from agreements.enums import ContractStatus, InternshipStatus, SignatureRequestStatus, StudyStatus
from agreements.models import Internship, PartnershipContract, SignatureRequest, Study
from agreements.signing.services import sending
from partnership.enums import Role
from partnership.text import french_date
from stats.enums import ExportFormat, ExportStatus
from stats.models import ExportRequest
from tests.agreements.factories import make_contract
from tests.events.factories import EventFactory
from tests.factories import DEFAULT_PASSWORD, CommuneFactory, UserFactory
from tests.querycount import assert_constant_queries
from tests.trainings.factories import (
    ContractFactory,
    ContractPartyFactory,
    RegistrationFactory,
    SessionFactory,
    TrainingActionFactory,
    in_days,
)
from trainings.attendance import attendance_record
from trainings.enums import AttendanceStatus, RegistrationStatus
from trainings.models import Attendance
from workspace.selectors import todo_blocks, todo_count

pytestmark = pytest.mark.django_db


def _blocks(user) -> dict:
    return {block.key: block for block in todo_blocks(user)}


def _labels(block) -> list[str]:
    return [item.label for item in block.items]


def _send(contract, actor, capture):
    with capture(execute=True):
        sending.contract_send_for_signature(contract=contract, actor=actor)
    contract.refresh_from_db()
    return contract


def _countersign_ready(contract, actor, capture):
    """A contract every collectivité signed, whose délégué(e) request is now sent."""
    _send(contract, actor, capture)
    contract.signature_requests.filter(step=1).update(status=SignatureRequestStatus.SIGNED, signed_at=timezone.now())
    contract.signature_requests.filter(step=2).update(status=SignatureRequestStatus.SENT)
    PartnershipContract.objects.filter(pk=contract.pk).update(status=ContractStatus.SIGNED_BY_COLLECTIVITY)
    return contract


def _past_session(delegation, commune, *, agents=2, days_ago=10):
    # Ten days ago: never in the current week, whatever today is.
    session = SessionFactory(
        action=TrainingActionFactory(delegation=delegation), venue=commune, start_date=in_days(-days_ago)
    )
    registrations = [RegistrationFactory(session=session, employer=commune) for _ in range(agents)]
    return session, registrations


# --- Landing ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["national_staff", "delegation_staff", "amf_staff", "signatory", "hr_contact"])
def test_login_lands_on_the_todo_page(django_app, persona, name):
    user = persona(name)
    page = django_app.get("/connexion/")
    form = page.forms["login-form"]
    form["username"] = user.email
    form["password"] = DEFAULT_PASSWORD
    response = form.submit()
    assert response.status_code == 302
    assert response["Location"] == "/a-faire/"
    todo = response.follow()
    assert todo.html.find("h1").get_text() == "À faire"


def test_login_page_shows_the_application_name_not_the_host(django_app, db):
    page = django_app.get("/connexion/")
    assert page.html.find("title").get_text() == "Connexion – Partenariat CNFPT – AMF"
    assert page.html.select_one(".navbar-brand").get_text() == "Partenariat CNFPT – AMF"
    assert "testserver" not in page.text


def test_todo_page_asks_anonymous_visitors_to_log_in(client, db):
    response = client.get("/a-faire/")
    assert response.status_code == 302
    assert response["Location"] == "/connexion/?next=/a-faire/"


# --- Delegation staff ---------------------------------------------------------------------------------


def test_delegation_staff_sees_what_each_draft_still_lacks(delegation_staff, commune):
    incomplete = make_contract(actor=delegation_staff, collectivities=[commune], title="Plan de formation")
    incomplete.parties.update(deliberation_date=None)
    make_contract(actor=delegation_staff, collectivities=[CommuneFactory(department=commune.department)], title="Prêt")

    drafts = _blocks(delegation_staff)["drafts"]

    assert drafts.count == 2
    notes = {item.label.split(" (")[0]: item.notes for item in drafts.items}
    assert notes == {
        "Brouillon – Plan de formation": [
            f"À compléter : La date de la délibération de {commune.name} n'est pas renseignée."
        ],
        "Brouillon – Prêt": ["Prêt : il peut être envoyé à la signature."],
    }
    assert {item.url for item in drafts.items} == {
        f"/contrats/{pk}/" for pk in PartnershipContract.objects.values_list("pk", flat=True)
    }


def test_delegation_staff_sees_blocked_expiring_and_refused_signatures(
    delegation_staff, commune, django_capture_on_commit_callbacks
):
    blocked = _send(
        make_contract(actor=delegation_staff, collectivities=[commune], title="Bloqué"),
        delegation_staff,
        django_capture_on_commit_callbacks,
    )
    SignatureRequest.objects.filter(contract=blocked, step=1).update(locked_at=timezone.now())
    other = CommuneFactory(department=commune.department)
    expiring = _send(
        make_contract(actor=delegation_staff, collectivities=[other], title="Expirant"),
        delegation_staff,
        django_capture_on_commit_callbacks,
    )
    SignatureRequest.objects.filter(contract=expiring, step=1).update(
        expires_at=timezone.now() + datetime.timedelta(days=2)
    )
    calm = CommuneFactory(department=commune.department)
    _send(
        make_contract(actor=delegation_staff, collectivities=[calm], title="Sans souci"),
        delegation_staff,
        django_capture_on_commit_callbacks,
    )

    block = _blocks(delegation_staff)["signatures"]

    assert block.count == 2
    expires = timezone.localtime(SignatureRequest.objects.get(contract=expiring, step=1).expires_at)
    assert [(item.label, item.notes, item.warning) for item in block.items] == [
        (
            f"{expiring.reference} – Expirant : Marie Martin",
            [f"Le lien expire le {french_date(expires, 'j F Y à H:i')}."],
            False,
        ),
        (
            f"{blocked.reference} – Bloqué : Marie Martin",
            ["Lien bloqué après plusieurs codes erronés : renvoyez un lien."],
            True,
        ),
    ]


def test_refused_signature_shows_until_the_contract_is_sent_again(
    delegation_staff, commune, django_capture_on_commit_callbacks
):
    contract = _send(
        make_contract(actor=delegation_staff, collectivities=[commune]),
        delegation_staff,
        django_capture_on_commit_callbacks,
    )
    request = contract.signature_requests.get(step=1)
    SignatureRequest.objects.filter(pk=request.pk).update(
        status=SignatureRequestStatus.DECLINED, decline_reason="Montant à revoir"
    )
    PartnershipContract.objects.filter(pk=contract.pk).update(status=ContractStatus.DRAFT)

    assert [item.notes for item in _blocks(delegation_staff)["signatures"].items] == [
        ["Refusée : « Montant à revoir »"]
    ]
    _send(contract, delegation_staff, django_capture_on_commit_callbacks)
    assert _blocks(delegation_staff)["signatures"].count == 0


def test_delegation_staff_sees_sessions_of_the_week_and_attendance_to_take(delegation_staff, delegation, commune):
    today_session = SessionFactory(
        action=TrainingActionFactory(delegation=delegation), venue=commune, start_date=in_days(0)
    )
    RegistrationFactory(session=today_session, employer=commune)
    past, (first, second) = _past_session(delegation, commune)
    morning, afternoon = past.half_days.order_by("period")
    present, absent = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT
    marks = {(first.pk, morning.pk): present, (second.pk, morning.pk): present, (first.pk, afternoon.pk): absent}
    attendance_record(actor=delegation_staff, session=past, marks=marks)
    done, (agent,) = _past_session(delegation, commune, agents=1)
    marks = {(agent.pk, half_day.pk): present for half_day in done.half_days.all()}
    attendance_record(actor=delegation_staff, session=done, marks=marks)

    blocks = _blocks(delegation_staff)

    week = blocks["sessions_week"]
    assert [item.url for item in week.items] == [f"/formations/sessions/{today_session.pk}/"]
    assert week.items[0].notes[1] == "1 inscrit confirmé sur 10 places"
    attendance = blocks["attendance"]
    # Today's half-days count: attendance is taken on the day.
    assert [(item.url, item.notes[1]) for item in attendance.items] == [
        (f"/formations/sessions/{past.pk}/emargement/", "1 présence à saisir (2 agents, 2 demi-journées passées)"),
        (
            f"/formations/sessions/{today_session.pk}/emargement/",
            "2 présences à saisir (1 agent, 2 demi-journées passées)",
        ),
    ]


def test_delegation_staff_sees_exports_ready_this_week(delegation_staff, tmp_path):
    export = ExportRequest(
        requested_by=delegation_staff,
        dataset="contracts",
        format=ExportFormat.CSV,
        status=ExportStatus.DONE,
        finished_at=timezone.now(),
    )
    export.file.save("a.csv", ContentFile(b"a;b\n"), save=False)
    export.save()

    assert [item.url for item in _blocks(delegation_staff)["exports"].items] == [
        f"/statistiques/exports/{export.pk}/telecharger/"
    ]


def test_another_delegation_sees_none_of_it(delegation_staff, other_delegation_staff, commune, delegation):
    make_contract(actor=delegation_staff, collectivities=[commune])
    _past_session(delegation, commune)

    blocks = _blocks(other_delegation_staff)

    # No countersign block: no contract names them, and they are not their delegation's délégué(e).
    assert {key: block.count for key, block in blocks.items()} == {
        "drafts": 0,
        "signatures": 0,
        "sessions_week": 0,
        "attendance": 0,
        "exports": 0,
    }
    assert todo_count(other_delegation_staff) == 0
    assert todo_count(delegation_staff) == 2


def test_delegate_sees_contracts_to_countersign(delegation_staff, commune, django_capture_on_commit_callbacks):
    contract = _countersign_ready(
        make_contract(actor=delegation_staff, collectivities=[commune]),
        delegation_staff,
        django_capture_on_commit_callbacks,
    )

    block = _blocks(delegation_staff)["countersign"]

    assert [item.url for item in block.items] == [f"/contrats/{contract.pk}/"]


def test_menu_shows_the_number_of_things_to_do(django_app, delegation_staff, commune):
    make_contract(actor=delegation_staff, collectivities=[commune])
    make_contract(actor=delegation_staff, collectivities=[CommuneFactory(department=commune.department)])

    page = django_app.get("/evenements/", user=delegation_staff)

    entry = page.html.select_one('a.nav-link[href="/a-faire/"]')
    assert entry.get_text(" ", strip=True) == "À faire 2 éléments à traiter"


# --- Signatory, HR contact --------------------------------------------------------------------------------


def test_signatory_sees_contracts_to_sign_and_signed(
    signatory, other_signatory, delegation_staff, commune, django_capture_on_commit_callbacks
):
    to_sign = _send(
        make_contract(actor=delegation_staff, collectivities=[commune], title="À signer"),
        delegation_staff,
        django_capture_on_commit_callbacks,
    )
    signed = make_contract(
        actor=delegation_staff,
        collectivities=[commune],
        title="Signé",
        status=ContractStatus.SIGNED,
        start=datetime.date(2031, 1, 1),
    )

    blocks = _blocks(signatory)

    assert [item.url for item in blocks["to_sign"].items] == [f"/contrats/{to_sign.pk}/"]
    assert [item.url for item in blocks["signed"].items] == [f"/contrats/{signed.pk}/"]
    assert todo_count(signatory) == 1
    assert _blocks(other_signatory)["to_sign"].count == 0


def test_hr_contact_sees_coming_sessions_waiting_list_and_certificates(hr_contact, delegation, commune):
    contract = ContractFactory(delegation=delegation)
    ContractPartyFactory(contract=contract, collectivity=commune)
    session = SessionFactory(action=TrainingActionFactory(delegation=delegation), venue=commune, capacity=1)
    RegistrationFactory(session=session, employer=commune, first_name="Ana", last_name="Confirmée")
    someone_else = RegistrationFactory(
        session=session, employer=CommuneFactory(), status=RegistrationStatus.WAITLISTED, confirmed_at=None
    )
    waiting = RegistrationFactory(
        session=session, employer=commune, first_name="Léo", last_name="Attente", status=RegistrationStatus.WAITLISTED
    )
    past, (attended, _absent) = _past_session(delegation, commune)
    Attendance.objects.create(registration=attended, half_day=past.half_days.first(), status=AttendanceStatus.PRESENT)
    # Ended more than three months ago: on the registrations list, not on « À faire ».
    old, (long_ago, _other) = _past_session(delegation, commune, days_ago=93)
    Attendance.objects.create(registration=long_ago, half_day=old.half_days.first(), status=AttendanceStatus.PRESENT)

    blocks = _blocks(hr_contact)

    assert _labels(blocks["coming_sessions"]) == [f"Ana Confirmée – {session.action.title}"]
    assert [(item.label, item.notes[0]) for item in blocks["waiting_list"].items] == [
        (f"Léo Attente – {session.action.title}", "2e place sur la liste d'attente")
    ]
    assert someone_else.pk < waiting.pk
    assert [item.url for item in blocks["certificates"].items] == [
        f"/formations/inscriptions/{attended.pk}/attestation.pdf"
    ]


# --- National and AMF staff -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["national_staff", "amf_staff"])
def test_national_and_amf_staff_see_figures_due_axis5_and_latest_signed(persona, name, delegation_staff, commune):
    user = persona(name)
    signed = make_contract(actor=delegation_staff, collectivities=[commune], status=ContractStatus.SIGNED)
    today = timezone.localdate()
    internship = Internship.objects.create(
        student_name="Léa Roussel",
        promotion="Simone Veil",
        start_date=today + datetime.timedelta(days=5),
        end_date=today + datetime.timedelta(days=90),
        tutor="M. Tuteur",
        subject="Les intercommunalités",
        status=InternshipStatus.PLANNED,
    )
    Internship.objects.create(
        student_name="Plus tard",
        promotion="Simone Veil",
        start_date=today + datetime.timedelta(days=200),
        end_date=today + datetime.timedelta(days=300),
        tutor="M. Tuteur",
        subject="Plus tard",
    )
    study = Study.objects.create(
        subject="Besoins des petites communes",
        requester="AMF",
        requested_on=today - datetime.timedelta(days=60),
        due_on=today - datetime.timedelta(days=1),
        status=StudyStatus.IN_PROGRESS,
    )

    blocks = _blocks(user)

    assert [label for label, _value in blocks["national_figures"].figures] == [
        "contrats en vigueur",
        "jours-stagiaires prévus",
        "jours-stagiaires réalisés",
        "événements publiés",
        "participants aux événements",
    ]
    assert [(item.url, item.warning) for item in blocks["axis5_due"].items] == [
        (f"/stages-etudes/stages/{internship.pk}/", False),
        (f"/stages-etudes/etudes/{study.pk}/", True),
    ]
    assert [item.url for item in blocks["latest_signed"].items] == [f"/contrats/{signed.pk}/"]


def test_each_role_page_renders_its_blocks(client, persona):
    expected = {
        "national_staff": [
            "Chiffres nationaux",
            "Stages et études à échéance",
            "Derniers contrats signés",
            "Exports prêts",
        ],
        # Not the délégué(e), and no contract waits for their countersignature: no countersign block.
        "delegation_staff": [
            "Brouillons de contrat",
            "Signatures bloquées, expirant ou refusées",
            "Sessions de la semaine",
            "Émargement à saisir",
            "Exports prêts",
        ],
        "signatory": ["Contrats à signer", "Contrats signés"],
        "hr_contact": [
            "Prochaines sessions de vos agents",
            "Vos agents en liste d'attente",
            "Attestations des trois derniers mois",
        ],
        "speaker_user": ["Vos prochaines sessions de formation", "Émargement à saisir"],
    }
    for name, titles in expected.items():
        client.force_login(persona(name))
        content = client.get("/a-faire/").content.decode()
        found = re.findall(r'<h2 id="bloc-[a-z_0-9]+" [^>]*>\s*<span>([^<]+)</span>', content)
        assert [html.unescape(title) for title in found] == titles, name


def _page_blocks(client, user) -> dict:
    """The blocks of the « À faire » page as the browser shows them: title → (count, texts, links)."""
    client.force_login(user)
    page = BeautifulSoup(client.get(reverse("todo")).content, "html.parser")
    blocks = {}
    for section in page.select("section.todo-block"):
        title = section.select_one("h2 span").get_text()
        badge = section.select_one("h2 .badge")
        empty = section.select_one("p.text-body-secondary")
        blocks[title] = {
            "count": int(badge["data-count"]) if badge else None,
            "empty": empty.get_text() if empty else "",
            "links": [(a.get_text(" ", strip=True), a["href"]) for a in section.select("a:not(.fw-semibold)")],
        }
    return blocks


def test_countersign_block_shows_to_the_delegate_and_to_another_agent_only_when_a_contract_waits(
    client, delegation_staff, delegation, commune, django_capture_on_commit_callbacks
):
    delegate = UserFactory(role=Role.DELEGATION_STAFF, delegation=delegation, function="Déléguée régionale")

    assert _page_blocks(client, delegate)["Contrats à contresigner"] == {
        "count": 0,
        "empty": "Aucun contrat n'attend votre contre-signature.",
        "links": [
            (
                "Suivre les contrats en cours de signature",
                reverse("agreements:contract_list") + "?status=ready_for_signature",
            )
        ],
    }
    assert "Contrats à contresigner" not in _page_blocks(client, delegation_staff)

    # Staff may name another agent as a contract's countersignatory: then it waits for them.
    contract = _countersign_ready(
        make_contract(actor=delegation_staff, collectivities=[commune], delegate=delegation_staff),
        delegation_staff,
        django_capture_on_commit_callbacks,
    )
    block = _page_blocks(client, delegation_staff)["Contrats à contresigner"]
    assert (block["count"], block["links"]) == (
        1,
        [("Tous les contrats à contresigner – Contrats à contresigner", "/contrats/a-contresigner/")],
    )
    assert todo_count(delegation_staff) == 1
    assert _page_blocks(client, delegate)["Contrats à contresigner"]["count"] == 0
    assert contract.delegate_id == delegation_staff.pk


@pytest.mark.parametrize(
    ("name", "title", "empty", "link"),
    [
        (
            "hr_contact",
            "Prochaines sessions de vos agents",
            "Aucun de vos agents n'est inscrit à une session à venir.",
            ("Inscrire vos agents\u00a0: le catalogue des formations", "trainings:session_list"),
        ),
        (
            "hr_contact",
            "Attestations des trois derniers mois",
            "Aucune attestation pour l'instant\u00a0: elle est prête dès que la présence de votre agent est saisie.",
            ("Inscrire vos agents\u00a0: le catalogue des formations", "trainings:session_list"),
        ),
        (
            "delegation_staff",
            "Brouillons de contrat",
            "Aucun brouillon en cours.",
            ("Rédiger un contrat", "agreements:contract_create"),
        ),
        (
            "delegation_staff",
            "Sessions de la semaine",
            "Aucune session cette semaine.",
            ("Voir le calendrier des formations", "trainings:session_calendar"),
        ),
        (
            "signatory",
            "Contrats à signer",
            "Aucun contrat n'attend votre signature.",
            ("Voir vos contrats", "agreements:my_contracts"),
        ),
        (
            "speaker_user",
            "Vos prochaines sessions de formation",
            "Aucune session à venir.",
            ("Tenir à jour votre profil d'intervenant", "events:my_profile"),
        ),
        (
            "national_staff",
            "Exports prêts",
            "Aucun export terminé cette semaine.",
            ("Demander un export depuis « Mes exports »", "stats:export_list"),
        ),
    ],
)
def test_an_empty_block_points_to_the_next_useful_action(client, persona, name, title, empty, link):
    """A new HR contact, with no agent registered yet, is pointed to the training catalogue; and so on."""
    block = _page_blocks(client, persona(name))[title]

    label, url_name = link
    # An HR contact's blocks draw on their agents' whole history: shown without a count.
    count = None if name == "hr_contact" else 0
    assert block == {"count": count, "empty": empty, "links": [(label, reverse(url_name))]}
    # The link leads to a page the person may open.
    assert client.get(reverse(url_name)).status_code == 200


# --- Query counts -----------------------------------------------------------------------------------------------


def _todo_items(page) -> int:
    """The items listed (« À faire ») and the national figures shown, by the page's own markup."""
    return len(BeautifulSoup(page.content, "html.parser").select(".todo-items li, .todo-figures .col"))


def _fill_delegation(delegation_staff, delegation, commune, capture, n):
    for i in range(n):
        other = CommuneFactory(department=commune.department)
        make_contract(actor=delegation_staff, collectivities=[other], title=f"Brouillon {i}").parties.update(
            deliberation_date=None
        )
        sent = _send(
            make_contract(actor=delegation_staff, collectivities=[CommuneFactory(department=commune.department)]),
            delegation_staff,
            capture,
        )
        SignatureRequest.objects.filter(contract=sent, step=1).update(locked_at=timezone.now())
        _countersign_ready(
            make_contract(actor=delegation_staff, collectivities=[CommuneFactory(department=commune.department)]),
            delegation_staff,
            capture,
        )
        RegistrationFactory(
            session=SessionFactory(
                action=TrainingActionFactory(delegation=delegation), venue=other, start_date=in_days(0)
            )
        )
        _past_session(delegation, other)


def test_todo_queries_do_not_grow_with_items_for_delegation_staff(
    client, delegation_staff, delegation, commune, django_capture_on_commit_callbacks
):
    _fill_delegation(delegation_staff, delegation, commune, django_capture_on_commit_callbacks, 1)
    client.force_login(delegation_staff)
    assert_constant_queries(
        client,
        reverse("todo"),
        lambda: _fill_delegation(delegation_staff, delegation, commune, django_capture_on_commit_callbacks, 4),
        rows=_todo_items,
    )
    assert {key: block.count for key, block in _blocks(delegation_staff).items()} == {
        "countersign": 5,
        "drafts": 5,
        "signatures": 5,
        "sessions_week": 5,
        "attendance": 10,  # the past sessions and today's
        "exports": 0,
    }


def test_todo_queries_do_not_grow_with_items_for_hr_contact(client, hr_contact, delegation, commune):
    def fill(n):
        for _ in range(n):
            session = SessionFactory(action=TrainingActionFactory(delegation=delegation), venue=commune, capacity=1)
            RegistrationFactory(session=session, employer=commune)
            RegistrationFactory(session=session, employer=commune, status=RegistrationStatus.WAITLISTED)
            past, (attended, _other) = _past_session(delegation, commune)
            Attendance.objects.create(
                registration=attended, half_day=past.half_days.first(), status=AttendanceStatus.PRESENT
            )

    fill(1)
    client.force_login(hr_contact)
    assert_constant_queries(client, reverse("todo"), lambda: fill(4), rows=_todo_items)
    # Information from the agents' history: listed (5 each), not counted.
    assert {key: (block.count, len(block.items)) for key, block in _blocks(hr_contact).items()} == {
        "coming_sessions": (None, 5),
        "waiting_list": (None, 5),
        "certificates": (None, 5),
    }


def test_todo_queries_do_not_grow_with_items_for_signatory_and_national_staff(
    client, signatory, national_staff, delegation_staff, commune, django_capture_on_commit_callbacks, settings
):
    # The national figures are computed on each request, not read back from the cache the first one fills.
    settings.STATS_CACHE_SECONDS = 0

    def fill(first, last):
        # Contracts of one collectivité may not overlap: each gets its own years.
        for i in range(first, last):
            _send(
                make_contract(
                    actor=delegation_staff, collectivities=[commune], start=datetime.date(2030 + 8 * i, 1, 1)
                ),
                delegation_staff,
                django_capture_on_commit_callbacks,
            )
            make_contract(
                actor=delegation_staff,
                collectivities=[commune, CommuneFactory(department=commune.department)],
                status=ContractStatus.SIGNED,
                start=datetime.date(2034 + 8 * i, 1, 1),
            )

    fill(0, 1)
    client.force_login(signatory)
    assert_constant_queries(client, reverse("todo"), lambda: fill(1, 4), rows=_todo_items)
    assert _blocks(signatory)["to_sign"].count == 4
    # National staff see figures, not lists: the same queries, whatever the rows behind the figures.
    client.force_login(national_staff)

    def grow():
        fill(4, 6)
        EventFactory.create_batch(3)

    assert_constant_queries(client, reverse("todo"), grow, rows=_figures_total)


def _figures_total(page) -> int:
    figures = BeautifulSoup(page.content, "html.parser").select(".todo-figures dt")
    return sum(int("".join(ch for ch in figure.text if ch.isdigit())) for figure in figures)


def test_menu_counter_costs_one_query(delegation_staff, commune, django_assert_num_queries):
    make_contract(actor=delegation_staff, collectivities=[commune])
    with django_assert_num_queries(1):
        assert todo_count(delegation_staff) == 1


def test_menu_counter_costs_nothing_for_a_role_with_nothing_to_act_on(hr_contact, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert todo_count(hr_contact) == 0


def test_a_block_without_a_count_says_it_shows_the_first_items_and_links_to_all(
    client, hr_contact, delegation, commune
):
    for _ in range(11):
        session = SessionFactory(action=TrainingActionFactory(delegation=delegation), venue=commune)
        RegistrationFactory(session=session, employer=commune)
    client.force_login(hr_contact)
    page = BeautifulSoup(client.get(reverse("todo")).content, "html.parser")

    block = page.select_one("#a-faire-coming_sessions")
    assert block.select_one("h2 .badge") is None
    assert len(block.select(".todo-items li")) == 10
    assert block.select_one("p.small").get_text() == "Les 10 premiers."
    assert block.select_one("a.small")["href"] == reverse("trainings:registration_list")
