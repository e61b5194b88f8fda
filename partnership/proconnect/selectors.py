"""Reads of ProConnect logins and access requests: what a SIRET stands for, and the requests each user decides."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet

from .. import permissions
from ..enums import AccessRequestAudience, AccessRequestStatus
from ..models import Collectivity, Delegation
from .models import AccessRequest, ProConnectIdentity


@dataclass(frozen=True)
class SiretOrganisation:
    """Who a SIRET belongs to, as far as this application is concerned.

    ``audience`` is ``None`` when the SIRET is neither a commune or EPCI of the directory (by its SIREN) nor
    the CNFPT's or the AMF's: nobody here could decide such a request.
    """

    siret: str
    audience: str | None
    collectivity: Collectivity | None = None

    @property
    def siren(self) -> str:
        return self.siret[:9]


def normalize_siret(value: str) -> str:
    return "".join((value or "").split())


def siret_organisation(siret: str) -> SiretOrganisation:
    """SIRET = SIREN (9 digits) + NIC (5): the SIREN names the organisation, the NIC one of its establishments."""
    siret = normalize_siret(siret)
    if len(siret) != 14 or not siret.isdigit():
        return SiretOrganisation(siret=siret, audience=None)
    siren = siret[:9]
    if siren in settings.CNFPT_SIRENS:
        return SiretOrganisation(siret=siret, audience=AccessRequestAudience.CNFPT)
    if siren in settings.AMF_SIRENS:
        return SiretOrganisation(siret=siret, audience=AccessRequestAudience.AMF)
    collectivity = Collectivity.objects.select_related("department").filter(siren=siren).order_by("kind").first()
    if collectivity is None:
        return SiretOrganisation(siret=siret, audience=None)
    return SiretOrganisation(siret=siret, audience=AccessRequestAudience.COLLECTIVITY, collectivity=collectivity)


def delegations_covering(collectivity: Collectivity) -> QuerySet[Delegation]:
    return Delegation.objects.filter(departments=collectivity.department_id).order_by("name")


def pending_request_of(sub: str) -> AccessRequest | None:
    """The request of this ProConnect identity still waiting for a decision, if any."""
    return AccessRequest.objects.filter(sub=sub, status=AccessRequestStatus.PENDING).first()


def access_requests_visible_to(user) -> QuerySet[AccessRequest]:
    """The requests ``user`` may read and decide; any other does not exist for them (404).

    National staff: every request. Delegation staff: those naming a collectivité of their delegation's
    départements. Nobody else.
    """
    requests = AccessRequest.objects.select_related("collectivity__department", "decided_by", "account")
    if permissions.is_national_staff(user):
        return requests
    if permissions.is_delegation_staff(user):
        # One row per request: the join keeps the delegation's own link to the département, at most one.
        return requests.filter(
            audience=AccessRequestAudience.COLLECTIVITY,
            collectivity__department__delegations=user.delegation_id,
        )
    return requests.none()


def access_requests_pending_for(user) -> QuerySet[AccessRequest]:
    """The requests waiting for ``user``'s decision, oldest first: « À faire ».

    Delegation staff: those of the collectivités their delegation covers. National staff: those addressed to
    them (the CNFPT's and the AMF's people, and a collectivité no delegation covers); the collectivités' wait
    for their delegation. Nobody else.
    """
    pending = access_requests_visible_to(user).filter(status=AccessRequestStatus.PENDING)
    if permissions.is_national_staff(user):
        # A collectivité whose département no delegation covers has nobody else to answer it.
        pending = pending.filter(
            ~Q(audience=AccessRequestAudience.COLLECTIVITY) | Q(collectivity__department__delegations__isnull=True)
        )
    return pending.order_by("created_at", "pk")


def identity_of(user) -> ProConnectIdentity | None:
    """The ProConnect identity ``user``'s account is linked to, if any."""
    return ProConnectIdentity.objects.filter(user=user).first()
