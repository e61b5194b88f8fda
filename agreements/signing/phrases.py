"""What signing says, decided once: the consent sentence, the subjects of its e-mails, the titles of its documents
and the sentences its services and pages share.

The consent sentence is the one the signer ticks, on the portal as in the application (the délégué's
countersignature), and the one the audit trail records with the signature.
"""

from partnership.text import lower_first

from ..enums import SignerRole

NBSP = "\u00a0"

# The refusal of every step after the code (portal and application doors, the signing services), while this
# browser session has not confirmed the signer's identity.
IDENTITY_FIRST = "Confirmez d'abord votre identité avec le code reçu par e-mail."
# The function of a délégué(e) whose account names none.
DELEGATE_FUNCTION = "Délégué(e) régional(e)"


def document_for_signature_title(contract) -> str:
    """The title of the document presented for signature, in the contract's documents."""
    return f"Contrat {contract.reference} – version soumise à signature"


def signed_document_title(contract) -> str:
    """The title of the sealed final PDF, in the contract's documents (its renewals add their date)."""
    return f"Contrat {contract.reference} signé et scellé"


def seal_reason(contract) -> str:
    """The reason the platform's seal gives, shown by PDF readers beside the signature."""
    return f"Contrat {contract.reference} signé électroniquement"


def wrong_code(attempts_left: int) -> str:
    """The refusal of a wrong one-time code, with the attempts left before the link is locked."""
    return f"Code incorrect. Il vous reste {attempts_left} essai{'s' if attempts_left > 1 else ''}."


def signer_capacity(request) -> str:
    """The signer's function as it reads after « en qualité de »: « maire », « délégué régional ».

    A request created from the contract stores « Maire, Trifouilly » (the function, then the
    collectivité or « CNFPT – Délégation … ») for the audit trail; a signer handed over by the
    delegation has the function it typed (« premier adjoint, par délégation du maire »).
    """
    function = request.signer_function.strip()
    if request.role == SignerRole.DELEGATION:
        function = function.removesuffix(f", CNFPT – {request.contract.delegation.name}")
    elif request.party_id:
        function = function.removesuffix(f", {request.party.collectivity.name}")
    return lower_first(function.strip())


def on_behalf_of(request) -> str:
    """« la commune de Trifouilly », « la communauté de communes du Pays de Fayence », « du CNFPT, … »:
    who the signer commits, after « au nom de »."""
    if request.role == SignerRole.DELEGATION:
        return f"du CNFPT, {lower_first(request.contract.delegation.name)}"
    return f"de {request.party.collectivity.designation}"


def consent_statement(request) -> str:
    """The sentence the signer ticks before signing, fitted to who signs and for whom.

    « J'ai lu le contrat CP-2026-0042 et j'accepte de le signer électroniquement au nom de la commune
    de Trifouilly, en qualité de maire. » The délégué(e) countersigns « au nom du CNFPT, délégation
    Auvergne-Rhône-Alpes, en qualité de délégué régional ».
    """
    verb = "contresigner" if request.role == SignerRole.DELEGATION else "signer"
    capacity = signer_capacity(request)
    in_capacity = f", en qualité de {capacity}" if capacity else ""
    return (
        f"J'ai lu le contrat {request.contract.reference} et j'accepte de le {verb} électroniquement "
        f"au nom {on_behalf_of(request)}{in_capacity}."
    )


def _parties_label(contract) -> str:
    names = [party.collectivity.name for party in contract.parties.all()]
    if len(names) <= 2:
        return " et ".join(names)
    others = len(names) - 1
    return f"{names[0]} et {others}{NBSP}autres collectivités"


def contract_subject(contract, what: str, *, prefix: str = "") -> str:
    """The subject of every signing e-mail names the contract: reference, title, collectivité(s).

    « Contrat CP-2026-0042 « Formation des agents » – Trifouilly : votre code de signature »
    """
    title = f"«{NBSP}{contract.title}{NBSP}»"
    parties = _parties_label(contract)
    named = f"Contrat {contract.reference} {title}" + (f" – {parties}" if parties else "")
    return f"{prefix}{named}{NBSP}: {what}"
