"""The contracts' and axis 5's blocks of the « À faire » page (``partnership.todo_registry``), built on the
selectors of ``agreements``, ``agreements.signing`` and ``agreements.axis5``."""

from django.conf import settings
from django.utils import timezone

from partnership import permissions
from partnership.text import french_date
from partnership.todo_registry import Block, Item, link_to, register

from . import selectors
from .axis5 import selectors as axis5_selectors
from .enums import ContractStatus, InternshipStatus, SignatureRequestStatus
from .services.lifecycle import readiness_problems
from .signing import selectors as signing_selectors


def _contract_label(contract) -> str:
    names = ", ".join(party.collectivity.name for party in contract.parties.all())
    reference = contract.reference or "Brouillon"
    return f"{reference} – {contract.title}" + (f" ({names})" if names else "")


def _draft_item(contract) -> Item:
    problems = readiness_problems(contract)
    notes = [f"À compléter : {problem}" for problem in problems] or ["Prêt : il peut être envoyé à la signature."]
    return Item(_contract_label(contract), contract.get_absolute_url(), notes)


def _signature_problem(request, now) -> tuple[str, bool]:
    if request.status == SignatureRequestStatus.DECLINED:
        return f"Refusée : « {request.decline_reason} »", True
    if request.status == SignatureRequestStatus.EXPIRED:
        return "Lien expiré : remplacez le signataire ou remettez le contrat en brouillon.", True
    if request.locked_at is not None:
        return "Lien bloqué après plusieurs codes erronés : renvoyez un lien.", True
    if request.expires_at <= now:
        return "Lien expiré.", True
    return f"Le lien expire le {french_date(timezone.localtime(request.expires_at), 'j F Y à H:i')}.", False


def _signature_item(request) -> Item:
    note, warning = _signature_problem(request, timezone.now())
    contract = request.contract
    label = f"{contract.reference or 'Brouillon'} – {contract.title} : {request.signer_name}"
    return Item(label, contract.get_absolute_url(), [note], warning=warning)


def _to_sign_item(contract) -> Item:
    notes = []
    if contract.submitted_at:
        notes.append(f"Envoyé à la signature le {french_date(timezone.localtime(contract.submitted_at))}.")
    notes.append("Le lien personnel de signature vous a été envoyé par e-mail.")
    return Item(_contract_label(contract), contract.get_absolute_url(), notes)


def _signed_item(contract) -> Item:
    return Item(
        _contract_label(contract),
        contract.get_absolute_url(),
        [f"Signé le {french_date(timezone.localtime(contract.signed_at))} – {contract.delegation.name}"],
    )


def _countersign_item(contract) -> Item:
    return Item(
        _contract_label(contract),
        contract.get_absolute_url(),
        ["Toutes les collectivités ont signé : le contrat attend votre contre-signature."],
    )


def _internship_item(internship) -> Item:
    today = timezone.localdate()
    if internship.status == InternshipStatus.PLANNED:
        late = internship.start_date < today
        note = f"Stage {'prévu depuis' if late else 'débutant'} le {french_date(internship.start_date)}"
    else:
        late = internship.end_date < today
        note = f"Stage {'terminé' if late else 'se terminant'} le {french_date(internship.end_date)} : à clôturer"
    return Item(
        f"Stage INET – {internship.student_name} : {internship.subject}",
        internship.get_absolute_url(),
        [note],
        warning=late,
    )


def _study_item(study) -> Item:
    late = study.due_on < timezone.localdate()
    note = f"{'En retard : échéance' if late else 'Échéance'} le {french_date(study.due_on)}"
    return Item(f"Étude – {study.subject}", study.get_absolute_url(), [note], warning=late)


def _axis5_item(obj) -> Item:
    return _internship_item(obj) if hasattr(obj, "student_name") else _study_item(obj)


def _contracts(label: str, status: str = ""):
    return link_to(label, "agreements:contract_list", f"?status={status}" if status else "")


register(
    Block(
        key="to_sign",
        title="Contrats à signer",
        position=10,
        applies_to=permissions.is_signatory,
        objects=signing_selectors.contracts_to_sign,
        item=_to_sign_item,
        empty="Aucun contrat n'attend votre signature.",
        next_step=link_to("Voir vos contrats", "agreements:my_contracts"),
        more=link_to("Vos contrats", "agreements:my_contracts"),
    )
)
register(
    Block(
        key="countersign",
        title="Contrats à contresigner",
        position=20,
        # A contract names its countersignatory: usually the délégué(e), whom the form proposes, but
        # staff may choose another agent of the delegation, who then sees the block while a contract waits.
        applies_to=permissions.can_manage_contracts,
        shown_when_empty=selectors.is_regional_delegate,
        objects=signing_selectors.contracts_awaiting_countersignature,
        item=_countersign_item,
        empty="Aucun contrat n'attend votre contre-signature.",
        next_step=_contracts("Suivre les contrats en cours de signature", ContractStatus.READY_FOR_SIGNATURE),
        more=link_to("Tous les contrats à contresigner", "agreements:countersign_list"),
    )
)
register(
    Block(
        key="drafts",
        title="Brouillons de contrat",
        position=30,
        applies_to=permissions.is_delegation_staff,
        objects=selectors.drafts_to_complete,
        item=_draft_item,
        empty="Aucun brouillon en cours.",
        next_step=link_to("Rédiger un contrat", "agreements:contract_create"),
        more=_contracts("Tous les brouillons", ContractStatus.DRAFT),
    )
)
register(
    Block(
        key="signatures",
        title="Signatures bloquées, expirant ou refusées",
        position=40,
        applies_to=permissions.is_delegation_staff,
        objects=signing_selectors.signature_requests_needing_attention,
        item=_signature_item,
        empty="Aucune signature en difficulté.",
        next_step=_contracts("Suivre les contrats en cours de signature", ContractStatus.READY_FOR_SIGNATURE),
        more=_contracts("Tous les contrats"),
    )
)
register(
    Block(
        key="axis5_due",
        title="Stages et études à échéance",
        position=50,
        applies_to=permissions.can_read_everything,
        objects=lambda user: [axis5_selectors.internships_due(user), axis5_selectors.studies_due(user)],
        item=_axis5_item,
        empty=f"Aucun stage ni aucune étude à échéance dans les {settings.AXIS5_DUE_HORIZON_DAYS} prochains jours.",
        next_step=link_to("Voir les stages et les études", "axis5:internship_list"),
        more=link_to("Stages et études", "axis5:internship_list"),
    )
)
register(
    Block(
        key="latest_signed",
        title="Derniers contrats signés",
        position=110,
        applies_to=permissions.can_read_everything,
        objects=selectors.signed_contracts,
        item=_signed_item,
        empty="Aucun contrat signé pour l'instant.",
        next_step=_contracts("Voir les contrats"),
        more=_contracts("Contrats en vigueur", ContractStatus.ACTIVE),
        actionable=False,
    )
)
register(
    Block(
        key="signed",
        title="Contrats signés",
        position=110,
        applies_to=permissions.is_signatory,
        objects=selectors.signed_contracts,
        item=_signed_item,
        empty="Aucun contrat signé pour l'instant.",
        more=link_to("Vos contrats", "agreements:my_contracts"),
        actionable=False,
    )
)
