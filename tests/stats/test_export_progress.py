"""« Mes exports » shows each export's status and follows it: the table polls itself while one is in progress.

The page and its partial (``stats:export_table``) render the same rows; the partial stops carrying the
polling trigger once no export of the page is pending or running, and announces to screen readers only the
exports whose status changed since the page last saw them.
"""

import copy
import datetime
import io
import re
from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format

from partnership import polling
from partnership.text import french_date
from stats import services, views
from stats.enums import ExportStatus
from stats.models import ExportRequest
from stats.registry import DATASETS

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def _text(element) -> str:
    # Collapse the template's layout whitespace, not the non-breaking spaces of French typography.
    return re.sub(r"[ \t\r\n]+", " ", element.get_text(" ", strip=True))


def _export(user, status=ExportStatus.PENDING, *, dataset="contracts_by_status", format="csv", **fields):
    now = timezone.now()
    if status in (ExportStatus.RUNNING, ExportStatus.DONE, ExportStatus.FAILED):
        fields.setdefault("started_at", now)
    if status in (ExportStatus.DONE, ExportStatus.FAILED):
        fields.setdefault("finished_at", now)
    if status == ExportStatus.DONE:
        fields.setdefault("file", f"exports/{dataset}.{format}")
        fields.setdefault("row_count", 6)
    return ExportRequest.objects.create(requested_by=user, dataset=dataset, format=format, status=status, **fields)


def _table(response):
    """The exports table region of a page or a partial (webtest's BeautifulSoup)."""
    [region] = response.html.select("#export-table")
    return region


def _row_texts(region, *, width="desktop") -> list[list[str]]:
    """Each row's cells as a wide screen shows them, or (``"mobile"``) the three a narrow one shows."""
    region = copy.copy(region)
    hidden = ".d-md-none" if width == "desktop" else ".d-md-table-cell"
    for element in region.select(hidden):
        element.decompose()
    return [[_text(cell) for cell in row.find_all("td")] for row in region.select("tbody tr")]


def _partial(django_app, user, **params):
    return django_app.get(reverse("stats:export_table"), params, user=user, headers={"HX-Request": "true"})


# --- Statuses ------------------------------------------------------------------------------------


def test_each_status_has_its_badge_and_a_failure_says_why_in_french(django_app, delegation_staff):
    failed = _export(delegation_staff, ExportStatus.FAILED, error="Le fichier n'a pas pu être produit.")
    done = _export(delegation_staff, ExportStatus.DONE, row_count=1234)
    running = _export(delegation_staff, ExportStatus.RUNNING, row_count=2000)
    starting = _export(delegation_staff, ExportStatus.RUNNING)
    pending = _export(delegation_staff)
    page = django_app.get(reverse("stats:export_list"), user=delegation_staff)

    region = _table(page)
    badges = [row.select_one(".badge") for row in region.select("tbody tr")]
    assert [(badge.get_text(), badge["class"][1]) for badge in badges] == [
        ("En attente", "text-bg-secondary"),
        ("En cours", "text-bg-primary"),
        ("En cours", "text-bg-primary"),
        ("Prêt", "text-bg-success"),
        ("Échec", "text-bg-danger"),
    ]
    rows = _row_texts(region)
    assert [row[3:] for row in rows] == [
        ["En attente", "–", "–"],
        ["En cours", "–", "–"],  # no row written yet: the spinner alone
        ["En cours", f"{number_format(2000, force_grouping=True)} écrites jusqu'ici", "–"],
        [
            "Prêt",
            number_format(1234, force_grouping=True),
            f"Télécharger «{NBSP}Contrats par statut{NBSP}» du {_local(done.created_at)}",
        ],
        ["Échec Le fichier n'a pas pu être produit.", "", "–"],
    ]
    # On a narrow screen the date and format join the dataset, the rows join the status.
    assert _row_texts(region, width="mobile") == [
        [f"Contrats par statut CSV, le {_local(pending.created_at)}", "En attente", "–"],
        [f"Contrats par statut CSV, le {_local(starting.created_at)}", "En cours", "–"],
        [
            f"Contrats par statut CSV, le {_local(running.created_at)}",
            f"En cours {number_format(2000, force_grouping=True)} lignes écrites jusqu'ici",
            "–",
        ],
        [
            f"Contrats par statut CSV, le {_local(done.created_at)}",
            f"Prêt {number_format(1234, force_grouping=True)} lignes",
            f"Télécharger «{NBSP}Contrats par statut{NBSP}» du {_local(done.created_at)}",
        ],
        [
            f"Contrats par statut CSV, le {_local(failed.created_at)}",
            "Échec Le fichier n'a pas pu être produit.",
            "–",
        ],
    ]
    # Two exports running: one spinner each, hidden from screen readers (the badge says it).
    spinners = region.select(".spinner-border")
    assert len(spinners) == 2
    assert all(spinner["aria-hidden"] == "true" for spinner in spinners)
    link = region.select_one(f"#export-{done.pk}-telecharger")
    assert link["href"] == reverse("stats:export_download", args=[done.pk])


def _local(moment) -> str:
    # « 07/12/2026 à 14 h 30 »: the French hour.
    return french_date(timezone.localtime(moment), "d/m/Y à H:i")


def test_one_row_written_is_singular(django_app, delegation_staff):
    _export(delegation_staff, ExportStatus.RUNNING, row_count=1)
    page = django_app.get(reverse("stats:export_list"), user=delegation_staff)
    assert _row_texts(_table(page))[0][4] == "1 écrite jusqu'ici"


# --- Polling and its stop condition --------------------------------------------------------------


def test_page_polls_its_table_while_an_export_is_pending(django_app, delegation_staff):
    _export(delegation_staff, ExportStatus.DONE)
    pending = _export(delegation_staff)
    running = _export(delegation_staff, ExportStatus.RUNNING)
    page = django_app.get(reverse("stats:export_list"), user=delegation_staff)

    region = _table(page)
    assert region["hx-get"] == (f"{reverse('stats:export_table')}?page=1&en_attente={pending.pk}&en_cours={running.pk}")
    assert region["hx-trigger"] == "every 2s"
    assert region["hx-swap"] == "outerHTML"
    # Without JavaScript, a link does what the polling does.
    note = region.select_one("p")
    assert _text(note) == (
        f"2 exports en préparation{NBSP}: ce tableau se met à jour de lui-même si JavaScript est activé . Actualiser"
    )
    assert note.select_one("#export-refresh")["href"] == reverse("stats:export_list")
    # htmx comes from the application's own static files, on this page only.
    scripts = [script["src"] for script in page.html.select("script[src]")]
    assert "/static/django_htmx/htmx-2.min.js" in scripts
    assert not [src for src in scripts if not src.startswith("/static/")]
    # The status region for screen readers is outside the table that gets replaced, and empty at first.
    [announcer] = page.html.select("#export-announcer")
    assert (announcer["aria-live"], announcer["role"], announcer.get_text()) == ("polite", "status", "")
    assert not announcer.find_parent(id="export-table")


def test_polling_stops_once_no_export_is_pending_or_running(django_app, delegation_staff):
    running = _export(delegation_staff, ExportStatus.RUNNING)
    _export(delegation_staff, ExportStatus.DONE)
    response = _partial(django_app, delegation_staff, en_cours=running.pk)
    assert _table(response)["hx-trigger"] == "every 2s"

    ExportRequest.objects.filter(pk=running.pk).update(status=ExportStatus.FAILED, finished_at=timezone.now())
    response = _partial(django_app, delegation_staff, en_cours=running.pk)
    region = _table(response)
    assert not region.has_attr("hx-get")
    assert not region.has_attr("hx-trigger")
    assert region.select("#export-refresh") == []
    assert [row[3] for row in _row_texts(region)] == ["Prêt", "Échec"]

    page = django_app.get(reverse("stats:export_list"), user=delegation_staff)
    assert not _table(page).has_attr("hx-trigger")


def test_page_without_exports_does_not_poll(django_app, delegation_staff):
    page = django_app.get(reverse("stats:export_list"), user=delegation_staff)
    region = _table(page)
    assert not region.has_attr("hx-trigger")
    assert _row_texts(region) == [["Vous n'avez demandé aucun export."]]


def test_an_export_stalled_past_the_claim_timeout_is_polled_rarely(django_app, delegation_staff, settings):
    settings.STATS_EXPORT_CLAIM_TIMEOUT_SECONDS = 60
    pending = _export(delegation_staff)
    ExportRequest.objects.filter(pk=pending.pk).update(created_at=timezone.now() - datetime.timedelta(seconds=61))
    response = _partial(django_app, delegation_staff, en_attente=pending.pk)
    assert _table(response)["hx-trigger"] == f"every {polling.SLOW_POLL_SECONDS}s"

    # A worker starts it: news again every two seconds.
    ExportRequest.objects.filter(pk=pending.pk).update(status=ExportStatus.RUNNING, started_at=timezone.now())
    response = _partial(django_app, delegation_staff, en_attente=pending.pk)
    assert _table(response)["hx-trigger"] == "every 2s"


def test_polling_keeps_the_page_number(django_app, delegation_staff):
    pending = _export(delegation_staff)
    for _ in range(views.EXPORTS_PER_PAGE):
        _export(delegation_staff, ExportStatus.DONE)
    # The pending export is the oldest: page 2.
    page = django_app.get(reverse("stats:export_list"), {"page": 2}, user=delegation_staff)
    region = _table(page)
    assert region["hx-get"] == f"{reverse('stats:export_table')}?page=2&en_attente={pending.pk}"
    assert region.select_one("#export-refresh")["href"] == reverse("stats:export_list") + "?page=2"
    assert len(_row_texts(_table(_partial(django_app, delegation_staff, page=2)))) == 1
    # Page 1 has nothing in progress: it does not poll.
    assert not _table(django_app.get(reverse("stats:export_list"), user=delegation_staff)).has_attr("hx-trigger")


# --- What screen readers hear --------------------------------------------------------------------


def test_partial_announces_the_exports_whose_status_changed(django_app, delegation_staff):
    ready = _export(delegation_staff, ExportStatus.DONE, dataset="trainees_by_category", format="xlsx", row_count=1)
    failed = _export(delegation_staff, ExportStatus.FAILED)
    started = _export(delegation_staff, ExportStatus.RUNNING)
    still_pending = _export(delegation_staff)
    still_running = _export(delegation_staff, ExportStatus.RUNNING)
    response = _partial(
        django_app,
        delegation_staff,
        en_attente=[ready.pk, started.pk, still_pending.pk],
        en_cours=[failed.pk, still_running.pk],
    )
    [announcer] = response.html.select("#export-announcer")
    assert announcer["hx-swap-oob"] == "innerHTML"
    assert announcer.get_text() == (
        f"L'export «{NBSP}Contrats par statut{NBSP}» (CSV) est en cours. "
        f"L'export «{NBSP}Contrats par statut{NBSP}» (CSV) a échoué. "
        f"L'export «{NBSP}Stagiaires par catégorie{NBSP}» (XLSX) est prêt{NBSP}: 1 ligne, "
        f"lien «{NBSP}Télécharger{NBSP}» dans le tableau."
    )


def test_partial_without_change_leaves_the_status_region_alone(django_app, delegation_staff):
    pending = _export(delegation_staff)
    response = _partial(django_app, delegation_staff, en_attente=pending.pk)
    assert response.html.select("#export-announcer") == []
    # A first request that saw nothing (or parameters typed by hand) announces nothing either.
    for params in ({}, {"en_attente": ["abc", "²", "-1", "9" * 40], "en_cours": ["", "1e3"]}):
        response = _partial(django_app, delegation_staff, **params)
        assert response.status_code == 200
        assert response.html.select("#export-announcer") == []
    assert response.headers["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


# --- Scope ---------------------------------------------------------------------------------------


def test_partial_shows_only_my_exports(django_app, delegation_staff, other_delegation_staff):
    theirs = _export(other_delegation_staff, ExportStatus.DONE, dataset="studies_by_status")
    their_pending = _export(other_delegation_staff, dataset="events_by_kind")
    mine = _export(delegation_staff)
    # Naming another person's exports as "seen" neither shows nor announces them.
    response = _partial(django_app, delegation_staff, en_attente=[theirs.pk, their_pending.pk, mine.pk])
    region = _table(response)
    assert [row.get("id") for row in region.select("tbody tr")] == [f"export-{mine.pk}"]
    assert "Études" not in response.text
    assert "Événements" not in response.text
    assert reverse("stats:export_download", args=[theirs.pk]) not in response.text
    assert response.html.select("#export-announcer") == []
    assert region["hx-get"] == f"{reverse('stats:export_table')}?page=1&en_attente={mine.pk}"


def test_logged_out_poll_sends_the_whole_page_to_the_login_form(django_app):
    expected = f"{reverse('login')}?next={reverse('stats:export_list')}"
    response = django_app.get(reverse("stats:export_table"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == expected
    assert response.text == ""
    response = django_app.get(reverse("stats:export_table"))
    assert response.status_code == 302
    assert response.headers["Location"] == expected


# --- Query counts --------------------------------------------------------------------------------


def _mixed_exports(user, n):
    for _ in range(n):
        for status in ExportStatus.values:
            _export(user, status)


@pytest.mark.parametrize("name", ["stats:export_list", "stats:export_table"])
def test_query_count_does_not_grow_with_the_exports(client, delegation_staff, django_assert_num_queries, name):
    client.force_login(delegation_staff)
    url = reverse(name)
    _mixed_exports(delegation_staff, 1)
    seen = {"en_attente": list(ExportRequest.objects.values_list("pk", flat=True))}
    with django_assert_num_queries(QUERIES[name]):
        assert client.get(url, seen).status_code == 200
    _mixed_exports(delegation_staff, 4)  # one export of each status five times: 25 exports, one page
    seen = {"en_attente": list(ExportRequest.objects.values_list("pk", flat=True))}
    with django_assert_num_queries(QUERIES[name]) as captured:
        response = client.get(url, seen)
    assert response.content.decode().count('<tr id="export-') == 5 * len(ExportStatus.values) == 25
    assert len(captured.captured_queries) == QUERIES[name]


# Session, user, page count, page rows; the full page adds the header's delegation, the menu's
# « À faire » counter and the form's delegations.
QUERIES = {"stats:export_list": 7, "stats:export_table": 4}


# --- Progress written by the task ----------------------------------------------------------------


def test_reporting_progress_yields_every_row_and_reports_between_chunks():
    reports = []
    rows = list(services._reporting_progress(iter(range(5)), reports.append, chunk=2, interval=0))
    assert rows == [0, 1, 2, 3, 4]
    assert reports == [2, 4, 5]
    reports.clear()
    assert list(services._reporting_progress(range(5), reports.append, chunk=2, interval=3600)) == [0, 1, 2, 3, 4]
    assert reports == []


def test_running_export_records_the_rows_written_so_far(world, delegation_staff, monkeypatch):
    monkeypatch.setattr(services, "PROGRESS_CHUNK_ROWS", 2)
    monkeypatch.setattr(services, "PROGRESS_INTERVAL_SECONDS", 0)
    export = _export(delegation_staff)
    seen_by_the_page = []
    write_csv = services.write_csv

    def observed_write_csv(out, header, rows, **kwargs):
        def watched():
            for row in rows:
                seen_by_the_page.append(ExportRequest.objects.values_list("status", "row_count").get(pk=export.pk))
                yield row

        return write_csv(out, header, watched(), **kwargs)

    monkeypatch.setattr(services, "write_csv", observed_write_csv)
    assert services.export_generate(export_id=export.pk) is True
    running = ExportStatus.RUNNING
    # contracts_by_status: 6 rows, reported after the 2nd and the 4th.
    assert seen_by_the_page == [
        (running, None), (running, None), (running, 2), (running, 2), (running, 4), (running, 4)
    ]  # fmt: skip
    export.refresh_from_db()
    assert (export.status, export.row_count) == (ExportStatus.DONE, 6)


@pytest.mark.parametrize(("key", "format"), [("contracts_by_status", "xlsx"), ("anonymised_registrations", "csv")])
def test_streamed_files_report_progress_and_copied_ones_do_not(world, national_staff, monkeypatch, key, format):
    monkeypatch.setattr(services, "PROGRESS_CHUNK_ROWS", 1)
    monkeypatch.setattr(services, "PROGRESS_INTERVAL_SECONDS", 0)
    reports = []
    dataset = DATASETS[key]
    rows = services.write_dataset(
        io.BytesIO(), dataset, format, user=national_staff, delegation_id=None, progress=reports.append
    )
    assert rows > 1
    copied = format == "csv" and dataset.queryset is not None and connection.vendor == "postgresql"
    # PostgreSQL writes a COPY in one statement: nothing to tell until it is done (« En cours » alone).
    assert reports == ([] if copied else list(range(1, rows + 1)))


def test_progress_of_a_claim_taken_over_is_not_recorded(delegation_staff, monkeypatch):
    monkeypatch.setattr(services, "PROGRESS_CHUNK_ROWS", 1)
    monkeypatch.setattr(services, "PROGRESS_INTERVAL_SECONDS", 0)
    started = timezone.now()
    export = _export(delegation_staff, ExportStatus.RUNNING, started_at=started)
    # Another worker took the export over a minute later: the first one's counts must not land on it.
    ExportRequest.objects.filter(pk=export.pk).update(started_at=started + datetime.timedelta(minutes=1))
    export.requested_by = delegation_staff
    assert services._write(export, io.BytesIO()) == 6
    export.refresh_from_db()
    assert export.row_count is None


def test_a_claim_taken_over_starts_counting_again(delegation_staff, settings, django_capture_on_commit_callbacks):
    settings.STATS_EXPORT_CLAIM_TIMEOUT_SECONDS = 60
    export = _export(
        delegation_staff, ExportStatus.RUNNING, started_at=timezone.now() - datetime.timedelta(minutes=5), row_count=4
    )
    seen = []
    write = services._write

    def observed(export_, out):
        seen.append(ExportRequest.objects.values_list("row_count", flat=True).get(pk=export.pk))
        return write(export_, out)

    with django_capture_on_commit_callbacks(execute=False), mock.patch.object(services, "_write", observed):
        assert services.export_generate(export_id=export.pk) is True
    assert seen == [None]


# --- After « Demander l'export » ------------------------------------------------------------------


def test_requesting_an_export_lands_on_the_list_with_it_at_the_top(
    django_app, delegation_staff, django_capture_on_commit_callbacks
):
    _export(delegation_staff, ExportStatus.DONE, dataset="studies_by_status")
    page = django_app.get(reverse("stats:export_list"), user=delegation_staff)
    form = page.forms["export-request"]
    form["dataset"] = "trainees_by_category"
    form["format"] = "xlsx"
    # The task is only queued (no worker runs it here): the export stays pending.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = form.submit()
    assert len(callbacks) == 1
    assert response.location == reverse("stats:export_list")
    page = response.follow()
    new = ExportRequest.objects.get(dataset="trainees_by_category")
    assert [m.get_text(" ", strip=True) for m in page.html.select(".messages .alert")] == [
        f"Export demandé{NBSP}: il figure en tête de la liste, qui suit son avancement{NBSP}; "
        "un e-mail vous enverra aussi le lien de téléchargement dès qu'il sera prêt."
    ]
    region = _table(page)
    assert region.select_one("tbody tr")["id"] == f"export-{new.pk}"
    assert _row_texts(region)[0][1:] == ["Stagiaires par catégorie", "Excel (XLSX)", "En attente", "–", "–"]
    assert region["hx-trigger"] == "every 2s"
