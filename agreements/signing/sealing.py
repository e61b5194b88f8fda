"""The platform's seal: a PAdES signature (pyHanko) over the final contract PDF, and its verification.

Development: a self-signed certificate is made on first use under ``SIGNING_DIR``. Production:
``SIGNING_CERT_FILE`` and ``SIGNING_KEY_FILE`` (PEM; ``SIGNING_KEY_PASSPHRASE`` if encrypted) are
required; without them sealing refuses to run rather than sealing with a throwaway key.

pyHanko and cryptography take seconds to import: they are imported inside the functions that seal or
verify, so that a process that neither seals nor verifies does not pay for them.
"""

import datetime
import enum
import io
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SEAL_FIELD_NAME = "CachetPlateformePartenariat"


def _development_bundle_paths() -> tuple[Path, Path]:
    directory = Path(settings.SIGNING_DIR)
    return directory / "plateforme-dev.key.pem", directory / "plateforme-dev.cert.pem"


def _create_development_certificate(key_path: Path, cert_path: Path) -> None:
    """Make a self-signed RSA certificate; the first process to link its files wins, others reuse them."""
    from cryptography import x509  # noqa: PLC0415 — heavy, see above
    from cryptography.hazmat.primitives import hashes, serialization  # noqa: PLC0415 — heavy, see above
    from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: PLC0415 — heavy, see above
    from cryptography.x509.oid import NameOID  # noqa: PLC0415 — heavy, see above

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Partenariat CNFPT-AMF"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Cachet de la plateforme (développement)"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    cert_pem = certificate.public_bytes(serialization.Encoding.PEM)
    key_path.parent.mkdir(parents=True, exist_ok=True)
    for path, content in ((key_path, key_pem), (cert_path, cert_pem)):
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
            handle.write(content)
        os.chmod(handle.name, 0o600)
        try:
            os.link(handle.name, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(handle.name)


def certificate_paths() -> tuple[Path, Path]:
    """(key, certificate) files of the platform seal."""
    if settings.SIGNING_CERT_FILE and settings.SIGNING_KEY_FILE:
        return Path(settings.SIGNING_KEY_FILE), Path(settings.SIGNING_CERT_FILE)
    if not settings.DEBUG and not settings.SIGNING_ALLOW_DEVELOPMENT_CERTIFICATE:
        raise ImproperlyConfigured(
            "SIGNING_CERT_FILE and SIGNING_KEY_FILE are required to seal contracts in production."
        )
    key_path, cert_path = _development_bundle_paths()
    if not (key_path.exists() and cert_path.exists()):
        _create_development_certificate(key_path, cert_path)
    return key_path, cert_path


@lru_cache(maxsize=4)
def _load_signer(key_path: str, cert_path: str, passphrase: str | None, chain_path: str | None):
    from pyhanko.sign import signers  # noqa: PLC0415 — heavy, see above

    return signers.SimpleSigner.load(
        key_path,
        cert_path,
        ca_chain_files=(chain_path,) if chain_path else None,
        key_passphrase=passphrase.encode() if passphrase else None,
    )


def platform_signer():
    key_path, cert_path = certificate_paths()
    return _load_signer(
        str(key_path), str(cert_path), settings.SIGNING_KEY_PASSPHRASE, settings.SIGNING_CHAIN_FILE or None
    )


def platform_certificate_pem() -> bytes:
    return certificate_paths()[1].read_bytes()


def _certificates_in(path: str | Path) -> list:
    from pyhanko.keys import load_certs_from_pemder  # noqa: PLC0415 — heavy, see above

    return list(load_certs_from_pemder([str(path)]))


def _platform_certificate():
    return _certificates_in(certificate_paths()[1])[0]


def trust_roots() -> list:
    """The certificates a verification starts from: ``SIGNING_TRUST_ROOTS_FILE``; without it the self-signed
    certificates of ``SIGNING_CHAIN_FILE``; without either, the seal certificate itself (development)."""
    if settings.SIGNING_TRUST_ROOTS_FILE:
        return _certificates_in(settings.SIGNING_TRUST_ROOTS_FILE)
    if settings.SIGNING_CHAIN_FILE:
        roots = [cert for cert in _certificates_in(settings.SIGNING_CHAIN_FILE) if cert.self_signed]
        if roots:
            return roots
    return [_platform_certificate()]


def timestamper():
    """The RFC 3161 client of ``SIGNING_TSA_URL``; ``None`` without one (development only: production
    refuses to start without it)."""
    from pyhanko.sign.timestamps import HTTPTimeStamper  # noqa: PLC0415 — heavy, see above

    if not settings.SIGNING_TSA_URL:
        return None
    auth = None
    if settings.SIGNING_TSA_USERNAME:
        auth = (settings.SIGNING_TSA_USERNAME, settings.SIGNING_TSA_PASSWORD or "")
    return HTTPTimeStamper(settings.SIGNING_TSA_URL, auth=auth, timeout=settings.SIGNING_TSA_TIMEOUT_SECONDS)


def validation_context(*, fetch: bool, moment: datetime.datetime | None = None):
    """Trust roots, the seal's chain as known certificates; ``fetch``: ask the OCSP responders and CRL
    distribution points named in the certificates (at sealing time), else only what the file embeds."""
    from pyhanko_certvalidator import ValidationContext  # noqa: PLC0415 — heavy, see above

    chain = _certificates_in(settings.SIGNING_CHAIN_FILE) if settings.SIGNING_CHAIN_FILE else []
    return ValidationContext(
        trust_roots=trust_roots(),
        other_certs=chain,
        allow_fetching=fetch,
        revocation_mode="hard-fail" if fetch else "soft-fail",
        moment=moment,
    )


def _align_document_info(writer) -> None:
    """PDF/A wants the document information dictionary to say what the XMP metadata says. pyHanko writes
    its own name as the XMP producer but appends it to the dictionary's: start the dictionary afresh
    without a producer, so that both name pyHanko alone after each incremental update."""
    from pyhanko.pdf_utils import generic  # noqa: PLC0415 — heavy, see above

    if "/Info" not in writer.trailer:
        return
    info = writer.trailer["/Info"]
    kept = generic.DictionaryObject({key: value for key, value in info.get_object().items() if key != "/Producer"})
    writer.set_info(writer.add_object(kept))


def seal_pdf(pdf_bytes: bytes, *, reason: str, location: str = "France") -> bytes:
    """Add the platform's PAdES seal over the whole of ``pdf_bytes``.

    With a TSA (production): PAdES-B-LTA in one pass: the seal with its signature timestamp (B-T), the
    certificates and revocation data of both chains fetched over OCSP or CRL into the document security
    store (B-LT), then a document timestamp (B-LTA). Without one (development): the seal alone (B-B).
    The certification (DocMDP « no changes ») leaves room for these later additions only.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter  # noqa: PLC0415 — heavy, see above
    from pyhanko.sign import fields, signers  # noqa: PLC0415 — heavy, see above

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    _align_document_info(writer)
    tsa = timestamper()
    metadata = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD_NAME,
        md_algorithm="sha256",
        reason=reason,
        location=location,
        name="Plateforme du partenariat CNFPT-AMF",
        subfilter=fields.SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
        embed_validation_info=tsa is not None,
        use_pades_lta=tsa is not None,
        validation_context=validation_context(fetch=True) if tsa is not None else None,
    )
    output = signers.PdfSigner(metadata, signer=platform_signer(), timestamper=tsa).sign_pdf(writer)
    return output.getvalue()


class TimestampNotRenewable(Exception):
    """The file has no document timestamp to extend (sealed without a TSA)."""


def timestamp_renew(pdf_bytes: bytes) -> bytes:
    """Extend the archive timestamp chain (PAdES-B-LTA): validate the last document timestamp, add its
    validation data to the document security store, then a new document timestamp from ``SIGNING_TSA_URL``."""
    from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: PLC0415 — heavy, see above
    from pyhanko.sign.signers.pdf_signer import PdfTimeStamper  # noqa: PLC0415 — heavy, see above

    tsa = timestamper()
    if tsa is None:
        raise TimestampNotRenewable("Aucune autorité d'horodatage n'est configurée (SIGNING_TSA_URL).")
    reader = PdfFileReader(io.BytesIO(pdf_bytes))
    if not list(reader.embedded_timestamp_signatures):
        raise TimestampNotRenewable("Ce document n'a pas d'horodatage de document à prolonger.")
    output = io.BytesIO()
    PdfTimeStamper(tsa).update_archival_timestamp_chain(
        reader, validation_context(fetch=True), in_place=False, output=output
    )
    return output.getvalue()


class SealState(enum.StrEnum):
    INTACT = "intact"
    MODIFIED = "modified"
    FOREIGN = "foreign"
    UNSIGNED = "unsigned"
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class SealInspection:
    state: SealState
    signed_at: datetime.datetime | None = None


def inspect_seal(pdf_bytes: bytes) -> SealInspection:
    """Does ``pdf_bytes`` carry an intact seal of this platform over the whole file?"""
    from asn1crypto import pem as asn1_pem  # noqa: PLC0415 — heavy, see above
    from asn1crypto import x509 as asn1_x509  # noqa: PLC0415 — heavy, see above
    from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: PLC0415 — heavy, see above
    from pyhanko.sign.diff_analysis import ModificationLevel  # noqa: PLC0415 — heavy, see above
    from pyhanko.sign.validation import validate_pdf_signature  # noqa: PLC0415 — heavy, see above
    from pyhanko.sign.validation.status import SignatureCoverageLevel  # noqa: PLC0415 — heavy, see above
    from pyhanko_certvalidator import ValidationContext  # noqa: PLC0415 — heavy, see above

    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signatures = list(reader.embedded_signatures)
    except Exception:  # a damaged file is an answer, not an error
        return SealInspection(SealState.UNREADABLE)
    if not signatures:
        return SealInspection(SealState.UNSIGNED)
    _, _, der = asn1_pem.unarmor(platform_certificate_pem())
    platform_cert = asn1_x509.Certificate.load(der)
    context = ValidationContext(trust_roots=trust_roots(), other_certs=[platform_cert])
    for signature in signatures:
        try:
            signer_sha256 = signature.signer_cert.sha256
        except Exception:  # altered signature bytes: no signer can be read, so none can be trusted
            return SealInspection(SealState.UNREADABLE)
        if signer_sha256 != platform_cert.sha256:
            continue
        try:
            status = validate_pdf_signature(signature, context)
        except Exception:
            return SealInspection(SealState.MODIFIED)

        # Whole file, or later revisions that only add validation data and document timestamps (B-LTA).
        maintained = status.docmdp_ok and status.modification_level in (
            ModificationLevel.NONE,
            ModificationLevel.LTA_UPDATES,
        )
        if status.intact and status.valid and (status.coverage == SignatureCoverageLevel.ENTIRE_FILE or maintained):
            return SealInspection(SealState.INTACT, status.signer_reported_dt)
        return SealInspection(SealState.MODIFIED)
    return SealInspection(SealState.FOREIGN)
