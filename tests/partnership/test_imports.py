"""« Mes imports »: a file too long for a request goes to a worker, all or nothing, followed on the page."""

import datetime
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from webtest import Upload

from partnership import imports
from partnership.enums import ImportStatus
from partnership.models import ImportRequest
from tests.querycount import assert_constant_queries
from tests.trainings.factories import (
    ContractFactory,
    ContractPartyFactory,
    ProgrammeLineFactory,
    RegistrationFactory,
    SessionFactory,
    TrainingActionFactory,
)
from trainings.enums import ActionMode, RegistrationStatus
from trainings.models import Registration

pytestmark = pytest.mark.django_db

HEADER = "prenom;nom;email;categorie;emploi\r\n"


@pytest.fixture
def session(delegation, commune):
    contract = ContractFactory(delegation=delegation)
    ContractPartyFactory(contract=contract, collectivity=commune)
    action = TrainingActionFactory(
        delegation=delegation, programme_line=ProgrammeLineFactory(contract=contract), mode=ActionMode.INTRA
    )
    return SessionFactory(action=action, venue=commune, capacity=2)


@pytest.fixture(autouse=True)
def _short_requests(settings):
    # Three lines are imported in the request; four go to the worker.
    settings.IMPORT_SYNC_MAX_LINES = 3


def agents_file(*lines: str) -> bytes:
    return (HEADER + "".join(f"{line}\r\n" for line in lines)).encode()


FOUR_AGENTS = [f"Agent{n};Nom{n};agent{n}@mairie.example.fr;C;" for n in range(1, 5)]


def upload(django_app, user, session, content, capture, *, status=None):
    page = django_app.get(f"/formations/sessions/{session.pk}/inscrire/plusieurs/", user=user)
    form = page.forms["registration-import-form"]
    form["file"] = Upload("mes agents.csv", content, "text/csv")
    with capture(execute=True):
        return form.submit(status=status)


def rows(page):
    return [
        " ".join(cell.get_text(" ", strip=True) for cell in tr.select("td"))
        for tr in page.html.select("#import-table tbody tr")
    ]


def test_a_long_file_is_imported_by_a_worker_then_shown_done(
    django_app, hr_contact, session, settings, django_capture_on_commit_callbacks
):
    response = upload(django_app, hr_contact, session, agents_file(*FOUR_AGENTS), django_capture_on_commit_callbacks)

    assert response["Location"] == "/imports/"
    page = response.follow()
    assert [m.message for m in page.context["messages"]] == [
        "Le fichier compte 4 lignes\u00a0: il est importé en arrière-plan. Cette page suit son avancement\u00a0; "
        "tout est importé, ou rien, avec la liste des lignes à corriger."
    ]
    request = ImportRequest.objects.get()
    assert (request.status, request.line_count, request.file.name, request.filename) == (
        ImportStatus.DONE,
        4,
        "",  # the uploaded file is deleted once imported
        "mes agents.csv",
    )
    assert list(session.registrations.order_by("pk").values_list("email", "status")) == [
        ("agent1@mairie.example.fr", RegistrationStatus.CONFIRMED),
        ("agent2@mairie.example.fr", RegistrationStatus.CONFIRMED),
        ("agent3@mairie.example.fr", RegistrationStatus.WAITLISTED),
        ("agent4@mairie.example.fr", RegistrationStatus.WAITLISTED),
    ]
    assert rows(page) == [
        f"{timezone.localtime(request.created_at):%d/%m/%Y %H:%M} Inscription d'agents "
        f"{session.action.title} – session du {session.start_date:%d/%m/%Y} · mes agents.csv "
        f"le {timezone.localtime(request.created_at):%d/%m/%Y à %H:%M}, 4 lignes "
        "Importé 4 agents inscrits\u00a0: 2 inscriptions confirmées, 2 en liste d’attente. 4"
    ]
    assert page.html.select_one("#import-table").get("hx-get") is None  # nothing left to follow
    # Nothing of the uploaded file stays on disk: its lines are in the database.
    assert [path for path in (Path(settings.MEDIA_ROOT) / "imports").rglob("*") if path.is_file()] == []


def test_a_long_file_with_errors_imports_nothing_and_gives_a_report_with_formulas_neutralised(
    django_app, hr_contact, other_hr_contact, session, commune, django_capture_on_commit_callbacks
):
    RegistrationFactory(session=session, employer=commune, email="agent2@mairie.example.fr")
    lines = [*FOUR_AGENTS, '=HYPERLINK("http://x");Nom5;pas-une-adresse;Z;@SUM(A1)']
    upload(django_app, hr_contact, session, agents_file(*lines), django_capture_on_commit_callbacks)

    request = ImportRequest.objects.get()
    assert (request.status, request.error_count, request.file.name) == (ImportStatus.REFUSED, 2, "")
    assert request.errors == [
        "Ligne 3\u00a0: e-mail — Cet agent (même adresse e-mail) est déjà inscrit à cette session.",
        "Ligne 6\u00a0: Catégorie invalide\u00a0: A, B ou C.\u00a0; e-mail — Saisissez une adresse e-mail valide.",
    ]
    assert list(Registration.objects.values_list("email", flat=True)) == ["agent2@mairie.example.fr"]
    page = django_app.get("/imports/", user=hr_contact)
    assert page.html.select_one(f"#import-{request.pk} .badge").text == "Refusé"
    report = page.click(href=f"/imports/{request.pk}/rapport/")
    assert report.headers["Content-Disposition"] == f'attachment; filename="erreurs-import-{request.pk}.csv"'
    assert report.body.decode("utf-8") == (
        "\ufeffligne;prenom;nom;email;categorie;emploi;erreurs\r\n"
        "3;Agent2;Nom2;agent2@mairie.example.fr;C;;"
        "e-mail — Cet agent (même adresse e-mail) est déjà inscrit à cette session\r\n"
        '6;"\'=HYPERLINK(""http://x"")";Nom5;pas-une-adresse;Z;\'@SUM(A1);'
        '"Catégorie invalide\u00a0: A, B ou C.\u00a0; e-mail — Saisissez une adresse e-mail valide"\r\n'
    )
    # Somebody else's report does not exist for them.
    assert (
        django_app.get(f"/imports/{request.pk}/rapport/", user=other_hr_contact, expect_errors=True).status_code == 404
    )


def test_a_file_refused_whole_says_why(django_app, hr_contact, session, django_capture_on_commit_callbacks):
    # Short enough to be read in the request: what concerns the whole file is refused at once.
    response = upload(
        django_app, hr_contact, session, b"nom;prenom\n" + b"a;b\n" * 5, django_capture_on_commit_callbacks, status=400
    )
    assert [li.text for li in response.html.select("#batch-errors li")] == [
        "Ligne 1\u00a0: en-tête attendu «\u00a0prenom;nom;email;categorie;emploi\u00a0», trouvé «\u00a0nom;prenom\u00a0» "
        "(colonnes manquantes\u00a0: email, categorie, emploi)."
    ]
    assert ImportRequest.objects.count() == 0


def _queued(user, session, content=None) -> ImportRequest:
    request = ImportRequest(
        requested_by=user,
        kind="trainings.registrations",
        parameters={"session_id": session.pk},
        target_label="Session",
        line_count=4,
    )
    request.file.save("queued.csv", ContentFile(content or agents_file(*FOUR_AGENTS)), save=False)
    request.save()
    return request


def test_the_worker_imports_once_and_takes_over_a_dead_workers_claim_only_after_its_timeout(hr_contact, session):
    request = _queued(hr_contact, session)
    assert imports.import_run(import_id=request.pk) is True
    assert imports.import_run(import_id=request.pk) is False  # delivered twice: imported once
    assert session.registrations.count() == 4

    stale = _queued(hr_contact, session)
    ImportRequest.objects.filter(pk=stale.pk).update(status=ImportStatus.RUNNING, started_at=timezone.now())
    assert imports.import_run(import_id=stale.pk) is False  # another worker holds it
    ImportRequest.objects.filter(pk=stale.pk).update(
        started_at=timezone.now() - imports.claim_timeout() - datetime.timedelta(seconds=1)
    )
    assert imports.import_run(import_id=stale.pk) is False  # taken over, and refused:
    stale.refresh_from_db()
    # the same four agents again: refused line by line, nothing imported twice.
    assert (stale.status, stale.error_count, session.registrations.count()) == (ImportStatus.REFUSED, 4, 4)


def test_a_technical_failure_writes_nothing_and_says_so(hr_contact, session, monkeypatch):
    request = _queued(hr_contact, session)

    def broken(**kwargs):
        raise RuntimeError("disque plein")

    monkeypatch.setattr("trainings.registrations.registration_create_many", broken)
    assert imports.import_run(import_id=request.pk) is False
    request.refresh_from_db()
    assert (request.status, request.error, request.file.name) == (
        ImportStatus.FAILED,
        "Le fichier n'a pas pu être importé (erreur technique\u00a0: RuntimeError)\u00a0; rien n'a été enregistré. "
        f"Importez-le de nouveau\u00a0; si l'échec se répète, signalez l'import n° {request.pk}.",
        "",
    )
    assert session.registrations.count() == 0


def test_a_session_out_of_reach_by_the_time_the_worker_runs_is_refused(hr_contact, session):
    request = _queued(hr_contact, session)
    session.registrations.all().delete()
    session.delete()
    assert imports.import_run(import_id=request.pk) is False
    request.refresh_from_db()
    assert (request.status, request.error) == (
        ImportStatus.REFUSED,
        "La destination de cet import n'existe plus ou ne fait plus partie de votre périmètre.",
    )


def test_the_page_follows_a_running_import_with_its_lines_done(client, hr_contact, session):
    request = _queued(hr_contact, session)
    ImportRequest.objects.filter(pk=request.pk).update(status=ImportStatus.RUNNING, started_at=timezone.now())
    cache.set(imports.progress_key(request.pk), 3)
    client.force_login(hr_contact)

    page = client.get("/imports/")
    table = page.content.decode()
    assert f'hx-get="/imports/etat/?page=1&amp;en_cours={request.pk}"' in table
    assert "3 lignes sur 4" in table
    # The poll after the import ended announces it once, to screen readers.
    ImportRequest.objects.filter(pk=request.pk).update(
        status=ImportStatus.DONE, summary="4 agents inscrits.", finished_at=timezone.now()
    )
    answer = client.get(f"/imports/etat/?en_cours={request.pk}").content.decode()
    assert "hx-get" not in answer
    assert "L'import «&nbsp;Inscription d&#x27;agents&nbsp;» (Session) est terminé&nbsp;: 4 agents inscrits.</div>" in (
        answer
    )


def test_reports_expire_and_the_row_stays_as_history(hr_contact, session, settings):
    request = _queued(hr_contact, session, agents_file("Agent1;Nom1;pas-une-adresse;C;"))
    ImportRequest.objects.filter(pk=request.pk).update(line_count=1)
    imports.import_run(import_id=request.pk)
    request.refresh_from_db()
    report = request.report.name
    assert default_storage.exists(report)

    later = request.finished_at + datetime.timedelta(days=settings.IMPORT_RETENTION_DAYS)
    assert imports.imports_expire(now=later) == 0
    assert imports.imports_expire(now=later + datetime.timedelta(seconds=1)) == 1
    request.refresh_from_db()
    assert (request.report.name, request.errors, request.filename, request.error_count, request.status) == (
        "",
        [],
        "",
        1,
        ImportStatus.REFUSED,
    )
    assert not default_storage.exists(report)
    assert imports.imports_expire(now=later + datetime.timedelta(days=1)) == 0


def test_mes_imports_costs_the_same_queries_with_one_import_or_many(client, hr_contact, session):
    _queued(hr_contact, session)
    client.force_login(hr_contact)

    def grow():
        for status in (ImportStatus.RUNNING, ImportStatus.DONE, ImportStatus.REFUSED, ImportStatus.FAILED):
            request = _queued(hr_contact, session)
            ImportRequest.objects.filter(pk=request.pk).update(
                status=status,
                started_at=timezone.now(),
                finished_at=None if status == ImportStatus.RUNNING else timezone.now(),
            )

    assert assert_constant_queries(client, "/imports/", grow, rows="#import-table tbody tr") == (1, 5)


def test_an_import_no_worker_ever_ended_does_not_keep_its_file(hr_contact, session, settings):
    lost = _queued(hr_contact, session)
    stored = lost.file.name
    later = lost.created_at + datetime.timedelta(days=settings.IMPORT_RETENTION_DAYS, seconds=1)
    imports.imports_expire(now=later)
    lost.refresh_from_db()
    assert (lost.status, lost.file.name, lost.error) == (
        ImportStatus.FAILED,
        "",
        "Aucun worker n'a terminé cet import\u00a0: rien n'a été enregistré. Importez le fichier de nouveau.",
    )
    assert not default_storage.exists(stored)
    assert session.registrations.count() == 0
