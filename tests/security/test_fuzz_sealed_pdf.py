"""Mutation fuzzing of a sealed PDF on the public /verification/ page: every region of the file is altered
(header, objects, cross-reference stream, signature dictionary, /Contents, trailer) and the page always
gives a verdict, never a server error nor "Document authentique"."""

import re

import pytest
import weasyprint
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from webtest import Upload

from agreements.signing.sealing import seal_pdf

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

VERDICTS = ("Document altéré", "Document illisible ou altéré", "Document inconnu")

MUTATIONS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HEX = b"0123456789abcdef"


def _object_span(pdf: bytes, inside: int) -> tuple[int, int]:
    """The ``N 0 obj … endobj`` around the offset ``inside``."""
    keyword = pdf.rfind(b" obj", 0, inside)
    start = pdf.rfind(b"\n", 0, keyword) + 1
    return start, pdf.index(b"endobj", inside) + len(b"endobj")


def regions(pdf: bytes) -> dict[str, list[tuple[int, int]]]:
    """Byte spans of each part of a sealed PDF (an original file plus pyHanko's incremental update)."""
    first_object = re.search(rb"\n\d+ 0 obj", pdf).start() + 1
    xref_streams = [match.start() for match in re.finditer(rb"/Type\s*/XRef", pdf)]
    first_xref = _object_span(pdf, xref_streams[0])
    last_xref = _object_span(pdf, xref_streams[-1])
    stream_data = pdf.index(b"stream", xref_streams[-1]) + len(b"stream\n")
    contents = re.search(rb"/Contents\s*<([0-9a-fA-F]+)>", pdf)
    signature_object = _object_span(pdf, contents.start())
    return {
        "header": [(0, first_object)],
        "objects": [(first_object, first_xref[0])],
        "xref": [(stream_data, pdf.index(b"endstream", stream_data))],
        "signature-dictionary": [(signature_object[0], contents.start(1)), (contents.end(1), signature_object[1])],
        "contents": [(contents.start(1), contents.end(1))],
        "trailer": [(last_xref[0], stream_data), (pdf.rindex(b"startxref"), len(pdf))],
    }


def mutate(pdf: bytes, offset: int, operation: str, payload: bytes, length: int) -> bytes:
    if operation == "flip":
        return pdf[:offset] + bytes([pdf[offset] ^ (1 << (length % 8))]) + pdf[offset + 1 :]
    if operation == "hex-digit":  # the same structure, another value: what breaks a signature silently
        current = pdf[offset : offset + 1].lower()
        if current and current in HEX:
            replacement = bytes([HEX[(HEX.index(current) + 1 + length % 15) % 16]])
        else:
            replacement = payload[:1]
        return pdf[:offset] + replacement + pdf[offset + 1 :]
    if operation == "delete":
        return pdf[:offset] + pdf[offset + length :]
    if operation == "insert":
        return pdf[:offset] + payload + pdf[offset:]
    if operation == "overwrite":
        return pdf[:offset] + payload + pdf[offset + len(payload) :]
    if operation == "duplicate":
        return pdf[: offset + length] + pdf[offset : offset + length] + pdf[offset + length :]
    return pdf[:offset]  # truncate


@pytest.fixture
def sealed_pdf():
    document = weasyprint.HTML(string="<h1>Contrat de partenariat</h1><p>Article 1er : objet.</p>").write_pdf()
    return seal_pdf(document, reason="Contrat signé")


def test_regions_are_found_in_a_sealed_pdf(sealed_pdf):
    found = regions(sealed_pdf)
    assert sorted(found) == sorted(["header", "objects", "xref", "signature-dictionary", "contents", "trailer"])
    assert sealed_pdf[found["header"][0][0] : found["header"][0][1]].startswith(b"%PDF-")
    assert all(end > start for spans in found.values() for start, end in spans)
    start, end = found["contents"][0]
    assert re.fullmatch(rb"[0-9a-fA-F]+", sealed_pdf[start:end])


def _verify(django_app, content: bytes):
    cache.clear()  # the page limits checks per address; the fuzzer is one address
    form = django_app.get("/verification/").forms[0]
    form["file"] = Upload("contrat.pdf", content, "application/pdf")
    return form.submit(expect_errors=True)


def _verdict(response) -> str:
    return re.search(r'<h2 id="resultat" class="h4">([^<]+)</h2>', response.text).group(1)


def test_the_sealed_file_itself_gets_a_verdict(django_app, sealed_pdf):
    response = _verify(django_app, sealed_pdf)
    assert response.status_code == 200
    assert _verdict(response) == "Document altéré"  # sealed here, but no contract's registered signed copy


@pytest.mark.parametrize("region", ["header", "objects", "xref", "signature-dictionary", "contents", "trailer"])
def test_altered_region_always_gets_a_verdict(django_app, sealed_pdf, region):
    spans = regions(sealed_pdf)[region]

    @MUTATIONS
    @given(
        span=st.sampled_from(spans),
        position=st.floats(min_value=0, max_value=1, exclude_max=True),
        operation=st.sampled_from(["flip", "hex-digit", "delete", "insert", "overwrite", "duplicate", "truncate"]),
        payload=st.binary(min_size=1, max_size=32),
        length=st.integers(min_value=1, max_value=64),
    )
    def check(span, position, operation, payload, length):
        start, end = span
        offset = start + int(position * (end - start))
        altered = mutate(sealed_pdf, offset, operation, payload, length)
        if altered == sealed_pdf:
            return
        response = _verify(django_app, altered)
        if not altered:
            assert response.status_code == 400
            return
        assert response.status_code == 200, (region, operation, offset)
        assert _verdict(response) in VERDICTS, (region, operation, offset)

    check()
