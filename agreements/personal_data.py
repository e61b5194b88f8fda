"""What the agreements keep about people (``partnership.personal_data``): signatories, the signing proof, axis 5.

Kept, each for a stated reason: a signed contract must prove in ten years who agreed to what and when
(DESIGN.md, « Evidence that lasts »), so its signatories, the audit trail and the sealed PDF stay
with it and go to the public archives by their own rules, not by this application's clock.
"""

from partnership.personal_data import KEPT, NOT_PERSONAL, Category, declare, register_category

register_category(
    Category(
        "signatures",
        "Contrats de partenariat et leur signature",
        "Signataires des collectivités et délégués du CNFPT\u00a0: nom, fonction, e-mail\u00a0; au moment de la "
        "signature, date et heure, adresse IP et navigateur\u00a0; motif d'un refus",
        "Mission d'intérêt public et obligation de preuve (art. 6-1-c et 6-1-e)",
        lambda: (
            "Durée du contrat, puis archivage selon les règles des archives publiques (la preuve de la signature "
            "doit rester vérifiable)"
        ),
        order=20,
    )
)
register_category(
    Category(
        "framework",
        "Accord-cadre et avenants",
        "Signataires du CNFPT et de l'AMF\u00a0: nom et fonction",
        "Mission d'intérêt public\u00a0: acte public (art. 6-1-e)",
        lambda: "Durée de l'accord-cadre, puis archivage selon les règles des archives publiques",
        order=25,
    )
)
register_category(
    Category(
        "axis5",
        "Stages INET et études pour l'AMF",
        "Élèves administrateurs\u00a0: nom, e-mail, promotion, tuteur, sujet, rapport\u00a0; auteurs et demandeurs "
        "des études",
        "Mission d'intérêt public (art. 6-1-e)",
        lambda: "Durée du stage ou de l'étude, puis archivage",
        order=55,
    )
)

PROOF = "Preuve de la signature : gardée avec le contrat, puis versée aux archives publiques."
declare(
    "agreements.ContractParty",
    ["signatory_name", "signatory_function", "signatory_email"],
    fate=KEPT,
    category="signatures",
    reason="Partie au contrat et son signataire : " + PROOF,
)
declare(
    "agreements.SignatureRequest",
    [
        "signer_name",
        "signer_email",
        "signer_function",
        "signed_name",
        "signed_function",
        "signed_ip",
        "signed_user_agent",
        "decline_reason",
    ],
    fate=KEPT,
    category="signatures",
    reason=PROOF,
)
declare(
    "agreements.AuditEvent",
    ["actor", "ip_address", "user_agent", "detail"],
    fate=KEPT,
    category="signatures",
    reason="Piste d'audit chaînée (HMAC) : " + PROOF,
)
declare(
    "agreements.ContractDocument",
    ["file"],
    fate=KEPT,
    category="signatures",
    reason="Document présenté à la signature et PDF scellé : " + PROOF,
)
declare(
    "agreements.ContractTransition",
    ["actor_label", "comment"],
    fate=KEPT,
    category="signatures",
    reason="Qui, du personnel, a fait changer le contrat d'état, et pourquoi : gardé avec le contrat.",
)
declare(
    "agreements.PartnershipContract",
    ["objectives", "specific_clauses", "termination_reason", "sealing_error"],
    fate=NOT_PERSONAL,
    reason="Texte du contrat et état technique de son scellement.",
)
declare(
    "agreements.ContractSeal",
    ["timestamp_authority", "renewal_error"],
    fate=NOT_PERSONAL,
    reason="L'autorité d'horodatage du cachet et l'erreur technique de son dernier renouvellement.",
)
declare("agreements.ContractAmendment", ["summary"], fate=NOT_PERSONAL, reason="Objet d'un avenant à un contrat.")
declare(
    "agreements.FrameworkAgreement",
    ["cnfpt_signatory", "cnfpt_signatory_function", "amf_signatory", "amf_signatory_function", "document"],
    fate=KEPT,
    category="framework",
    reason="Signataires d'un acte public et le document signé.",
)
declare("agreements.FrameworkAgreement", ["preamble"], fate=NOT_PERSONAL, reason="Préambule de l'accord-cadre.")
declare("agreements.CollaborationAxis", ["description"], fate=NOT_PERSONAL, reason="Texte d'un axe de l'accord-cadre.")
declare("agreements.Amendment", ["summary", "document"], fate=KEPT, category="framework", reason="Avenant signé.")
declare(
    "agreements.Internship",
    ["student_name", "student_email", "tutor", "subject", "report"],
    fate=KEPT,
    category="axis5",
    reason="Le stage d'un élève administrateur : durée du stage, puis archivage.",
)
declare(
    "agreements.Study",
    ["requester", "authors", "subject", "deliverable"],
    fate=KEPT,
    category="axis5",
    reason="Une étude, ses auteurs et son demandeur : durée de l'étude, puis archivage.",
)
