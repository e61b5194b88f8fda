"""Journey e: a delegation agent requests an export, receives the e-mail and downloads the file."""

import re

import pytest
from django.core import mail

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_export_requested_emailed_and_downloaded(journey, delegation_staff, tmp_path):
    pytest.importorskip("stats.views", reason="l'application de statistiques n'a pas encore d'exports")
    run = journey("e-export-statistiques")

    page = run.login(delegation_staff)
    run.step(page, "a faire")
    run.goto(page, "/statistiques/")
    run.step(page, "tableau de bord")
    run.goto(page, "/statistiques/exports/")
    run.step(page, "exports")
    page.get_by_label("Format").select_option("csv")
    page.get_by_role("button", name="Demander l'export").click()
    page.get_by_text("Export demandé").wait_for()
    run.step(page, "export demande")

    ready = [
        m for m in mail.outbox if m.to == [delegation_staff.email] and m.subject.startswith("Votre export est prêt")
    ]
    assert len(ready) == 1
    link = re.search(r"http://\S+/statistiques/exports/\d+/telecharger/", ready[0].body).group(0)
    page.reload()
    run.step(page, "export pret")
    with page.expect_download() as download_info:
        page.evaluate("url => { window.location.href = url; }", link)
    path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(path)
    assert path.suffix == ".csv"
    assert path.read_bytes().count(b"\n") >= 1
    run.assert_accessible()
