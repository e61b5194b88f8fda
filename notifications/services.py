"""The reminders engine: one job decides every scheduled e-mail, one task sends each, one log keeps them.

Deciding (``reminders_run``, from Celery beat or ``manage.py send_reminders``) walks the registry of
kinds; each reminder due is claimed by INSERTing its ``ReminderLog`` row (in batches, ON CONFLICT DO
NOTHING), whose unique key (kind, object, due date, recipient) lets only one run win; the winner enqueues
its sending after commit.
Sending (``reminder_deliver``) claims the row by a conditional UPDATE, so a task delivered twice sends
one e-mail; an SMTP error puts the row back to ``pending`` and the task retries with backoff; once the
retries are spent the row is ``failed``, listed in the admin, where staff can send it again.
"""

import datetime
import logging
import smtplib
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from partnership.dispatch import enqueue
from partnership.models import User

from . import registry, task_names
from .enums import ReminderStatus
from .keys import address_key, normalise_email
from .models import ReminderLog, ReminderOptOut
from .registry import Message, ReminderKind
from .selectors import optional_kinds_for

logger = logging.getLogger(__name__)

# Transient delivery problems: the server refused, hung up or cannot be reached (socket errors are OSErrors).
MAIL_ERRORS = (smtplib.SMTPException, OSError)
UNSUBSCRIBE_SALT = "notifications.unsubscribe"
# Reminders claimed per INSERT statement (and per transaction).
CLAIM_BATCH = 500


# --- Deciding -----------------------------------------------------------------------------------


def reminders_run(*, today: datetime.date | None = None, only: Iterable[str] | None = None) -> dict[str, int]:
    """Decide every reminder due by ``today`` (default: today in Paris) and enqueue its sending.

    ``only`` limits the run to some kinds (by key), e.g. to try one kind on a simulated date.
    Returns, per kind, how many reminders this run claimed. Running it again, or on two workers at
    once, claims nothing more: the log's unique key refuses a second row for the same reminder.
    Side effects: ``ReminderLog`` rows (pending); ``tasks.reminder_send`` enqueued after each commit.
    """
    today = today or timezone.localdate()
    wanted = set(only) if only is not None else None
    return {kind.key: _decide(kind, today) for kind in registry.kinds() if wanted is None or kind.key in wanted}


def _decide(kind: ReminderKind, today: datetime.date) -> int:
    dues = list(kind.due(today))
    if not dues:
        return 0
    # One read of what is already decided, so an hourly run does not rewrite thousands of known rows.
    known = set(
        ReminderLog.objects.filter(
            kind=kind.key,
            object_id__in={due.object_id for due in dues},
            due_on__in={due.due_on for due in dues},
        ).values_list("object_id", "due_on", "recipient_key")
    )
    opted_out = (
        set(ReminderOptOut.objects.filter(kind=kind.key).values_list("email_key", flat=True))
        if kind.optional
        else set()
    )
    rows = []
    for due in dues:
        for recipient in due.recipients:
            email = normalise_email(recipient.email)
            recipient_key = address_key(email)
            key = (due.object_id, due.due_on, recipient_key)
            if not email or recipient_key in opted_out or key in known:
                continue
            known.add(key)  # one e-mail per person even when two audiences name the same address
            rows.append(
                ReminderLog(
                    kind=kind.key,
                    object_id=due.object_id,
                    due_on=due.due_on,
                    recipient=email,
                    recipient_key=recipient_key,
                    recipient_name=recipient.name[:200],
                    audience=recipient.audience,
                )
            )
    return sum(_claim(rows[start : start + CLAIM_BATCH]) for start in range(0, len(rows), CLAIM_BATCH))


@transaction.atomic
def _claim(rows: list[ReminderLog]) -> int:
    """INSERT … ON CONFLICT DO NOTHING, then read back the rows of this batch: the reminders this run won.

    A concurrent run inserting the same key makes this INSERT wait for its commit, then skip the row:
    each reminder belongs to exactly one run, which alone enqueues its sending (after commit).
    """
    batch = uuid.uuid4()
    for row in rows:
        row.batch = batch
    ReminderLog.objects.bulk_create(rows, ignore_conflicts=True)
    won = list(ReminderLog.objects.filter(batch=batch).values_list("pk", flat=True))
    for log_id in won:
        enqueue(task_names.REMINDER_SEND, log_id)
    return len(won)


# --- Sending ------------------------------------------------------------------------------------


def _claim_timeout() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT_SECONDS)


def reminder_deliver(*, log_id: int) -> str:
    """Send one decided reminder; return the row's status after this attempt.

    The row is claimed by a conditional UPDATE (``pending``, or ``sending`` left by a worker that died
    more than ``REMINDER_CLAIM_TIMEOUT_SECONDS`` ago): a redelivered task finds it ``sent`` and sends
    nothing. A reminder that lost its reason (contract signed, session cancelled, reminder turned off
    meanwhile) ends ``skipped``. On an SMTP error the row goes back to ``pending`` with the error and
    the error is raised, for the task to retry.
    Side effects: one e-mail; the kind's ``after_send`` (the audit event of a signature reminder).
    """
    now = timezone.now()
    claimable = Q(status=ReminderStatus.PENDING) | Q(
        status=ReminderStatus.SENDING, claimed_at__lt=now - _claim_timeout()
    )
    claimed = ReminderLog.objects.filter(claimable, pk=log_id).update(
        status=ReminderStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return ReminderLog.objects.filter(pk=log_id).values_list("status", flat=True).first() or ""
    log = ReminderLog.objects.get(pk=log_id)
    kind = registry.get(log.kind)
    if kind is None:
        return _finish(log, ReminderStatus.SKIPPED, "Type de rappel inconnu.")
    if not log.recipient:
        return _finish(log, ReminderStatus.SKIPPED, "Adresse du destinataire effacée (conservation des données).")
    if kind.optional and ReminderOptOut.objects.filter(email_key=log.recipient_key, kind=kind.key).exists():
        return _finish(log, ReminderStatus.SKIPPED, "Rappel désactivé par le destinataire.")
    try:
        message = kind.message(log)
    except ObjectDoesNotExist:
        message = None
    if message is None:
        return _finish(log, ReminderStatus.SKIPPED, "Rien à envoyer : plus d'objet à la date d'envoi.")
    try:
        build_email(kind, log, message).send()
    except MAIL_ERRORS as exc:
        ReminderLog.objects.filter(pk=log.pk, status=ReminderStatus.SENDING).update(
            status=ReminderStatus.PENDING, last_error=_describe(exc)
        )
        raise
    # The name served the greeting only: it goes with the sending.
    ReminderLog.objects.filter(pk=log.pk).update(
        status=ReminderStatus.SENT, sent_at=timezone.now(), last_error="", recipient_name=""
    )
    if kind.after_send is not None:
        kind.after_send(log)
    return ReminderStatus.SENT


def _finish(log: ReminderLog, status: str, note: str) -> str:
    ReminderLog.objects.filter(pk=log.pk).update(status=status, last_error=note, recipient_name="")
    return status


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__} : {exc}"[:2000]


def reminder_mark_failed(*, log_id: int, error: BaseException | str) -> None:
    """Every retry spent (or an unexpected error): the row becomes ``failed``, for staff to see and resend.

    A row already ``sent`` stays so: the e-mail went out.
    """
    text = error if isinstance(error, str) else _describe(error)
    ReminderLog.objects.filter(pk=log_id).exclude(status=ReminderStatus.SENT).update(
        status=ReminderStatus.FAILED, last_error=text[:2000]
    )
    logger.error("Reminder %s not sent: %s", log_id, text)


@transaction.atomic
def reminder_resend(*, log_ids: Iterable[int]) -> int:
    """Staff's « renvoyer »: put failed reminders back in the queue; return how many.

    Only ``failed`` rows that still have their address move (a conditional UPDATE each), so a double
    click sends nothing twice. Side effects: rows back to ``pending`` with their attempts reset;
    ``tasks.reminder_send`` enqueued.
    """
    count = 0
    for log_id in log_ids:
        if (
            ReminderLog.objects.filter(pk=log_id, status=ReminderStatus.FAILED)
            .exclude(recipient="")
            .update(status=ReminderStatus.PENDING, attempts=0, claimed_at=None)
        ):
            enqueue(task_names.REMINDER_SEND, log_id)
            count += 1
    return count


def build_email(kind: ReminderKind, log: ReminderLog, message: Message) -> EmailMultiAlternatives:
    """The e-mail of one reminder: plain text and HTML from the kind's templates, one-click unsubscribe if optional."""
    unsubscribe = unsubscribe_url(email=log.recipient, kind=kind.key) if kind.optional else ""
    context = {
        **message.context,
        "recipient_name": log.recipient_name,
        "url": message.url,
        "subject": message.subject,
        "kind_label": kind.label,
        "unsubscribe_url": unsubscribe,
        "preferences_url": settings.SITE_URL + reverse("notifications:preferences"),
        "site_url": settings.SITE_URL,
    }
    # RFC 3834: an automatic message, so that auto-responders stay quiet.
    headers = {"Auto-Submitted": "auto-generated"}
    if unsubscribe:
        # RFC 8058: mail clients offer « se désabonner » and POST to this address without opening it.
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=render_to_string(f"{kind.template}.txt", context),
        to=[log.recipient],
        headers=headers,
    )
    email.attach_alternative(render_to_string(f"{kind.template}.html", context), "text/html")
    for name, content, mimetype in message.attachments:
        email.attach(name, content, mimetype)
    return email


# --- Choosing -----------------------------------------------------------------------------------


def unsubscribe_token(*, email: str, kind: str) -> str:
    return signing.dumps([normalise_email(email), kind], salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(*, email: str, kind: str) -> str:
    return settings.SITE_URL + reverse("notifications:unsubscribe", args=[unsubscribe_token(email=email, kind=kind)])


def unsubscribe_target(token: str) -> tuple[str, ReminderKind]:
    """The address and the optional kind a signed link stands for; ``ValidationError`` if altered or expired.

    The link expires ``UNSUBSCRIBE_LINK_VALIDITY_DAYS`` (a year) after its e-mail: long past the 30 days
    a sender must honour it, and every later reminder carries a fresh one. A link that works forever
    would keep, in every old mailbox and forwarded message, a bearer right over a person's settings
    (and their address, which the link carries) long after this application forgot them.
    """
    try:
        email, key = signing.loads(
            token, salt=UNSUBSCRIBE_SALT, max_age=datetime.timedelta(days=settings.UNSUBSCRIBE_LINK_VALIDITY_DAYS)
        )
    except signing.SignatureExpired:
        raise ValidationError(
            "Ce lien de désabonnement a expiré\u00a0: utilisez celui du dernier rappel reçu, ou vos préférences de "
            "rappels si vous avez un compte."
        ) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise ValidationError(
            "Ce lien de désabonnement n'est pas valide : copiez-le en entier depuis l'e-mail."
        ) from None
    kind = registry.get(key)
    if kind is None or not kind.optional:
        raise ValidationError("Ce rappel ne peut pas être désactivé.")
    return email, kind


@transaction.atomic
def reminder_unsubscribe(*, token: str) -> tuple[str, ReminderKind]:
    """One-click unsubscribe (RFC 8058): turn off one optional kind for the address of the signed link.

    Idempotent: a second click changes nothing. Side effects: one ``ReminderOptOut`` row.
    """
    email, kind = unsubscribe_target(token)
    ReminderOptOut.objects.get_or_create(email_key=address_key(email), kind=kind.key)
    return email, kind


@transaction.atomic
def reminder_preferences_update(*, user: User, enabled: Iterable[str]) -> None:
    """Keep the optional kinds in ``enabled`` on for the user's address and turn the others off.

    Reminders a process depends on (signature, attendance) are not optional and never turned off;
    kinds listed for other roles are left as they are. Side effects: ``ReminderOptOut`` rows created or deleted for
    ``user.email``'s key.
    """
    email_key = address_key(user.email)
    enabled = set(enabled)
    # Only the kinds the page showed: a kind meant for another role keeps its current setting.
    optional = {kind.key for kind in optional_kinds_for(user)}
    if enabled - optional:
        raise ValidationError("Rappel inconnu ou obligatoire : rechargez la page.")
    ReminderOptOut.objects.filter(email_key=email_key, kind__in=enabled).delete()
    for key in sorted(optional - enabled):
        ReminderOptOut.objects.get_or_create(email_key=email_key, kind=key)


# --- Forgetting ---------------------------------------------------------------------------------


def reminder_logs_forget(*, now: datetime.datetime | None = None) -> int:
    """Erase the address (and the last error, which may quote it) of reminders decided more than
    ``REMINDER_LOG_RETENTION_DAYS`` ago and no longer pending; return how many rows.

    What stays answers the log's purpose: which reminder of which object went out when, and the
    address's key, which keeps the same reminder from being sent twice. Idempotent.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.REMINDER_LOG_RETENTION_DAYS)
    return (
        ReminderLog.objects.filter(created_at__lt=cutoff)
        .exclude(status__in=[ReminderStatus.PENDING, ReminderStatus.SENDING])
        .exclude(recipient="", recipient_name="", last_error="")
        .update(recipient="", recipient_name="", last_error="")
    )
