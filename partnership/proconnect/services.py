"""Writes of ProConnect logins and access requests: linking an account, unlinking it, asking, deciding.

The rules live here once, for the login callback, the pages and the admin alike:

- **linking, never guessing**: an identity already linked logs into its account; otherwise the first login
  with the e-mail of an existing active account links that account to the ``sub``; a deactivated account is
  refused; nobody else gets an account from a login (``errors.UnknownIdentity``);
- **access by SIRET**: an unknown person asks; the SIRET's SIREN names the collectivité (then the request is
  for the HR-contact role, decided by the delegation covering it) or the CNFPT or the AMF (decided by national
  staff); Paris gets the source document's refusal (``user_check_collectivity``); requests are throttled and
  one identity has one pending request at most;
- **deciding**: accepting opens the account (scoped as requested, linked to the ``sub``, no password);
  refusing needs a reason; either e-mails the requester (after commit). No role ever comes from claims alone.
"""

import hashlib
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import history, permissions, task_names
from ..dispatch import enqueue
from ..enums import AccessRequestAudience, AccessRequestStatus, HistoryAction, Role
from ..models import Delegation, User
from ..ratelimit import allow
from ..services import user_check_collectivity
from ..text import french_date
from .errors import LoginRefused, UnknownIdentity, VerifiedIdentity
from .models import AccessRequest, ProConnectIdentity
from .selectors import SiretOrganisation, pending_request_of, siret_organisation

logger = logging.getLogger(__name__)


def format_siret(siret: str) -> str:
    """« 217 500 016 00016 »: SIREN in groups of three, then the NIC, with non-breaking spaces."""
    if len(siret) != 14:
        return siret
    return "\u00a0".join([siret[0:3], siret[3:6], siret[6:9], siret[9:]])


# --- Login and linking ----------------------------------------------------------------------------------


@transaction.atomic
def proconnect_login(*, identity: VerifiedIdentity) -> User:
    """The account ``identity`` logs into. Side effects: the link written at the first login (by e-mail),
    the SIRET and time of the last ProConnect login. Raises ``LoginRefused`` (deactivated account, account
    linked to another identity) or ``UnknownIdentity`` (no account: the person may ask for access)."""
    now = timezone.now()
    link = ProConnectIdentity.objects.select_related("user").filter(sub=identity.sub).first()
    if link is not None:
        if not link.user.is_active:
            raise LoginRefused("inactive")
        ProConnectIdentity.objects.filter(pk=link.pk).update(last_login_at=now, siret=identity.siret)
        return link.user
    user = User.objects.filter(email__iexact=identity.email).first()
    if user is None:
        raise UnknownIdentity(identity)
    if not user.is_active:
        raise LoginRefused("inactive")
    if ProConnectIdentity.objects.filter(user=user).exists():
        raise LoginRefused("linked_elsewhere")
    try:
        with transaction.atomic():
            ProConnectIdentity.objects.create(user=user, sub=identity.sub, siret=identity.siret, last_login_at=now)
    except IntegrityError as exc:  # the same person logging in twice at once: the first link stands
        raise LoginRefused("linked_elsewhere") from exc
    logger.info("account %s linked to a ProConnect identity at its first ProConnect login", user.pk)
    return user


@transaction.atomic
def proconnect_identity_unlink(*, actor: User) -> None:
    """Remove the link between ``actor``'s account and their ProConnect identity.

    Side effects: the link deleted. A later ProConnect login with the account's e-mail links it again.
    """
    deleted, _ = ProConnectIdentity.objects.filter(user=actor).delete()
    if not deleted:
        raise ValidationError("Votre compte n'est relié à aucune identité ProConnect.")
    logger.info("account %s unlinked from its ProConnect identity", actor.pk)


# --- Asking -----------------------------------------------------------------------------------------------

UNKNOWN_SIRET = (
    "Votre organisation (SIRET {siret}) n'est ni une commune ni une intercommunalité de l'annuaire, ni le CNFPT, "
    "ni l'AMF\u00a0: ce service ne peut pas vous ouvrir de compte. Les communes et intercommunalités y accèdent "
    "avec le SIRET de leur collectivité."
)


def access_request_organisation(*, identity: VerifiedIdentity) -> SiretOrganisation:
    """Who would decide ``identity``'s request; ``ValidationError`` (in French) when nobody here can.

    Paris is refused with the source document's words, the check every account of a collectivité goes through.
    """
    organisation = siret_organisation(identity.siret)
    if organisation.audience is None:
        raise ValidationError(UNKNOWN_SIRET.format(siret=format_siret(organisation.siret)), code="unknown_siret")
    if organisation.collectivity is not None:
        try:
            user_check_collectivity(role=Role.HR_CONTACT, collectivity=organisation.collectivity)
        except ValidationError as error:
            raise ValidationError(error.messages, code="not_covered_by_cnfpt") from error
    return organisation


def _throttle_keys(identity: VerifiedIdentity, ip: str) -> list[tuple[str, int]]:
    sub = hashlib.sha256(identity.sub.encode()).hexdigest()
    return [
        (f"access-request:sub:{sub}", settings.ACCESS_REQUEST_MAX_PER_IDENTITY),
        (f"access-request:ip:{ip}", settings.ACCESS_REQUEST_MAX_PER_IP),
    ]


@transaction.atomic
def access_request_create(
    *, identity: VerifiedIdentity, function: str, phone: str = "", message: str = "", ip: str = ""
) -> AccessRequest:
    """Record the request of a person ProConnect vouches for and who has no account.

    Side effects: the request, pending. Refused (``ValidationError``): too many attempts from this identity or
    address within the hour, an organisation nobody here decides for, Paris, an existing account, a request
    already pending.
    """
    # Both counters count every attempt, even once one of them refuses.
    allowed = [allow(key, limit=limit, window_seconds=3600) for key, limit in _throttle_keys(identity, ip)]
    if not all(allowed):
        raise ValidationError("Trop de demandes d'accès envoyées\u00a0: réessayez dans une heure.", code="throttled")
    organisation = access_request_organisation(identity=identity)
    if User.objects.filter(email__iexact=identity.email).exists():
        raise ValidationError(
            f"Un compte existe déjà avec l'adresse {identity.email}\u00a0: connectez-vous avec ProConnect, il sera "
            "relié à votre identité.",
            code="account_exists",
        )
    pending = pending_request_of(identity.sub)
    if pending is not None:
        raise ValidationError(_already_pending(pending), code="pending")
    access_request = AccessRequest(
        sub=identity.sub,
        email=identity.email,
        first_name=identity.given_name,
        last_name=identity.usual_name,
        siret=organisation.siret,
        audience=organisation.audience,
        collectivity=organisation.collectivity,
        function=function.strip(),
        phone=phone.strip(),
        message=message.strip(),
    )
    access_request.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            access_request.save()
    except IntegrityError as exc:  # the same form sent twice at once: the partial unique constraint decides
        raise ValidationError(_already_pending(pending_request_of(identity.sub)), code="pending") from exc
    logger.info("access request %s recorded (%s)", access_request.pk, access_request.audience)
    return access_request


def _already_pending(pending: AccessRequest | None) -> str:
    when = f" du {french_date(timezone.localtime(pending.created_at), 'j F Y')}" if pending else ""
    return f"Votre demande d'accès{when} attend déjà sa décision\u00a0: vous recevrez un e-mail dès qu'elle sera prise."


# --- Deciding ---------------------------------------------------------------------------------------------

DECIDABLE_ROLES = {
    AccessRequestAudience.COLLECTIVITY: (Role.HR_CONTACT,),
    AccessRequestAudience.CNFPT: (Role.NATIONAL_STAFF, Role.DELEGATION_STAFF),
    AccessRequestAudience.AMF: (Role.AMF_STAFF,),
}


def _lock_pending(*, actor: User, access_request: AccessRequest) -> AccessRequest:
    if not permissions.can_decide_access_request(actor, access_request):
        raise ValidationError("Cette demande n'est pas dans le périmètre de votre délégation.")
    locked = (
        AccessRequest.objects.select_for_update(of=("self",)).select_related("collectivity").get(pk=access_request.pk)
    )
    if not locked.is_pending:
        raise ValidationError(f"Cette demande est déjà {locked.get_status_display().lower()}.")
    return locked


@transaction.atomic
def access_request_accept(
    *, actor: User, access_request: AccessRequest, role: str = "", delegation: Delegation | None = None
) -> User:
    """Open the requester's account, linked to their ProConnect identity.

    A collectivité's person becomes its HR contact; the CNFPT's, national or delegation staff (``role``,
    ``delegation``) as national staff choose; the AMF's, AMF staff (with the admin, where they work).
    Side effects: the account (no password: they log in with ProConnect), its link, the request accepted
    with its decider, an entry in its history, and after commit the e-mail saying so.
    """
    locked = _lock_pending(actor=actor, access_request=access_request)
    roles = DECIDABLE_ROLES[locked.audience]
    role = role or roles[0]
    if role not in roles:
        raise ValidationError({"role": "Ce rôle ne correspond pas à l'organisation de la demande."})
    if role == Role.DELEGATION_STAFF and delegation is None:
        raise ValidationError({"delegation": "Choisissez la délégation de cet agent."})
    if User.objects.filter(email__iexact=locked.email).exists():
        raise ValidationError(
            f"Un compte existe déjà avec l'adresse {locked.email}\u00a0: la personne peut se connecter avec "
            "ProConnect, son compte sera relié. Refusez cette demande en le lui indiquant."
        )
    user_check_collectivity(role=role, collectivity=locked.collectivity)
    user = User(
        email=locked.email,
        first_name=locked.first_name,
        last_name=locked.last_name,
        role=role,
        collectivity=locked.collectivity if role == Role.HR_CONTACT else None,
        delegation=delegation if role == Role.DELEGATION_STAFF else None,
        function=locked.function,
        phone=locked.phone,
        is_staff=role == Role.AMF_STAFF,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"], validate_unique=False)
    try:
        with transaction.atomic():
            user.save()
            ProConnectIdentity.objects.create(user=user, sub=locked.sub, siret=locked.siret)
    except IntegrityError as exc:
        raise ValidationError(
            "Un compte vient d'être ouvert pour cette personne ou cette identité ProConnect\u00a0: rechargez la page."
        ) from exc
    _decide(actor=actor, access_request=locked, status=AccessRequestStatus.ACCEPTED, account=user)
    logger.info("access request %s accepted by user %s: account %s", locked.pk, actor.pk, user.pk)
    return user


@transaction.atomic
def access_request_refuse(*, actor: User, access_request: AccessRequest, reason: str) -> None:
    """Refuse a request, with the reason the requester reads. Side effects: the request refused with its
    decider and reason, an entry in its history, and after commit the e-mail giving the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Indiquez le motif du refus\u00a0: il est envoyé à la personne."})
    locked = _lock_pending(actor=actor, access_request=access_request)
    _decide(actor=actor, access_request=locked, status=AccessRequestStatus.REFUSED, reason=reason)
    logger.info("access request %s refused by user %s", locked.pk, actor.pk)


_DECISION_FIELDS = ["status", "refusal_reason", "account"]


def _decide(*, actor: User, access_request: AccessRequest, status: str, reason: str = "", account=None) -> None:
    before = history.values_of(access_request, _DECISION_FIELDS)
    access_request.status = status
    access_request.refusal_reason = reason
    access_request.account = account
    access_request.decided_by = actor
    access_request.decided_at = timezone.now()
    access_request.save(update_fields=["status", "refusal_reason", "account", "decided_by", "decided_at"])
    history.record(
        actor=actor,
        obj=access_request,
        action=HistoryAction.STATUS_CHANGED,
        before=before,
        after=history.values_of(access_request, _DECISION_FIELDS),
    )
    enqueue(task_names.ACCESS_REQUEST_DECISION_SEND, access_request.pk)
