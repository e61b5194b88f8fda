"""Rules of the directory that the other apps' services apply.

The Paris rule lives here once: the contract and registration services call
``collectivity_check_covered_by_cnfpt``; the forms, the picker and the admin forms call the same function,
so that the user reads the same message at every door.
"""

from django.core.exceptions import ValidationError

from .enums import CollectivityUse
from .models import Collectivity

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
