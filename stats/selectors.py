"""The statistics' reads that depend on who asks: their exports, their API token, the delegations whose
figures they may narrow the dashboard to. The figures themselves are ``stats.indicators``."""

from django.db.models import QuerySet
from rest_framework.authtoken.models import Token

from partnership import permissions
from partnership.models import Delegation
from partnership.text import french_sort_key

from .models import ExportRequest


def exports_of(user) -> QuerySet[ExportRequest]:
    """The exports ``user`` asked for: anybody else's look like they do not exist."""
    if not (user and user.is_authenticated):
        return ExportRequest.objects.none()
    return ExportRequest.objects.filter(requested_by=user)


def api_token_of(user) -> Token | None:
    """``user``'s token for the detailed API, if they made one."""
    return Token.objects.filter(user=user).first()


def delegation_choices(user) -> list[tuple[int, str]]:
    """Delegations whose figures ``user`` may narrow the dashboard to (1 query, none for the public)."""
    scope = permissions.delegation_scope(user)
    if scope is not None and not scope:
        return []
    delegations = Delegation.objects.order_by("name")
    if scope is not None:
        delegations = delegations.filter(pk__in=scope)
    return sorted(delegations.values_list("pk", "name"), key=lambda row: french_sort_key(row[1]))
