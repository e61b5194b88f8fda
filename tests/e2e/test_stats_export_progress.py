"""Journey: an export follows its progress on « Mes exports » without a reload, and without waiting for the e-mail.

No worker runs here: the task is only queued (``partnership.dispatch.publish`` records it), then the test
plays the worker by calling the task function itself. The page, left alone, shows the export pending, then
running with the rows written so far, then ready with its « Télécharger » link.
"""

import re

import pytest
from django.core import mail

from partnership import dispatch
from stats import services, tasks
from stats.models import ExportRequest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_export_progress_updates_the_page_until_the_file_is_ready(journey, delegation_staff, monkeypatch, tmp_path):
    queued = []
    monkeypatch.setattr(dispatch, "publish", lambda task_name, args, task=None: queued.append((task_name, args)))
    run = journey("e-export-avancement")

    page = run.login(delegation_staff)
    run.goto(page, "/statistiques/exports/")
    page.get_by_label("Jeu de données").select_option(label="Contrats par statut")
    page.get_by_label("Format").select_option("csv")
    page.get_by_role("button", name="Demander l'export").click()
    page.get_by_text("Export demandé").wait_for()

    export = ExportRequest.objects.get(requested_by=delegation_staff)
    assert queued == [("stats.tasks.export_generate", [export.pk])]
    row = page.locator(f"#export-{export.pk}")
    # The new export heads the list, pending, and the table asks for news by itself.
    assert page.locator("#export-table tbody tr").first.get_attribute("id") == f"export-{export.pk}"
    assert row.locator(".badge").inner_text() == "En attente"
    assert page.locator("#export-table").get_attribute("hx-trigger") == "every 2s"
    run.step_both_widths(page, "export en attente")
    # Whatever happens next happens in this document: a reload would lose this marker.
    page.evaluate("window.sansRechargement = true")

    # The worker: two rows at a time, progress recorded after each chunk; half-way, look at the page.
    monkeypatch.setattr(services, "PROGRESS_CHUNK_ROWS", 2)
    monkeypatch.setattr(services, "PROGRESS_INTERVAL_SECONDS", 0)
    write_csv = services.write_csv

    def write_and_watch(out, header, rows, **kwargs):
        def rows_watched():
            for number, values in enumerate(rows, start=1):
                if number == 5:  # rows 1–4 written, 4 recorded
                    row.get_by_text("4 écrites jusqu'ici").wait_for()
                    assert row.locator(".badge").inner_text() == "En cours"
                    run.step_both_widths(page, "export en cours")
                yield values

        return write_csv(out, header, rows_watched(), **kwargs)

    monkeypatch.setattr(services, "write_csv", write_and_watch)
    assert tasks.export_generate(export.pk) is True

    row.locator(".badge", has_text="Prêt").wait_for()
    assert page.evaluate("window.sansRechargement") is True
    assert row.locator("td").all_inner_texts()[3:5] == ["Prêt", "6"]
    assert page.locator("#export-announcer").inner_text() == (
        "L'export «\u00a0Contrats par statut\u00a0» (CSV) est prêt\u00a0: 6 lignes, "
        "lien «\u00a0Télécharger\u00a0» dans le tableau."
    )
    # Nothing left in progress: the table stopped asking.
    assert page.locator("#export-table").get_attribute("hx-trigger") is None
    run.step_both_widths(page, "export pret")

    with page.expect_download() as download_info:
        row.get_by_role("link", name=re.compile("^Télécharger")).click()
    path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(path)
    assert path.name == f"contracts_by_status-{export.created_at:%Y%m%d}-{export.pk}.csv"
    content = path.read_bytes()
    assert content.startswith("\ufeff".encode())
    assert content.decode("utf-8-sig").splitlines()[0] == "Code du statut;Statut;Contrats"
    assert len(content.splitlines()) == 7
    # The e-mail is only queued: the page did not need it.
    assert queued[-1] == ("stats.tasks.export_notify", [export.pk])
    assert mail.outbox == []
    run.assert_accessible()
