"""The models of the ``agreements`` app. Those of its sub-domains live in their packages
(``agreements/signing/models.py``, ``agreements/axis5/models.py``) and are imported here, so that the app registry finds them."""

from ..axis5.models import Internship, Study
from ..signing.models import AuditChainHead, AuditEvent, ContractSeal, SignatureRequest
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
from .framework import Amendment, CollaborationAxis, FrameworkAgreement

__all__ = [
    "Amendment",
    "AuditChainHead",
    "AuditEvent",
    "CollaborationAxis",
    "ContractAmendment",
    "ContractDocument",
    "ContractParty",
    "ContractSeal",
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
