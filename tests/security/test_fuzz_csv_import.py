"""Property tests of the one CSV reader (``partnership.csvimport``) and of an import through it.

Whatever the bytes: never an exception but a French ``ValidationError``, and never a half-write
(every line imported, or none). Arbitrary bytes, and files that look like CSV but carry what breaks
readers: control characters, quotes, separators, BOMs, encodings, overlong cells.
"""

import codecs

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from partnership.csvimport import CONTROL_CHARACTERS, read_csv
from partnership.imports import import_file
from partnership.models import ActionLogEntry
from tests.trainings.factories import (
    ContractFactory,
    ContractPartyFactory,
    ProgrammeLineFactory,
    SessionFactory,
    TrainingActionFactory,
)
from trainings import imports as training_imports
from trainings.enums import ActionMode
from trainings.models import Registration

pytestmark = pytest.mark.fuzz

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
DB_FUZZ = settings(FUZZ, max_examples=40)

HEADER = ["prenom", "nom", "email", "categorie", "emploi"]
cell = st.one_of(
    st.sampled_from(["Camille", "Inès", "C", "cat. a", "D", "", " ", "a@b.fr", "=1+1", '"', '""', ";", ",", "\t"]),
    st.text(max_size=12),
    st.text(alphabet="\x00\x01\x07\x1b\x7f\x85\u2028\r\n\"';,\té", max_size=6),
    st.text(alphabet="x", min_size=140, max_size=260),
    st.just("y" * 140_000),
)
row = st.lists(cell, min_size=0, max_size=7)


@st.composite
def csv_like(draw) -> bytes:
    delimiter = draw(st.sampled_from([";", ",", "\t", "|"]))
    header = draw(st.one_of(st.just(HEADER), st.permutations(HEADER), st.lists(st.sampled_from(HEADER), max_size=6)))
    lines = [header, *draw(st.lists(row, max_size=6))]
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = ending.join(delimiter.join(cells) for cells in lines) + draw(st.sampled_from(["", ending]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]))
    content = text.encode(encoding, errors="replace")
    if draw(st.booleans()):
        content = draw(st.sampled_from([b"", codecs.BOM_UTF8, b"\xff\xfe", b"PK\x03\x04"])) + content
    return content


files = st.one_of(st.binary(max_size=400), csv_like())


def _read(content):
    try:
        return read_csv(content, training_imports.registration_format(None))
    except ValidationError as refused:
        assert refused.messages and all(isinstance(m, str) and m for m in refused.messages)
        return None


@FUZZ
@given(content=files)
def test_the_reader_answers_any_bytes_with_lines_or_a_french_refusal(content):
    table = _read(content)
    if table is None:
        return
    numbers = [line.number for line in table.lines]
    assert numbers == sorted(set(numbers)) and all(number >= 2 for number in numbers)
    assert set(table.errors) <= set(numbers)
    for line in table.accepted:
        assert line.number not in table.errors
        for column in training_imports.registration_format(None).columns:
            value = line.values[column.key]
            assert CONTROL_CHARACTERS.search(value) is None
            assert len(value) <= column.max_length


@pytest.fixture
def session(delegation, commune):
    contract = ContractFactory(delegation=delegation)
    ContractPartyFactory(contract=contract, collectivity=commune)
    action = TrainingActionFactory(
        delegation=delegation, programme_line=ProgrammeLineFactory(contract=contract), mode=ActionMode.INTRA
    )
    return SessionFactory(action=action, venue=commune, capacity=3)


VALID = b"prenom;nom;email;categorie;emploi\nCamille;Durand;camille.fuzz@mairie.example.fr;C;\n"


@pytest.mark.django_db
@DB_FUZZ
@given(content=files)
@example(content=VALID)  # the other branch, every run: a file imported whole
def test_an_import_writes_every_line_or_none_whatever_the_file(content, hr_contact, session):
    before = (Registration.objects.count(), ActionLogEntry.objects.count())
    try:
        outcome = import_file(actor=hr_contact, kind=training_imports.REGISTRATIONS, target=session, content=content)
    except ValidationError as refused:
        assert refused.messages and all(isinstance(m, str) and m for m in refused.messages)
        assert (Registration.objects.count(), ActionLogEntry.objects.count()) == before
        return
    lines = len(read_csv(content, training_imports.registration_format(hr_contact)).lines)
    assert not outcome.queued
    assert Registration.objects.count() == before[0] + lines
    assert ActionLogEntry.objects.count() == before[1] + lines
