"""Deployment checks of the platform seal: ``manage.py check --deploy`` fails when contracts could not be sealed."""

import datetime
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def seal_certificate_check(app_configs=None, **kwargs) -> list[Error]:
    """The settings already refuse to start without the files; here they must also load and match."""
    if settings.DEBUG:
        return []
    # Loaded only when the deployment check runs, not by every process at start.
    from cryptography import x509  # noqa: PLC0415 — heavy, used by the deploy check only
    from cryptography.hazmat.primitives import serialization  # noqa: PLC0415 — idem

    def error(message: str, number: int) -> Error:
        return Error(message, id=f"agreements.E{number:03d}")

    try:
        certificate = x509.load_pem_x509_certificate(Path(settings.SIGNING_CERT_FILE).read_bytes())
    except (OSError, TypeError, ValueError) as exc:
        return [error(f"SIGNING_CERT_FILE is not a readable PEM certificate: {exc}", 1)]
    passphrase = settings.SIGNING_KEY_PASSPHRASE.encode() if settings.SIGNING_KEY_PASSPHRASE else None
    try:
        key = serialization.load_pem_private_key(Path(settings.SIGNING_KEY_FILE).read_bytes(), password=passphrase)
    except (OSError, TypeError, ValueError) as exc:
        return [error(f"SIGNING_KEY_FILE is not a readable PEM private key (or the passphrase is wrong): {exc}", 2)]
    spki = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    if key.public_key().public_bytes(*spki) != certificate.public_key().public_bytes(*spki):
        return [error("SIGNING_KEY_FILE is not the private key of SIGNING_CERT_FILE.", 3)]
    if certificate.not_valid_after_utc <= datetime.datetime.now(datetime.UTC):
        return [error(f"The seal certificate expired on {certificate.not_valid_after_utc:%Y-%m-%d}.", 4)]
    return _timestamping_errors(error)


def _timestamping_errors(error) -> list[Error]:
    """The seal's trusted time (PAdES-B-T and the document timestamps of B-LTA) needs an RFC 3161 TSA."""
    url = urlsplit(settings.SIGNING_TSA_URL or "")
    if url.scheme not in ("http", "https") or not url.netloc:
        return [error("SIGNING_TSA_URL must be the http(s) address of an RFC 3161 timestamping authority.", 5)]
    if bool(settings.SIGNING_TSA_USERNAME) != bool(settings.SIGNING_TSA_PASSWORD):
        return [error("SIGNING_TSA_USERNAME and SIGNING_TSA_PASSWORD go together: set both or neither.", 6)]
    return []
