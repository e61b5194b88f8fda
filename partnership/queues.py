"""Waiting lists: the one definition of a place in a queue, for the sessions' and the events' registrations."""

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce


def with_queue_position(registrations: QuerySet, *, parent: str, waiting: str) -> QuerySet:
    """Annotate ``waiting_position``: 1 for the next to get a place, ``None`` for a row not waiting.

    First registered, first promoted (``created_at``, then ``pk``), as the services promote. Counted
    over the whole queue of the row's ``parent`` (session, event), not over the rows the viewer may
    see. One correlated subquery, so a list of any length stays one query.
    """
    ahead = registrations.model.objects.filter(**{parent: OuterRef(parent), "status": waiting}).filter(
        Q(created_at__lt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), pk__lte=OuterRef("pk"))
    )
    counted = ahead.order_by().values(parent).annotate(n=Count("pk")).values("n")
    position = Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
    return registrations.annotate(
        waiting_position=Case(When(status=waiting, then=position), default=None, output_field=IntegerField())
    )
