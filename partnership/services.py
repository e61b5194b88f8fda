"""Writes and rules of the directory: the Paris rule, accounts (invitation, deactivation) and the
retention of personal data.

The Paris rule lives here once: the contract and registration services call
``collectivity_check_covered_by_cnfpt``; the forms, the picker and the admin forms call the same function,
so that the user reads the same message at every door.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from events.models import Event, EventFeedback, EventRegistration
from trainings.models import Registration, Session

from . import history, permissions, task_names
from .dispatch import enqueue
from .enums import INVITABLE_ROLES, CollectivityUse, Role
from .models import Collectivity, User

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


# --- Retention of personal data ------------------------------------------------------------------

ANONYMISED_FIRST_NAME = "Personne"
ANONYMISED_LAST_NAME = "anonymisée"
RETENTION_BATCH_SIZE = 1000


def _anonymised_email(prefix: str):
    # Unique per row: the registrations' unique constraints on e-mail still hold.
    return Concat(Value(f"{prefix}-"), Cast("pk", CharField()), Value("@anonymise.invalid"))


def _anonymise_in_batches(queryset, *, now, fields: dict, after_batch=None) -> int:
    """Anonymise the rows of ``queryset`` by batches, each in its own short transaction.

    Each UPDATE repeats ``anonymised_at IS NULL``, so two runs at once, or a run interrupted and
    started again, never anonymise a row twice nor skip one.
    """
    total = 0
    while True:
        batch = list(
            queryset.filter(anonymised_at__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:RETENTION_BATCH_SIZE]
        )
        if not batch:
            return total
        with transaction.atomic():
            done = queryset.model.objects.filter(pk__in=batch, anonymised_at__isnull=True).update(
                anonymised_at=now, **fields
            )
            if after_batch is not None:
                after_batch(batch)
        total += done


def personal_data_apply_retention(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Anonymise the people of sessions and events over for more than ``PERSONAL_DATA_RETENTION_DAYS``.

    Names, e-mail addresses and jobs of trained agents, and of event registrants with their
    satisfaction comments, are replaced in place. What the statistics count stays: category,
    employer, status, attendance, quality, collectivité, rating. Idempotent: a row is anonymised
    once (``anonymised_at``). The action log of those sessions and events stops naming them.
    Side effects: the UPDATEs, nothing else (no e-mail).
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    trained = _anonymise_in_batches(
        Registration.objects.filter(session__end_date__lt=timezone.localdate(cutoff)),
        now=now,
        fields={
            "first_name": ANONYMISED_FIRST_NAME,
            "last_name": ANONYMISED_LAST_NAME,
            "email": _anonymised_email("agent"),
            "job": "",
        },
    )
    registrants = _anonymise_in_batches(
        EventRegistration.objects.filter(event__ends_at__lt=cutoff),
        now=now,
        fields={
            "first_name": ANONYMISED_FIRST_NAME,
            "last_name": ANONYMISED_LAST_NAME,
            "email": _anonymised_email("participant"),
            "job_title": "",
        },
        after_batch=lambda batch: EventFeedback.objects.filter(registration_id__in=batch).update(comment=""),
    )
    # The history of those sessions and events named the people registered: it stops too.
    history_subject = f"Inscription de {ANONYMISED_FIRST_NAME} {ANONYMISED_LAST_NAME}"
    history.anonymise_people(
        objects=Session.objects.filter(end_date__lt=timezone.localdate(cutoff)), replacement=history_subject
    )
    history.anonymise_people(objects=Event.objects.filter(ends_at__lt=cutoff), replacement=history_subject)
    if trained or registrants:
        logger.info("retention: %s trained agents and %s event registrants anonymised", trained, registrants)
    return {"trained_agents": trained, "event_registrants": registrants}
