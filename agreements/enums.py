"""The agreements' choices: contracts' statuses (and which commit the delegation), signature requests, seals, audit events, axis 5."""

from django.db import models


class InternshipStatus(models.TextChoices):
    PLANNED = "planned", "Prévu"
    IN_PROGRESS = "in_progress", "En cours"
    COMPLETED = "completed", "Terminé"
    CANCELLED = "cancelled", "Annulé"


class StudyStatus(models.TextChoices):
    REQUESTED = "requested", "Demandée"
    IN_PROGRESS = "in_progress", "En cours"
    DELIVERED = "delivered", "Livrée"
    CANCELLED = "cancelled", "Abandonnée"


class ContractStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    READY_FOR_SIGNATURE = "ready_for_signature", "En cours de signature"  # sent: the signers have their links
    SIGNED_BY_COLLECTIVITY = "signed_by_collectivity", "Signé par la collectivité"
    SIGNED = "signed", "Signé"
    ACTIVE = "active", "En vigueur"
    EXPIRED = "expired", "Échu"
    TERMINATED = "terminated", "Résilié"


# Statuses in which a contract's programme commits its delegation: signed, in force, or past (expired
# or terminated). The statistics count planned and delivered trainee-days against these contracts only.
COMMITTED_STATUSES = (
    ContractStatus.SIGNED,
    ContractStatus.ACTIVE,
    ContractStatus.EXPIRED,
    ContractStatus.TERMINATED,
)

# Statuses in which a contract binds its parties (used for the overlap rule).
BINDING_STATUSES = (
    ContractStatus.READY_FOR_SIGNATURE,
    ContractStatus.SIGNED_BY_COLLECTIVITY,
    ContractStatus.SIGNED,
    ContractStatus.ACTIVE,
)


# Statuses of a contract the délégué has countersigned: its final sealed PDF is due.
COUNTERSIGNED_STATUSES = (
    ContractStatus.SIGNED,
    ContractStatus.ACTIVE,
    ContractStatus.EXPIRED,
    ContractStatus.TERMINATED,
)


class SealingStatus(models.TextChoices):
    PENDING = "pending", "PDF signé en préparation"
    FAILED = "failed", "Échec du scellement du PDF signé"
    SEALED = "sealed", "PDF signé et scellé"


class TimestampRenewalStatus(models.TextChoices):
    IDLE = "", "À jour"
    RUNNING = "running", "Renouvellement en cours"
    FAILED = "failed", "Échec du renouvellement de l'horodatage"


class ActionFamily(models.TextChoices):
    HR_SUPPORT = "hr_support", "Accompagnement en ressources humaines"
    DEVELOPMENT_PROJECTS = "development_projects", "Projet national et projets régionaux de développement du CNFPT"


class DocumentKind(models.TextChoices):
    FOR_SIGNATURE = "for_signature", "Document soumis à signature"
    SIGNED = "signed", "Contrat signé"
    ATTACHMENT = "attachment", "Pièce jointe"


class SignerRole(models.TextChoices):
    COLLECTIVITY = "collectivity", "Collectivité"
    DELEGATION = "delegation", "Délégation (contre-signature)"


class SignatureRequestStatus(models.TextChoices):
    WAITING = "waiting", "En attente des signatures précédentes"
    SENT = "sent", "Envoyée"
    SIGNED = "signed", "Signée"
    DECLINED = "declined", "Refusée"
    EXPIRED = "expired", "Expirée"
    CANCELLED = "cancelled", "Annulée"
    REPLACED = "replaced", "Remplacée (autre signataire)"


OPEN_REQUEST_STATUSES = (SignatureRequestStatus.WAITING, SignatureRequestStatus.SENT)


class AuditEventKind(models.TextChoices):
    SENT = "sent", "Demande envoyée"
    OPENED = "opened", "Lien ouvert"
    CODE_SENT = "code_sent", "Code envoyé"
    CODE_VERIFIED = "code_verified", "Code vérifié"
    CODE_FAILED = "code_failed", "Code erroné"
    LOCKED = "locked", "Lien bloqué"
    SIGNED = "signed", "Signé"
    DECLINED = "declined", "Refusé"
    REMINDED = "reminded", "Relance envoyée"
    EXPIRED = "expired", "Expiré"
    CANCELLED = "cancelled", "Annulé"
    REPLACED = "replaced", "Signataire remplacé"
    COMPLETED = "completed", "Toutes les signatures recueillies"
    SEALED = "sealed", "Document final scellé"
    TIMESTAMP_RENEWED = "timestamp_renewed", "Horodatage d'archivage renouvelé"
