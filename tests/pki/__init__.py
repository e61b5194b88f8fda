"""The test PKI of the seal: a root, the seal certificate, two timestamping authorities, an OCSP responder
and a CRL, served over real HTTP by certomancer's animator (``certomancer.yml`` beside this file).

Used by the tests (``tests/conftest.py``: the session-scoped ``test_pki`` fixture), by
``scripts/runtime_smoke.py`` (production settings need a TSA) and by ``scripts/bench_sealing.py``.
Certomancer is a development dependency: the application never imports this package; it only talks to
the animator over HTTP, as it talks to a real TSA in production.

    with pki.running(directory) as test_pki:
        test_pki.tsa_url            # http://127.0.0.1:<port>/partnership/tsa/tsa
        test_pki.seal_settings()    # SIGNING_* settings that seal with it
"""

import contextlib
import datetime
import socket
import string
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "certomancer.yml"
ARCH = "partnership"
KEYS = ("root", "seal", "tsa", "tsa-next", "ocsp")

# Validity of each certificate, counted from the run's day (see certomancer.yml).
ROOT_VALIDITY = datetime.timedelta(days=40 * 365)
SEAL_VALIDITY = datetime.timedelta(days=2 * 365)
TSA_VALIDITY = datetime.timedelta(days=5 * 365)
TSA_NEXT_VALIDITY = datetime.timedelta(days=20 * 365)
REVOKED_AFTER = datetime.timedelta(days=1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _write_key(path: Path) -> None:
    from cryptography.hazmat.primitives import serialization  # noqa: PLC0415 — heavy, only when a PKI is made
    from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: PLC0415 — idem

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )


def _iso(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+0000")


@dataclass(frozen=True)
class TestPKI:
    directory: Path
    url: str
    now: datetime.datetime  # the moment the dates were counted from

    def tsa(self, label: str = "tsa") -> str:
        return f"{self.url}/{ARCH}/tsa/{label}"

    @property
    def tsa_url(self) -> str:
        return self.tsa("tsa")

    def cert_path(self, label: str) -> Path:
        return self.directory / "certs" / f"{label}.cert.pem"

    @property
    def root(self) -> Path:
        return self.cert_path("root")

    @property
    def seal_key(self) -> Path:
        return self.directory / "keys" / "seal.key.pem"

    @property
    def seal_expires_at(self) -> datetime.datetime:
        return self.now + SEAL_VALIDITY

    @property
    def tsa_expires_at(self) -> datetime.datetime:
        return self.now + TSA_VALIDITY

    @property
    def revoked_since(self) -> datetime.datetime:
        return self.now + REVOKED_AFTER

    def seal_settings(self, *, cert: str = "seal", tsa: str = "tsa") -> dict:
        """The settings that make the platform seal with this PKI (B-LTA: TSA, OCSP and CRL over HTTP)."""
        return {
            "SIGNING_CERT_FILE": str(self.cert_path(cert)),
            "SIGNING_KEY_FILE": str(self.seal_key),
            "SIGNING_KEY_PASSPHRASE": "",
            "SIGNING_CHAIN_FILE": str(self.root),
            "SIGNING_TRUST_ROOTS_FILE": str(self.root),
            "SIGNING_TSA_URL": self.tsa(tsa),
            "SIGNING_TSA_USERNAME": "",
            "SIGNING_TSA_PASSWORD": "",
        }


def render(directory: Path, *, port: int, now: datetime.datetime | None = None) -> TestPKI:
    """Write fresh keys, the dated configuration and every certificate (PEM) under ``directory``."""
    import yaml  # noqa: PLC0415 — a development dependency (certomancer's)
    from asn1crypto import pem  # noqa: PLC0415 — heavy
    from certomancer.registry import ArchLabel, CertLabel, CertomancerConfig  # noqa: PLC0415 — dev dependency

    now = (now or datetime.datetime.now(datetime.UTC)).replace(microsecond=0)
    (directory / "keys").mkdir(parents=True, exist_ok=True)
    (directory / "certs").mkdir(exist_ok=True)
    for label in KEYS:
        _write_key(directory / "keys" / f"{label}.key.pem")
    url = f"http://127.0.0.1:{port}"
    text = string.Template(TEMPLATE.read_text()).substitute(
        URL=url,
        ROOT_FROM=_iso(now - datetime.timedelta(days=365)),
        ROOT_TO=_iso(now + ROOT_VALIDITY),
        SEAL_FROM=_iso(now - datetime.timedelta(days=30)),
        SEAL_TO=_iso(now + SEAL_VALIDITY),
        TSA_TO=_iso(now + TSA_VALIDITY),
        TSA_NEXT_TO=_iso(now + TSA_NEXT_VALIDITY),
        REVOKED_SINCE=_iso(now + REVOKED_AFTER),
    )
    config_path = directory / "certomancer.yml"
    config_path.write_text(text)
    config = CertomancerConfig(yaml.safe_load(text), key_search_dir=str(directory))
    arch = config.get_pki_arch(ArchLabel(ARCH))
    for label in ("root", "seal", "seal-revoked", "tsa", "tsa-next", "ocsp"):
        certificate = arch.get_cert(CertLabel(label))
        (directory / "certs" / f"{label}.cert.pem").write_bytes(pem.armor("CERTIFICATE", certificate.dump()))
    return TestPKI(directory=directory, url=url, now=now)


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@contextlib.contextmanager
def running(directory: Path, *, now: datetime.datetime | None = None):
    """Render the PKI under ``directory`` and serve it (certomancer's animator) until the block ends."""
    port = free_port()
    test_pki = render(directory, port=port, now=now)
    log = (directory / "animator.log").open("wb")
    command = ["certomancer", "--config", str(directory / "certomancer.yml"), "animate", "--port", str(port)]
    process = subprocess.Popen(
        [sys.executable, "-m", *command, "--no-web-ui"],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=directory,
    )
    try:
        deadline = time.monotonic() + 30
        while not _listening(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"certomancer's animator did not start: {(directory / 'animator.log').read_text()}")
            time.sleep(0.05)
        yield test_pki
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def fetcher_at(moment: datetime.datetime):
    """A pyHanko fetcher backend whose OCSP and CRL requests ask the animator to answer as of ``moment``
    (certomancer's time override): a verification « in ten years » sees the PKI as it will be then."""
    import aiohttp  # noqa: PLC0415 — heavy
    from certomancer.integrations._animator_shared import FAKE_TIME_HEADER  # noqa: PLC0415 — dev dependency
    from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend  # noqa: PLC0415 — heavy
    from pyhanko_certvalidator.fetchers.aiohttp_fetchers.util import LazySession  # noqa: PLC0415 — heavy

    class SessionAt(LazySession):
        def get_session(self):
            if self._session is None:
                self._session = aiohttp.ClientSession(headers={FAKE_TIME_HEADER: moment.isoformat()})
            return self._session

    return AIOHttpFetcherBackend(session=SessionAt())
