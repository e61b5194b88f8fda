"""The verdict of the public « Vérifier un contrat signé » page (``document_verify``), which the page only
renders: is this PDF a contract signed on this platform, unmodified since, and what does it prove by itself?"""

import datetime
import enum
import hashlib
from dataclasses import dataclass

from ..enums import SignatureRequestStatus
from ..models import ContractDocument, PartnershipContract
from . import report as seal_report_module
from . import sealing
from .selectors import signed_document_with_digest


class VerdictKind(enum.StrEnum):
    GENUINE = "genuine"  # byte for byte a sealed copy of a contract signed here (any of its timestamp renewals)
    ALTERED = "altered"  # it bears the platform's seal, yet it is no signed copy: changed since
    UNREADABLE = "unreadable"  # not a readable PDF: damaged, or not a contract of the platform
    UNKNOWN = "unknown"  # a PDF the platform neither signed nor sealed


@dataclass(frozen=True)
class Verdict:
    """What the verification page says of a file: its kind and, when genuine, which contract and who signed;
    with ``report``, what the file proves by itself (the expert's report)."""

    kind: VerdictKind
    sha256: str
    document: ContractDocument | None = None
    parties: tuple = ()
    signers: tuple = ()
    report: seal_report_module.SealReport | None = None

    @property
    def contract(self) -> PartnershipContract | None:
        return self.document.contract if self.document is not None else None


def document_verify(*, content: bytes, at: datetime.datetime | None = None, fetcher_backend=None) -> Verdict:
    """Is ``content`` a contract signed on this platform, unmodified since? Side effects: none (nothing is kept).

    Genuine means: the SHA-256 of the file is that of a sealed final PDF the platform stored (each renewal
    of its document timestamps is stored too, so every copy ever handed out stays genuine). Otherwise the
    seal is inspected to tell a sealed file changed since (altered) from a file that cannot be read and from
    a file the platform never sealed (unknown); an intact seal over a file the platform did not store is
    taken as altered, since only stored copies are genuine. Whatever the kind, a file bearing the platform's
    seal gets the seal's report as of ``at`` (now by default).
    """
    digest = hashlib.sha256(content).hexdigest()
    document = signed_document_with_digest(digest)
    report = seal_report_module.seal_report(content, at=at, fetcher_backend=fetcher_backend)
    if document is not None:
        contract = document.contract
        return Verdict(
            kind=VerdictKind.GENUINE,
            sha256=digest,
            document=document,
            parties=tuple(contract.parties.select_related("collectivity")),
            signers=tuple(
                contract.signature_requests.filter(
                    document__contract=contract, status=SignatureRequestStatus.SIGNED
                ).order_by("step", "signed_at")
            ),
            report=report,
        )
    state = sealing.inspect_seal(content).state
    if state in (sealing.SealState.MODIFIED, sealing.SealState.INTACT):
        kind = VerdictKind.ALTERED
    elif state == sealing.SealState.UNREADABLE:
        kind = VerdictKind.UNREADABLE
    else:
        kind = VerdictKind.UNKNOWN
    return Verdict(kind=kind, sha256=digest, report=report if report.found else None)
