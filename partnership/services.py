"""Writes and rules of the directory: the Paris rule, accounts (invitation, deactivation), delegations.

The retention of personal data is ``partnership.personal_data``'s, a registry every app fills.

The Paris rule lives here once: the contract and registration services call
``collectivity_check_covered_by_cnfpt``; the forms, the picker and the admin forms call the same function,
so that the user reads the same message at every door.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from . import history, permissions, task_names
from .dispatch import enqueue
from .enums import INVITABLE_ROLES, CollectivityUse, HistoryAction, Role
from .models import Collectivity, Delegation, User
from .models_utils import model_update

NOT_COVERED_LABEL = "non couverte par le CNFPT"

_OUTSIDE = "{name} n'est pas couverte par le CNFPT (« à l'exception du département et de la ville de Paris »)\u00a0:"
_NOT_COVERED_MESSAGES = {
    CollectivityUse.CONTRACT_PARTY: f"{_OUTSIDE} elle ne peut pas être partie à un contrat de partenariat.",
    CollectivityUse.EMPLOYER: f"{_OUTSIDE} ses agents ne peuvent pas être inscrits à une formation du CNFPT.",
}


def collectivity_requires_coverage(use: CollectivityUse) -> bool:
    """Events, which the AMF co-organises, stay open to Paris's elected officials and staff."""
    return use in _NOT_COVERED_MESSAGES


def collectivity_check_covered_by_cnfpt(*, collectivity: Collectivity | None, use: CollectivityUse) -> None:
    """Refuse Paris as a contract party or as a trainee's employer: ``ValidationError`` with a French message.

    An EPCI whose members include Paris (the Métropole du Grand Paris) passes: only the Ville de Paris is
    outside the CNFPT. Does nothing for ``CollectivityUse.EVENT``. Side effects: none.
    """
    if collectivity is None or collectivity.is_covered_by_cnfpt or not collectivity_requires_coverage(use):
        return
    raise ValidationError(_NOT_COVERED_MESSAGES[use].format(name=collectivity.name), code="not_covered_by_cnfpt")


# The accounts of a collectivité's people exist for the partnership's two doors Paris may not use.
_ROLE_USES = {Role.SIGNATORY: CollectivityUse.CONTRACT_PARTY, Role.HR_CONTACT: CollectivityUse.EMPLOYER}


def user_check_collectivity(*, role: str, collectivity: Collectivity | None) -> None:
    """Refuse a signatory or an HR contact of Paris: ``ValidationError`` on ``collectivity``, in French.

    A signatory signs contracts and an HR contact registers agents, both closed to Paris; the
    invitation service and the user admin's forms call this check.
    """
    use = _ROLE_USES.get(role)
    if use is None:
        return
    try:
        collectivity_check_covered_by_cnfpt(collectivity=collectivity, use=use)
    except ValidationError as error:
        raise ValidationError({"collectivity": error.messages}) from error


logger = logging.getLogger(__name__)


# --- Accounts ------------------------------------------------------------------------------------


@transaction.atomic
def user_invite(
    *,
    actor: User,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    collectivity: Collectivity,
    function: str = "",
    phone: str = "",
) -> User:
    """Open the account of an HR contact or a signatory of ``collectivity`` and invite them by e-mail.

    Side effects: an active account without a usable password (nobody can log in with it until the
    invited person chooses one); after commit, an e-mail with a link to choose the password, valid
    ``ACCOUNT_INVITATION_VALIDITY_DAYS`` days.
    """
    if role not in INVITABLE_ROLES:
        raise ValidationError({"role": "On ne peut inviter qu'un référent RH ou un signataire de collectivité."})
    if not permissions.can_invite_for(actor, collectivity):
        raise ValidationError({"collectivity": "Cette collectivité n'est pas dans le périmètre de votre délégation."})
    user_check_collectivity(role=role, collectivity=collectivity)
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "Un compte existe déjà avec cette adresse e-mail."})
    user = User(
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=role,
        collectivity=collectivity,
        function=function.strip(),
        phone=phone.strip(),
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"], validate_unique=False)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        # Two invitations for the same address at once: the unique constraint decides.
        raise ValidationError({"email": "Un compte existe déjà avec cette adresse e-mail."}) from exc
    enqueue(task_names.ACCOUNT_INVITATION_SEND, user.pk)
    logger.info("account %s invited by user %s", user.pk, actor.pk)
    return user


def is_invitation_pending(user: User) -> bool:
    """Invited, and no password chosen yet."""
    return not user.has_usable_password() and user.last_login is None


@transaction.atomic
def user_invitation_resend(*, actor: User, user: User) -> None:
    """Send the invitation again (a new link; the previous ones keep working until they expire).

    Side effects: the invitation e-mail, after commit.
    """
    if not permissions.can_manage_account(actor, user):
        raise ValidationError("Vous ne pouvez pas gérer ce compte.")
    if not user.is_active:
        raise ValidationError("Ce compte est désactivé : réactivez-le avant de renvoyer l'invitation.")
    if not is_invitation_pending(user):
        raise ValidationError("Cette personne a déjà choisi son mot de passe.")
    enqueue(task_names.ACCOUNT_INVITATION_SEND, user.pk)


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> None:
    """Close an account: its owner can no longer log in, and their open sessions stop at the next request.

    Side effects: ``is_active`` turned off by a conditional UPDATE (a double click deactivates once).
    Everything the person did stays, with their name.
    """
    if user.pk == actor.pk:
        raise ValidationError("Vous ne pouvez pas désactiver votre propre compte.")
    if not permissions.can_manage_account(actor, user):
        raise ValidationError("Vous ne pouvez pas gérer ce compte.")
    if not User.objects.filter(pk=user.pk, is_active=True).update(is_active=False):
        raise ValidationError("Ce compte est déjà désactivé.")
    user.is_active = False
    logger.info("account %s deactivated by user %s", user.pk, actor.pk)


@transaction.atomic
def user_reactivate(*, actor: User, user: User) -> None:
    """Open a deactivated account again. Side effects: ``is_active`` turned on by a conditional UPDATE."""
    if not permissions.can_manage_account(actor, user):
        raise ValidationError("Vous ne pouvez pas gérer ce compte.")
    if not User.objects.filter(pk=user.pk, is_active=False).update(is_active=True):
        raise ValidationError("Ce compte est déjà actif.")
    user.is_active = True
    logger.info("account %s reactivated by user %s", user.pk, actor.pk)


# --- Delegations -----------------------------------------------------------------------------------

# What the action log keeps of a delegation: the départements it covers decide whose contracts,
# sessions and collectivités its staff reach (``permissions.delegation_scope``).
DELEGATION_FIELDS = ("code", "name", "region", "seat", "email")
DELEGATION_HISTORY_FIELDS = (*DELEGATION_FIELDS, "departments")


@transaction.atomic
def delegation_save(*, actor: User, delegation: Delegation, fields: dict, departments) -> Delegation:
    """Create or change a delegation and the départements it covers (the admin's form).

    The départements decide the scope of a delegation's staff: every change goes in the action log,
    before → after, signed by ``actor``. A form sent back unchanged records nothing.
    Side effects: the row, its départements, one history entry.
    """
    if not permissions.admin_can_change(actor, Delegation._meta):
        raise ValidationError("Vous ne pouvez pas modifier les délégations.")
    creating = delegation.pk is None
    if creating:
        for name in DELEGATION_FIELDS:
            if name in fields:
                setattr(delegation, name, fields[name])
        delegation.full_clean()
        delegation.save()
        before = None
    else:
        # Read again, locked: the admin hands over an instance its form already changed.
        delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
        before = history.values_of(delegation, DELEGATION_HISTORY_FIELDS)
        model_update(instance=delegation, fields=DELEGATION_FIELDS, data=fields)
    delegation.departments.set(departments)
    history.record(
        actor=actor,
        obj=delegation,
        action=HistoryAction.CREATED if creating else HistoryAction.UPDATED,
        before=before,
        after=history.values_of(delegation, DELEGATION_HISTORY_FIELDS),
    )
    logger.info("delegation %s saved by user %s", delegation.pk, actor.pk)
    return delegation
