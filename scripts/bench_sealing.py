"""How long the seal takes, with and without the round trips to the TSA and the OCSP responder.

    .venv/bin/python scripts/bench_sealing.py [--rounds 15]

Seals the same archival PDF (PDF/A-3 of about ten pages with two attached files, like a final contract)
in three ways, interleaved round after round so that the machine's drift weighs on each alike:

- B-B: the seal alone, no network (development without a TSA);
- B-T: plus the signature timestamp (one round trip to the TSA);
- B-LTA: what production does: the signature timestamp, the OCSP and CRL requests for the validation data,
  then the document timestamp (TSA again).

The TSA, OCSP responder and CRL are the test PKI's (certomancer's animator on loopback, ``tests/pki``): the
figures measure the platform's own work plus loopback HTTP, not a real authority's latency, which comes on
top in production. Prints the median and 90th percentile of each way and their ratios to B-B.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnership.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from agreements.signing import sealing  # noqa: E402
from agreements.signing.report import seal_structure  # noqa: E402
from partnership.pdf import EmbeddedFile  # noqa: E402
from tests import pki  # noqa: E402


def document() -> bytes:
    from weasyprint import HTML, Attachment

    paragraphs = "".join(
        f"<h2>Article {n}</h2><p>{'Le CNFPT et la collectivité conviennent des actions de formation. ' * 40}</p>"
        for n in range(1, 31)
    )
    html = f"<html lang='fr'><head><title>Contrat de banc d'essai</title></head><body>{paragraphs}</body></html>"
    files = [
        EmbeddedFile("document-signe.pdf", HTML(string=html).write_pdf(), "Le document signé", "Source"),
        EmbeddedFile("piste-audit.json", b'{"events": []}' * 200, "La piste d'audit", "Supplement"),
    ]
    return HTML(string=html).write_pdf(
        pdf_variant="pdf/a-3u",
        pdf_tags=True,
        attachments=[Attachment(string=f.content, name=f.name, relationship=f.relationship) for f in files],
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    options = parser.parse_args()
    pdf = document()
    with pki.running(Path(tempfile.mkdtemp(prefix="bench-sealing-pki-"))) as test_pki:
        for name, value in test_pki.seal_settings().items():
            setattr(settings, name, value)
        tsa_url = settings.SIGNING_TSA_URL

        def seal_b_b():
            settings.SIGNING_TSA_URL = ""
            return sealing.seal_pdf(pdf, reason="banc d'essai")

        def seal_b_t():
            # The signature timestamp alone: pyHanko's signer with a timestamper, no validation data.
            from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
            from pyhanko.sign import fields, signers

            settings.SIGNING_TSA_URL = tsa_url
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
            meta = signers.PdfSignatureMetadata(
                field_name=sealing.SEAL_FIELD_NAME,
                subfilter=fields.SigSeedSubFilter.PADES,
                certify=True,
                docmdp_permissions=fields.MDPPerm.NO_CHANGES,
            )
            signer = signers.PdfSigner(meta, signer=sealing.platform_signer(), timestamper=sealing.timestamper())
            return signer.sign_pdf(writer).getvalue()

        def seal_b_lta():
            settings.SIGNING_TSA_URL = tsa_url
            return sealing.seal_pdf(pdf, reason="banc d'essai")

        ways = {"B-B": seal_b_b, "B-T": seal_b_t, "B-LTA": seal_b_lta}
        expected = {"B-B": "PAdES-B-B", "B-T": "PAdES-B-T", "B-LTA": "PAdES-B-LTA"}
        for name, seal in ways.items():  # warm-up (imports, caches), and a check of what each way makes
            level = seal_structure(seal()).level
            assert level == expected[name], (name, level)
        timings = {name: [] for name in ways}
        order = list(ways)
        for round_number in range(options.rounds):
            for name in order[round_number % 3 :] + order[: round_number % 3]:
                started = time.perf_counter()
                ways[name]()
                timings[name].append(time.perf_counter() - started)

    base = statistics.median(timings["B-B"])
    print(f"PDF de {len(pdf) / 1024:.0f} Ko, {options.rounds} tours entrelacés ; TSA, OCSP et CRL sur la boucle locale")
    print(f"{'scellement':<10} {'médiane ms':>11} {'p90 ms':>8} {'× B-B':>7}")
    for name, values in timings.items():
        p90 = statistics.quantiles(values, n=10)[-1] if len(values) > 1 else values[0]
        median = statistics.median(values)
        print(f"{name:<10} {median * 1000:>11.0f} {p90 * 1000:>8.0f} {median / base:>7.2f}")


if __name__ == "__main__":
    main()
