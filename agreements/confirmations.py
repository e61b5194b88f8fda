"""What the confirmation step of a contract's action says will happen, before it happens.

Kept beside the views that show them (``partnership.viewutils.render_confirmation``), out of the view
module: each names the people and the documents the action reaches.
"""

from partnership.viewutils import Confirmation

from .models import PartnershipContract


def send_for_signature_confirmation(contract: PartnershipContract) -> Confirmation:
    """« Envoyer à la signature »: who receives an e-mail, what is frozen, what comes next."""
    parties = list(contract.parties.select_related("collectivity").order_by("pk"))
    signers = [
        f"{party.signatory_name} ({party.signatory_function}, {party.collectivity.name}) à {party.signatory_email}"
        for party in parties
    ]
    delegate = contract.delegate
    delegate_label = delegate.get_full_name() or delegate.email if delegate else "le délégué régional"
    return Confirmation(
        title=f"Envoyer « {contract.title} » à la signature\u00a0?",
        consequences=[
            (
                "Un e-mail part aussitôt, avec un lien personnel de signature, "
                + ("à chaque signataire : " if len(signers) > 1 else "au signataire : ")
                + " ; ".join(signers)
                + "."
            ),
            "Le contrat reçoit sa référence définitive et son PDF est figé : c'est ce document exact, "
            "avec son empreinte, que les signataires liront et signeront.",
            "Le contrat ne peut plus être modifié ; pour le corriger, il faudra le retirer de la signature, "
            "ce qui annule les liens envoyés.",
            f"Une fois toutes les collectivités signataires, {delegate_label} contresigne pour la délégation.",
        ],
        confirm_label="Oui, envoyer à la signature",
        cancel_url=contract.get_absolute_url(),
    )
