"""Every person of the demo is fictional, and says so: no current mayor or president of the demo's communes
and EPCI appears anywhere the demo writes (database, e-mails) nor in the source tree.

``ELECTED`` lists, from the Répertoire national des élus (data.gouv.fr, « maires » and « conseillers
communautaires »), the mayors of the communes the demo uses (Saint-Étienne 42218, Villeurbanne 69266,
Firminy 42095, Montbrison 42147, Rennes 35238, Roanne 42187, Saint-Chamond 42207, Annonay 07010,
Tournon-sur-Rhône 07324, Andrézieux-Bouthéon 42005) and the presidents of their EPCI, in office during the
2020–2026 term, with the names an earlier demo borrowed. Refresh it from the directory after each election,
and when the demo takes a new commune.
"""

import io
import subprocess
import unicodedata
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import models
from django.test import Client

from partnership.demo import FICTIONAL_PEOPLE

ELECTED = [
    # Mayors
    "Gaël Perdriau",  # Saint-Étienne, 2014–2025
    "Jean-Pierre Berger",  # Saint-Étienne, 2025–2026; Saint-Étienne Métropole
    "Cédric Van Styvendael",  # Villeurbanne
    "Julien Luya",  # Firminy
    "Christophe Bazile",  # Montbrison
    "Nathalie Appéré",  # Rennes; Rennes Métropole
    "Yves Nicolin",  # Roanne; Roannais Agglomération
    "Hervé Reynaud",  # Saint-Chamond
    "Simon Plénet",  # Annonay; Annonay Rhône Agglo
    "Frédéric Sausset",  # Tournon-sur-Rhône
    "Jacques Dubay",
    "Frank Guillot",  # Andrézieux-Bouthéon
    # Presidents of EPCI
    "Bruno Bernard",  # Métropole de Lyon (Villeurbanne)
]


def _folded(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def _found(texts) -> list[str]:
    names = {name: _folded(name) for name in ELECTED}
    # Also « Perdriau Gaël », as a list sorted by surname writes it.
    names.update({f"{n} (inversé)": " ".join(reversed(f.split(" ", 1))) for n, f in list(names.items())})
    found = set()
    for text in texts:
        folded = _folded(text)
        found.update(name for name, needle in names.items() if needle in folded)
    return sorted(found)


def _database_texts():
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if fields:
            for row in model.objects.values_list(*fields):
                yield from (str(value) for value in row if value)


def test_the_found_check_finds_a_real_name_written_any_way():
    assert _found(["Signé par GAEL  PERDRIAU, maire", "Styvendael, Cédric Van", "Appéré Nathalie"]) == [
        "Gaël Perdriau",
        "Nathalie Appéré (inversé)",
    ]


@pytest.mark.django_db
def test_demo_names_no_real_elected_official_and_says_its_people_are_fictional(
    settings, django_capture_on_commit_callbacks
):
    settings.DEBUG = True  # seed_demo refuses to run in production
    settings.SHOW_DEMO_ACCOUNTS = True
    call_command("import_territories", verbosity=0)
    output = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=output)

    emails = [
        part
        for message in mail.outbox
        for part in [
            message.subject,
            message.body,
            *message.to,
            *(body for body, _ in getattr(message, "alternatives", [])),
        ]
    ]
    assert len(mail.outbox) > 0  # the demo sends signature links: the e-mails are looked at
    assert _found([*_database_texts(), *emails, output.getvalue()]) == []
    assert FICTIONAL_PEOPLE in output.getvalue()
    login = Client().get("/connexion/").content.decode()
    assert FICTIONAL_PEOPLE in login


def test_no_real_elected_official_in_the_source_tree():
    tracked = subprocess.run(
        ["git", "ls-files", "*.py", "*.html", "*.txt", "*.md", "*.json", "*.csv"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    this_file = Path(__file__).resolve()
    texts = [
        (Path(settings.BASE_DIR) / name).read_text(encoding="utf-8", errors="replace")
        for name in tracked
        if (Path(settings.BASE_DIR) / name).resolve() != this_file
    ]
    assert len(texts) > 100
    assert _found(texts) == []
