"""Thin Celery adapters of signing: take ids, re-fetch, call one service. Dispatched with transaction.on_commit.

Each is named after this module; the name it had when it lived in ``agreements/tasks.py`` stays registered as
an alias (``agreements.signing.task_names.ALIASES``): tasks already queued or kept in the outbox still run."""

import smtplib

from celery import Task
from celery.utils.time import get_exponential_backoff_interval

from partnership.task_aliases import task

from ..models import PartnershipContract
from . import archive, services, task_names
from .emails import send_delegation_notice, send_final_document, send_signature_link
from .models import SignatureRequest
from .selectors import final_document_of

# Transient delivery problems are retried with backoff; anything else fails visibly.
MAIL_ERRORS = (smtplib.SMTPException, OSError)


@task(
    name=task_names.SIGNATURE_REQUEST_SEND_LINK,
    aliases=task_names.ALIASES,
    autoretry_for=MAIL_ERRORS,
    retry_backoff=30,
    retry_backoff_max=1800,
    max_retries=8,
)
def signature_request_send_link(request_id: int, reminder: bool = False) -> bool:
    issued = services.signature_request_issue_link(request_id=request_id, reminder=reminder)
    if issued is None:
        return False
    request, token = issued
    # If sending fails, the retry issues a fresh link: the one in a lost e-mail never works.
    send_signature_link(request, token, reminder=reminder)
    services.signature_request_link_delivered(request=request, reminder=reminder)
    return True


@task(
    name=task_names.SIGNATURE_NOTIFY_DELEGATION,
    aliases=task_names.ALIASES,
    autoretry_for=MAIL_ERRORS,
    retry_backoff=30,
    max_retries=8,
)
def signature_notify_delegation(request_id: int, kind: str) -> None:
    request = SignatureRequest.objects.select_related("contract__delegation").get(pk=request_id)
    send_delegation_notice(request, kind)


# Sealing fails for reasons that pass (storage, database, a worker short of memory) and for reasons
# someone must fix (the seal's certificate): retried after 1, 2, 4, 8 then 16 minutes, after which
# the contract shows the failure and the periodic sweep takes over.
FINALIZE_MAX_RETRIES = 5
FINALIZE_BACKOFF_SECONDS = 60
FINALIZE_BACKOFF_MAX_SECONDS = 3600


class FinalizeTask(Task):
    def apply(self, *args, throw=None, **kwargs):
        # Eager mode (development without Redis, tests): Celery replays a retry in-process only when
        # the retry is not propagated as an error; propagated, it would reach the délégué's page
        # as a server error although the countersignature is recorded.
        return super().apply(*args, throw=False if throw is None else throw, **kwargs)


@task(
    name=task_names.CONTRACT_FINALIZE,
    aliases=task_names.ALIASES,
    base=FinalizeTask,
    bind=True,
    acks_late=True,
    max_retries=FINALIZE_MAX_RETRIES,
)
def contract_finalize(self, contract_id: int) -> bool:
    try:
        return services.contract_finalize(contract_id=contract_id) is not None
    except Exception as exc:
        if self.request.retries >= self.max_retries:
            services.contract_sealing_failed(contract_id=contract_id)
            return False
        countdown = get_exponential_backoff_interval(
            FINALIZE_BACKOFF_SECONDS, self.request.retries, FINALIZE_BACKOFF_MAX_SECONDS, full_jitter=False
        )
        raise self.retry(exc=exc, countdown=countdown) from exc


@task(name=task_names.CONTRACTS_FINALIZE_MISSING, aliases=task_names.ALIASES)
def contracts_finalize_missing() -> int:
    return services.contracts_finalize_missing()


@task(
    name=task_names.CONTRACT_SEND_FINAL_DOCUMENT,
    aliases=task_names.ALIASES,
    autoretry_for=MAIL_ERRORS,
    retry_backoff=30,
    max_retries=8,
)
def contract_send_final_document(contract_id: int) -> None:
    contract = PartnershipContract.objects.select_related("delegation").get(pk=contract_id)
    document = final_document_of(contract)
    if document is not None:
        send_final_document(contract, document)


@task(name=task_names.SIGNATURES_EXPIRE, aliases=task_names.ALIASES)
def signatures_expire() -> dict:
    return services.signatures_expire()


@task(name=task_names.SEALS_RENEW_TIMESTAMPS, aliases=task_names.ALIASES)
def seals_renew_timestamps() -> dict:
    # One run at a time does the work: each seal is claimed by a conditional UPDATE before it is renewed.
    return archive.seals_renew_timestamps()
