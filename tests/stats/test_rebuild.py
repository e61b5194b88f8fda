"""The bulk path (``generate_dataset``: triggers off, then one rebuild) and ``manage.py rebuild_statistics``,
which recomputes every rollup from the raw rows and says what it corrected (PostgreSQL and SQLite)."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection

from stats import indicators, naive
from stats.checks import installed_differences
from stats.models import InterventionTally, TrainingTally
from tests.stats.test_rollup_exact import INDICATORS, _rollup_rows
from tests.trainings.factories import ThemeFactory
from tests.trainings.test_attendance_due import _naive_due, _stored
from trainings.models import Session

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(delegation, commune, settings):
    settings.DEBUG = True  # the command refuses to run in production
    ThemeFactory()
    out = io.StringIO()
    call_command(
        "generate_dataset", contracts=12, sessions=60, registrations=600, events=2, speakers=4, seed=7, stdout=out
    )
    return out.getvalue()


def _summary_lines(output: str) -> list[str]:
    """The command's summary, without its timings."""
    return [re.sub(r"\d+\.\d s", "… s", line) for line in output.splitlines() if line.startswith(("- ", "Aucun", "4 "))]


def test_generate_dataset_loads_in_bulk_then_rebuilds_everything_once(dataset, delegation):
    assert "Lignes écrites en" in dataset
    assert Session.objects.count() == 60
    for name in INDICATORS:
        assert getattr(indicators, name)(delegation_id=None) == getattr(naive, name)(delegation_id=None), name
    assert _stored() == _naive_due()
    # The triggers are back on, as the code defines them.
    assert installed_differences() == []
    out = io.StringIO()
    call_command("rebuild_statistics", stdout=out)
    assert "Aucun écart : les cumuls étaient exacts." in out.getvalue()


def test_rebuild_statistics_recomputes_the_rollups_and_says_what_it_corrected(dataset):
    rows = _rollup_rows()
    tallies, interventions = TrainingTally.objects.count(), InterventionTally.objects.count()
    summaries = len(rows[1])
    # Figures gone astray: a tally row (its trigger moves the summary along), an intervention row lost, a
    # session's attendance date wrong.
    tally = TrainingTally.objects.order_by("pk").first()
    TrainingTally.objects.filter(pk=tally.pk).update(trainees=tally.trainees + 5)
    InterventionTally.objects.order_by("pk").first().delete()
    session = Session.objects.order_by("pk").first()
    Session.objects.filter(pk=session.pk).update(attendance_due_on=datetime.date(2001, 1, 1))

    out = io.StringIO()
    call_command("rebuild_statistics", stdout=out)

    output = out.getvalue()
    if connection.vendor == "postgresql":
        assert output.startswith("Statistiques du planificateur (ANALYZE")
    assert _summary_lines(output) == [
        f"- cumul de formation (par action et catégorie) : {tallies} → {tallies} lignes, 1 corrigé(s)",
        f"- synthèse de formation (par délégation, contrat, thèmes, dispositif et catégorie) : {summaries} → {summaries} lignes, 1 corrigé(s)",
        f"- interventions des formateurs (par délégation et lieu) : {interventions - 1} → {interventions} lignes, 1 corrigé(s)",
        "- sessions : émargement dû depuis le : 1 corrigé(s)",
        "4 chiffre(s) corrigé(s) : les cumuls s'étaient écartés des lignes brutes (vérifiez `manage.py rollup_triggers`).",
    ]
    assert _rollup_rows() == rows
    assert _stored() == _naive_due()
    # The tally's own triggers, paused while it was refilled, are back.
    assert installed_differences() == []

    again = io.StringIO()
    call_command("rebuild_statistics", stdout=again)
    assert _summary_lines(again.getvalue())[-1] == "Aucun écart : les cumuls étaient exacts."
