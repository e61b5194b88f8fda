"""Whose agents a session takes: the rule of the action's mode, decided once for every door.

An intra action is given for the collectivité of its contract, an action in union for the collectivités
of its contract: their sessions take the agents of those collectivités only. An inter action (the
catalogue) takes any collectivité the CNFPT covers (the Paris rule is ``collectivity_check_covered_by_cnfpt``).
"""

from django.core.exceptions import ValidationError

from agreements.models import ContractParty
from partnership.models import Collectivity
from partnership.text import place_with_of

from .enums import ActionMode
from .models import Session


def session_check_employer(*, session: Session, employer: Collectivity) -> None:
    """Refuse ``employer``'s agent on an intra or union session of another collectivité's contract."""
    action = session.action
    if action.mode == ActionMode.INTER or action.programme_line_id is None:
        return
    parties = _contract_parties(action)
    if any(party.collectivity_id == employer.pk for party in parties):
        return
    names = ", ".join(party.collectivity.name for party in parties)
    if action.mode == ActionMode.INTRA:
        reserved = f"aux agents {place_with_of(names)}" if len(parties) == 1 else f"aux agents de : {names}"
        kind = "intra"
    else:
        reserved = f"aux agents des collectivités de son contrat ({names})"
        kind = "en union de collectivités"
    raise ValidationError(
        f"Cette session {kind} est réservée {reserved} : {employer.name} n'est pas partie à son contrat. "
        "Ses agents s'inscrivent aux sessions du catalogue (inter)."
    )


def _contract_parties(action) -> list[ContractParty]:
    # Read once per action object: a batch checks each of its lines against the same parties.
    if not hasattr(action, "_contract_parties"):
        action._contract_parties = list(
            ContractParty.objects.filter(contract__programme_lines=action.programme_line_id)
            .select_related("collectivity")
            .order_by("pk")
        )
    return action._contract_parties
