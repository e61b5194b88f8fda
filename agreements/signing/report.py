"""What a PDF proves by itself: the expert's report of ``/verification/``, read from the file alone.

``seal_report`` opens the file with pyHanko and answers, without the platform's database and without the
network (only what the file embeds): which seal, by whom, the signing time and who certifies it, whether
the validation data is embedded and until when the file stays verifiable, whether anything changed after
the seal, and what the embedded audit trail says. The seal is judged as ETSI EN 319 102-1 does for a
PAdES-B-LTA signature (pyHanko's ``ades_lta_validation``): a seal whose certificate has since expired, or
been revoked after a timestamp proved it existed, still verifies.
"""

import asyncio
import datetime
import io
import logging
from dataclasses import dataclass, field

from .evidence import EmbeddedEvidence, read_embedded_evidence
from .sealing import SEAL_FIELD_NAME, trust_roots

logger = logging.getLogger(__name__)


class Level:
    """PAdES baseline levels (ETSI EN 319 142-1), from weakest to strongest."""

    B_B = "PAdES-B-B"
    B_T = "PAdES-B-T"
    B_LT = "PAdES-B-LT"
    B_LTA = "PAdES-B-LTA"


class Changes:
    NONE = "none"  # the seal covers the whole file
    MAINTENANCE = "maintenance"  # only validation data and document timestamps were added since
    OTHER = "other"  # something else changed: the seal no longer vouches for what is shown


@dataclass(frozen=True)
class Timestamp:
    at: datetime.datetime
    authority: str
    certificate_expires_at: datetime.datetime


@dataclass(frozen=True)
class SealReport:
    readable: bool
    found: bool = False  # a seal of this platform (its signature field) is in the file
    signer: str = ""
    issuer: str = ""
    certificate_expires_at: datetime.datetime | None = None
    intact: bool = False  # the seal's bytes match what it covers
    trusted: bool = False  # its certificate chains up to a trusted root
    valid: bool = False  # the bottom line, as of ``checked_at``
    level: str = ""
    claimed_at: datetime.datetime | None = None  # the server's own clock
    signature_timestamp: Timestamp | None = None
    validation_data: bool = False  # certificates and revocation data embedded (/DSS)
    document_timestamps: tuple[Timestamp, ...] = ()
    changes: str = Changes.OTHER
    checked_at: datetime.datetime | None = None
    problem: str = ""
    evidence: EmbeddedEvidence = field(default_factory=lambda: EmbeddedEvidence(None, None))

    @property
    def verifiable_until(self) -> datetime.datetime | None:
        """Until when the file verifies as it is: the expiry of the certificate of the authority that
        signed its last document timestamp (the platform adds a new one before then)."""
        if self.document_timestamps:
            return self.document_timestamps[-1].certificate_expires_at
        return None

    @property
    def timestamped(self) -> bool:
        return self.signature_timestamp is not None


def _name(certificate) -> str:
    subject = certificate.subject.native
    parts = [subject.get("common_name"), subject.get("organization_name")]
    return ", ".join(part for part in parts if part)


def _token_facts(signed_data) -> Timestamp:
    """When and by whom a timestamp token (RFC 3161 ``SignedData``) says it was made."""
    from pyhanko.sign.general import extract_certificate_info  # noqa: PLC0415 — heavy

    certificate = extract_certificate_info(signed_data).signer_cert
    return Timestamp(
        at=signed_data["encap_content_info"]["content"].parsed["gen_time"].native,
        authority=_name(certificate),
        certificate_expires_at=certificate["tbs_certificate"]["validity"]["not_after"].native,
    )


def _signature_timestamp(seal) -> Timestamp | None:
    from pyhanko.sign.validation.generic_cms import extract_tst_data_iter  # noqa: PLC0415 — heavy

    token = next(extract_tst_data_iter(seal.signer_info, signed=False), None)
    return _token_facts(token) if token is not None else None


@dataclass(frozen=True)
class SealStructure:
    """What the file's seal is made of, read without judging it (cheap: no validation, no network)."""

    level: str
    signature_timestamp: Timestamp | None
    document_timestamps: tuple[Timestamp, ...]
    validation_data: bool


def _structure(reader, seal, timestamps) -> SealStructure:
    signature_timestamp = _signature_timestamp(seal)
    document_timestamps = tuple(_token_facts(token.signed_data) for token in timestamps)
    validation_data = _has_validation_data(reader, seal)
    if signature_timestamp is None:
        level = Level.B_B
    elif not validation_data:
        level = Level.B_T
    elif not document_timestamps:
        level = Level.B_LT
    else:
        level = Level.B_LTA
    return SealStructure(level, signature_timestamp, document_timestamps, validation_data)


def seal_structure(pdf_bytes: bytes) -> SealStructure:
    """The structure of the platform's seal in a file the platform just sealed (or renewed)."""
    from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: PLC0415 — heavy

    reader = PdfFileReader(io.BytesIO(pdf_bytes))
    seal = next(s for s in reader.embedded_regular_signatures if s.field_name == SEAL_FIELD_NAME)
    return _structure(reader, seal, list(reader.embedded_timestamp_signatures))


def _validation_spec(*, fetcher_backend=None):
    """How the seal is judged; ``fetcher_backend`` replaces pyHanko's HTTP client (tests move the clock)."""
    from pyhanko.sign.validation.policy_decl import (  # noqa: PLC0415 — heavy, loaded where a file is verified
        CertificateFetchingRule,
        PdfSignatureValidationSpec,
        RevinfoOnlineFetchingRule,
        RevocationInfoGatheringSpec,
        SignatureValidationSpec,
    )
    from pyhanko_certvalidator.context import CertValidationPolicySpec  # noqa: PLC0415 — idem
    from pyhanko_certvalidator.policy_decl import (  # noqa: PLC0415 — idem
        REQUIRE_REVINFO,
        CertRevTrustPolicy,
        FreshnessReqType,
    )
    from pyhanko_certvalidator.registry import SimpleTrustManager  # noqa: PLC0415 — idem

    policy = CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(trust_roots=trust_roots()),
        revinfo_policy=CertRevTrustPolicy(
            REQUIRE_REVINFO, freshness=None, freshness_req_type=FreshnessReqType.MAX_DIFF_REVOCATION_VALIDATION
        ),
    )
    # The last document timestamp is judged at the time of the check: that its authority's certificate is
    # not revoked now, only its OCSP responder or CRL can tell (online; as ETSI EN 319 102-1 wants). What
    # is older is judged from what the file embeds, with the proofs of existence its timestamps give.
    gathering = RevocationInfoGatheringSpec(
        online_fetching_rule=RevinfoOnlineFetchingRule.ALWAYS_FETCH,
        fetcher_backend=fetcher_backend,
        certificate_fetching_rule=CertificateFetchingRule.NEVER_FETCH,
    )
    return PdfSignatureValidationSpec(
        signature_validation_spec=SignatureValidationSpec(
            cert_validation_policy=policy, revinfo_gathering_policy=gathering
        )
    )


def _basic_context(at: datetime.datetime, fetcher_backend):
    from pyhanko_certvalidator import ValidationContext  # noqa: PLC0415 — heavy

    return ValidationContext(
        trust_roots=trust_roots(),
        moment=at,
        revocation_mode="hard-fail",
        allow_fetching=True,
        fetcher_backend=fetcher_backend,
    )


def _changes(status) -> str:
    from pyhanko.sign.diff_analysis import ModificationLevel  # noqa: PLC0415 — heavy
    from pyhanko.sign.validation.status import SignatureCoverageLevel  # noqa: PLC0415 — heavy

    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return Changes.NONE
    if status.docmdp_ok and status.modification_level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES):
        return Changes.MAINTENANCE
    return Changes.OTHER


def _has_validation_data(reader, signature) -> bool:
    """The document security store holds revocation data (OCSP or CRL) and the seal's certificate."""
    from pyhanko.sign.validation.dss import DocumentSecurityStore  # noqa: PLC0415 — heavy

    dss = DocumentSecurityStore.read_dss(reader) if "/DSS" in reader.root else None
    if dss is None:
        return False
    certificates = {cert.sha256 for cert in dss.load_certs()}
    return bool(dss.ocsps or dss.crls) and signature.signer_cert.sha256 in certificates


def seal_report(pdf_bytes: bytes, *, at: datetime.datetime | None = None, fetcher_backend=None) -> SealReport:
    """Judge the platform's seal in ``pdf_bytes`` as of ``at`` (now by default). Side effects: none."""
    from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: PLC0415 — heavy
    from pyhanko.sign.ades.report import AdESPassed  # noqa: PLC0415 — heavy
    from pyhanko.sign.validation import validate_pdf_signature  # noqa: PLC0415 — heavy
    from pyhanko.sign.validation.ades import ades_lta_validation  # noqa: PLC0415 — heavy
    from pyhanko_certvalidator.ltv.types import ValidationTimingInfo  # noqa: PLC0415 — heavy

    at = at or datetime.datetime.now(datetime.UTC)
    evidence = read_embedded_evidence(pdf_bytes)
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signatures = list(reader.embedded_regular_signatures)
        timestamps = list(reader.embedded_timestamp_signatures)
    except Exception:  # a damaged file is an answer, not an error
        return SealReport(readable=False, checked_at=at, evidence=evidence)
    seal = next((s for s in signatures if s.field_name == SEAL_FIELD_NAME), None)
    if seal is None:
        return SealReport(readable=True, checked_at=at, evidence=evidence)
    try:
        certificate = seal.signer_cert
        structure = _structure(reader, seal, timestamps)
        if structure.signature_timestamp is None:
            # No trusted time: ETSI's validation with time does not apply; the seal is judged as of ``at``.
            status = validate_pdf_signature(
                seal, signer_validation_context=_basic_context(at, fetcher_backend), skip_diff=False
            )
            passed = status.bottom_line
            failure = "" if passed else f"{status.trust_problem_indic or 'seal not intact'}"
        else:
            timing = ValidationTimingInfo(validation_time=at, best_signature_time=at, point_in_time_validation=True)
            result = asyncio.run(
                ades_lta_validation(seal, _validation_spec(fetcher_backend=fetcher_backend), timing_info=timing)
            )
            status = result.api_status
            passed = result.ades_subindic == AdESPassed.OK
            failure = "" if passed else (result.failure_msg or str(result.ades_subindic))
    except Exception as exc:  # altered bytes or structures: no judgment can be trusted
        logger.info("Seal unreadable: %r", exc)
        return SealReport(readable=True, found=True, checked_at=at, problem=str(exc), evidence=evidence)
    return SealReport(
        readable=True,
        found=True,
        signer=_name(certificate),
        issuer=_name_of_issuer(certificate),
        certificate_expires_at=certificate["tbs_certificate"]["validity"]["not_after"].native,
        intact=bool(status is not None and status.intact and status.valid),
        trusted=passed,
        valid=passed and status is not None and _changes(status) != Changes.OTHER,
        level=structure.level,
        claimed_at=seal.self_reported_timestamp,
        signature_timestamp=structure.signature_timestamp,
        validation_data=structure.validation_data,
        document_timestamps=structure.document_timestamps,
        changes=_changes(status) if status is not None else Changes.OTHER,
        checked_at=at,
        problem=failure,
        evidence=evidence,
    )


def _name_of_issuer(certificate) -> str:
    issuer = certificate.issuer.native
    parts = [issuer.get("common_name"), issuer.get("organization_name")]
    return ", ".join(part for part in parts if part)
