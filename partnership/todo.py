"""The core's block of the « À faire » page (``partnership.todo_registry``): the requests for access that wait
for the user's decision (ProConnect logins of people without an account, ``partnership.proconnect``)."""

from django.urls import reverse
from django.utils import timezone

from . import permissions
from .proconnect.config import is_enabled as proconnect_is_enabled
from .proconnect.selectors import access_requests_pending_for
from .text import french_date
from .todo_registry import Block, Item, link_to, register


def _access_request_item(access_request) -> Item:
    organisation = access_request.collectivity.name if access_request.collectivity else access_request.siret
    made_on = french_date(timezone.localtime(access_request.created_at), "j F Y")
    return Item(
        f"{access_request.full_name} – {organisation}",
        reverse("access_request_detail", args=[access_request.pk]),
        [f"{access_request.function} · demandée le {made_on}"],
    )


register(
    Block(
        key="access_requests",
        title="Demandes d'accès",
        position=25,  # after « Contrats à contresigner », before the drafts
        applies_to=permissions.can_manage_accounts,
        objects=access_requests_pending_for,
        item=_access_request_item,
        empty="Aucune demande d'accès en attente.",
        more=link_to("Toutes les demandes d'accès", "access_request_list"),
        # Requests arrive by ProConnect only: without it, the block shows only what is left to decide.
        shown_when_empty=lambda user: proconnect_is_enabled(),
    )
)
