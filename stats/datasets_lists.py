"""Rows of the list datasets: what a signed-in user sees in the interface, streamed for export.

Each function takes the requester and an optional delegation, reads through the selector that
scopes the interface (nothing outside the user's scope can appear) and yields plain dicts keyed
like the dataset's columns in ``stats.registry``. Rows are fetched in chunks (a server-side cursor
on PostgreSQL), so an export of a million rows holds a few thousand in memory at a time.
"""

from collections.abc import Iterator

CHUNK = 2000


def contract_rows(*, user, delegation_id: int | None = None) -> Iterator[dict]:
    from agreements.selectors import contract_list

    contracts = contract_list(user).order_by("delegation__name", "reference", "pk")
    if delegation_id is not None:
        contracts = contracts.filter(delegation_id=delegation_id)
    for contract in contracts.iterator(chunk_size=CHUNK):
        yield {
            "reference": contract.reference or "",
            "title": contract.title,
            "delegation": contract.delegation.name,
            "status": contract.get_status_display(),
            "start_date": contract.start_date,
            "end_date": contract.end_date,
            "parties": ", ".join(party.collectivity.name for party in contract.parties.all()),
        }
