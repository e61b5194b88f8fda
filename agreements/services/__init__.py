"""Every write and state change of partnership contracts: ``drafting``, ``rows`` and ``lifecycle``.

``drafting``: a draft, its checks, its reference; ``rows``: its parties and programme lines; ``lifecycle``:
signature, force, end, amendments, documents.

The lifecycle (DESIGN.md): draft → ready for signature → signed by the collectivité → signed →
active (from its start date) → expired or terminated. A contract may go back to draft while
signatures are pending (a signer declined, or the delegation withdraws it). Each change of state
is a conditional UPDATE on the expected state, so two concurrent actors cannot both win, and is
recorded in the append-only ``ContractTransition`` history. Edits of a draft (its fields, parties
and programme lines), amendments that move the end date and attachments go in the action log
(``partnership.history``), which the contract page shows beside its transitions.
"""

# Kept for the modules of the work on tasks and datasets (issue #25), which import them from here:
# ``agreements/tasks.py`` and ``stats/management/commands/generate_dataset.py``.
from .drafting import default_end_date
from .lifecycle import contracts_update_periods

__all__ = ["contracts_update_periods", "default_end_date"]
