"""Write a throwaway self-signed seal certificate and key (PEM) for a production-like test run.

    python scripts/seal_certificate.py DIRECTORY     # prints the two paths: key, then certificate

Production refuses to start without SIGNING_CERT_FILE and SIGNING_KEY_FILE; the production-settings
tests (tests/partnership/test_settings.py) make their certificate with this script (the same one the
development server makes under var/signing/). The load benchmark and the runtime-only CI job, which seal
contracts, use the test PKI instead (tests/pki: a seal certificate with its chain, a TSA, OCSP and CRL).
Never use either for real contracts.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def make(directory: Path) -> tuple[Path, Path]:
    from agreements.signing.sealing import _create_development_certificate

    key_path, cert_path = directory / "seal.key.pem", directory / "seal.cert.pem"
    if not (key_path.exists() and cert_path.exists()):
        _create_development_certificate(key_path, cert_path)
    return key_path, cert_path


if __name__ == "__main__":
    for path in make(Path(sys.argv[1])):
        print(path)
