from .contracts import (
    ContractAmendment,
    ContractDocument,
    ContractParty,
    ContractTransition,
    PartnershipContract,
    ProgrammeLine,
    ReferenceCounter,
    Theme,
)
from .framework import Amendment, CollaborationAxis, FrameworkAgreement, Internship, Study
from .signing import AuditChainHead, AuditEvent, SignatureRequest

__all__ = [
    "Amendment",
    "AuditChainHead",
    "AuditEvent",
    "CollaborationAxis",
    "ContractAmendment",
    "ContractDocument",
    "ContractParty",
    "ContractTransition",
    "FrameworkAgreement",
    "Internship",
    "PartnershipContract",
    "ProgrammeLine",
    "ReferenceCounter",
    "SignatureRequest",
    "Study",
    "Theme",
]
