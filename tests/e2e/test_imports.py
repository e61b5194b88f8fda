"""Journey: an HR contact imports agents from a CSV file: a short file's errors all at once on the page,
a long one handed to a worker and followed in « Mes imports » without a reload, refused with its report,
then imported once corrected.

No worker runs here: the task is only queued (``partnership.dispatch.publish`` records it), then the test
plays the worker by calling the task function itself, as ``test_stats_export_progress.py`` does.
"""

import pytest
from django.core.cache import cache
from django.utils import timezone

from partnership import dispatch, imports
from partnership.enums import ImportStatus
from partnership.models import ImportRequest
from tests.trainings.factories import (
    ContractFactory,
    ContractPartyFactory,
    ProgrammeLineFactory,
    SessionFactory,
    TrainingActionFactory,
)
from trainings.enums import ActionMode

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HEADER = "prénom;nom;email;catégorie;emploi\r\n"


def _file(tmp_path, name, lines):
    path = tmp_path / name
    path.write_bytes(("\ufeff" + HEADER + "".join(f"{line}\r\n" for line in lines)).encode())
    return str(path)


def test_hr_contact_imports_a_long_file_through_mes_imports(
    journey, delegation, commune, hr_contact, settings, monkeypatch, tmp_path
):
    settings.IMPORT_SYNC_MAX_LINES = 3
    queued = []
    monkeypatch.setattr(dispatch, "publish", lambda task_name, args, task=None: queued.append((task_name, args)))
    contract = ContractFactory(delegation=delegation)
    ContractPartyFactory(contract=contract, collectivity=commune)
    action = TrainingActionFactory(
        delegation=delegation, programme_line=ProgrammeLineFactory(contract=contract), mode=ActionMode.INTRA
    )
    session = SessionFactory(action=action, venue=commune, capacity=4)
    run = journey("h-mes-imports")
    page = run.login(hr_contact)

    # A short file: imported in the request, or refused with every line's errors at once.
    run.goto(page, f"/formations/sessions/{session.pk}/inscrire/plusieurs/")
    upload = page.get_by_label("Fichier CSV des agents")
    upload.set_input_files(
        _file(tmp_path, "court.csv", ["Léa;Roux;lea@mairie.example.fr;D;", "Max;Dupré;pas-une-adresse;C;"])
    )
    page.get_by_role("button", name="Importer et inscrire").click()
    page.wait_for_load_state("load")
    assert page.locator("#batch-errors li").all_inner_texts() == [
        "Ligne 2\u00a0: Catégorie invalide\u00a0: A, B ou C.",
        "Ligne 3\u00a0: e-mail — Saisissez une adresse e-mail valide.",
    ]
    run.step_both_widths(page, "fichier court refuse ligne par ligne")

    # A long file: handed to a worker, followed on « Mes imports ».
    agents = [f"Agent{n};Nom{n};agent{n}@mairie.example.fr;C;Agent d'accueil" for n in range(1, 6)]
    agents[3] = '=HYPERLINK("http://x");Nom4;agent4-sans-arobase;C;'
    page.get_by_label("Fichier CSV des agents").set_input_files(_file(tmp_path, "agents.csv", agents))
    page.get_by_role("button", name="Importer et inscrire").click()
    page.get_by_text("il est importé en arrière-plan").wait_for()
    request = ImportRequest.objects.get()
    assert queued == [("partnership.tasks.import_run", [request.pk])]
    assert page.locator(f"#import-{request.pk} .badge").inner_text() == "En attente"
    assert page.locator("#import-table").get_attribute("hx-trigger") == "every 2s"
    run.step_both_widths(page, "import en attente")
    page.evaluate("window.sansRechargement = true")

    # Half-way through: the page shows the lines done, by itself.
    ImportRequest.objects.filter(pk=request.pk).update(status=ImportStatus.RUNNING, started_at=timezone.now())
    cache.set(imports.progress_key(request.pk), 3)
    page.get_by_text("3 lignes sur 5").wait_for()
    run.step(page, "import en cours")

    # The worker ends it: refused, nothing written, with the report of the faulty line.
    ImportRequest.objects.filter(pk=request.pk).update(status=ImportStatus.PENDING, started_at=None)
    imports.import_run(import_id=request.pk)
    page.locator(f"#import-{request.pk} .badge", has_text="Refusé").wait_for()
    assert page.evaluate("window.sansRechargement") is True
    assert session.registrations.count() == 0
    page.get_by_text("Voir les erreurs").click()
    assert page.locator(f"#import-{request.pk} details li").all_inner_texts() == [
        "Ligne 5\u00a0: e-mail — Saisissez une adresse e-mail valide."
    ]
    run.step_both_widths(page, "import refuse avec son rapport")
    with page.expect_download() as download:
        page.locator(f"#import-{request.pk}-rapport").click()
    report = download.value.path().read_bytes().decode("utf-8")
    assert report.splitlines()[1].startswith("5;\"'=HYPERLINK(")  # the formula made inert

    # Corrected and sent again: imported, the four first agents confirmed, the fifth waiting.
    agents[3] = "Agent4;Nom4;agent4@mairie.example.fr;C;"
    run.goto(page, f"/formations/sessions/{session.pk}/inscrire/plusieurs/")
    page.get_by_label("Fichier CSV des agents").set_input_files(_file(tmp_path, "agents-corrige.csv", agents))
    page.get_by_role("button", name="Importer et inscrire").click()
    page.get_by_text("il est importé en arrière-plan").wait_for()
    second = ImportRequest.objects.latest("pk")
    imports.import_run(import_id=second.pk)
    page.locator(f"#import-{second.pk} .badge", has_text="Importé").wait_for()
    assert session.registrations.count() == 5
    run.step_both_widths(page, "import termine")
    run.assert_accessible()
