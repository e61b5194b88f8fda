"""Thin Celery adapters: take ids, re-fetch, call one service. Dispatched with transaction.on_commit."""

import smtplib

from celery import shared_task

# Transient delivery problems are retried with backoff; anything else fails visibly.
MAIL_ERRORS = (smtplib.SMTPException, OSError)


@shared_task(autoretry_for=MAIL_ERRORS, retry_backoff=30, retry_backoff_max=1800, max_retries=8)
def signature_request_send_link(request_id: int, reminder: bool = False) -> bool:
    from .emails import send_signature_link
    from .signing import signature_request_issue_link, signature_request_link_delivered

    issued = signature_request_issue_link(request_id=request_id, reminder=reminder)
    if issued is None:
        return False
    request, token = issued
    # If sending fails, the retry issues a fresh link: the one in a lost e-mail never works.
    send_signature_link(request, token, reminder=reminder)
    signature_request_link_delivered(request=request, reminder=reminder)
    return True


@shared_task(autoretry_for=MAIL_ERRORS, retry_backoff=30, max_retries=8)
def signature_notify_delegation(request_id: int, kind: str) -> None:
    from .emails import send_delegation_notice
    from .models import SignatureRequest

    request = SignatureRequest.objects.select_related("contract__delegation").get(pk=request_id)
    send_delegation_notice(request, kind)


@shared_task(max_retries=3, default_retry_delay=60)
def contract_finalize(contract_id: int) -> None:
    from .signing import contract_finalize as finalize

    finalize(contract_id=contract_id)


@shared_task(autoretry_for=MAIL_ERRORS, retry_backoff=30, max_retries=8)
def contract_send_final_document(contract_id: int) -> None:
    from .emails import send_final_document
    from .enums import DocumentKind
    from .models import PartnershipContract

    contract = PartnershipContract.objects.select_related("delegation").get(pk=contract_id)
    document = contract.documents.filter(kind=DocumentKind.SIGNED).order_by("-pk").first()
    if document is not None:
        send_final_document(contract, document)


@shared_task
def contracts_update_periods() -> dict:
    from .services import contracts_update_periods as update

    return update()


@shared_task
def signatures_expire() -> dict:
    from .signing import signatures_expire as run

    return run()
