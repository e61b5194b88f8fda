"""The core's choices: roles, kinds of collectivité, history actions and the other labels users read."""

from django.db import models


class Role(models.TextChoices):
    NATIONAL_STAFF = "national_staff", "Agent CNFPT (national)"
    DELEGATION_STAFF = "delegation_staff", "Agent de délégation régionale CNFPT"
    AMF_STAFF = "amf_staff", "Agent AMF"
    SIGNATORY = "signatory", "Signataire de collectivité"
    HR_CONTACT = "hr_contact", "Référent RH de collectivité"
    SPEAKER = "speaker", "Intervenant"


# Roles staff may invite: the people of a collectivité.
INVITABLE_ROLES = (Role.HR_CONTACT, Role.SIGNATORY)


class SignatoryFunction(models.TextChoices):
    MAYOR = "maire", "Maire"
    PRESIDENT = "president", "Président(e)"


class CollectivityKind(models.TextChoices):
    COMMUNE = "commune", "Commune"
    EPCI = "epci", "EPCI"


class EpciType(models.TextChoices):
    CC = "CC", "Communauté de communes"
    CA = "CA", "Communauté d'agglomération"
    CU = "CU", "Communauté urbaine"
    METRO = "METRO", "Métropole"
    MET69 = "MET69", "Métropole de Lyon"


class Zone(models.TextChoices):
    METRO = "metro", "Métropole"
    DROM = "drom", "Outre-mer (DROM)"


class CollectivityUse(models.TextChoices):
    """What a collectivité is picked for: the Paris rule bites on the first two, not on events."""

    CONTRACT_PARTY = "contract_party", "Partie à un contrat de partenariat"
    EMPLOYER = "employer", "Employeur d'un agent inscrit à une formation"
    EVENT = "event", "Collectivité d'un participant à un événement"


class HistoryAction(models.TextChoices):
    """What an entry of the action log says was done (``partnership.history``); ``subject`` says to what."""

    CREATED = "created", "Création"
    UPDATED = "updated", "Modification"
    PUBLISHED = "published", "Publication"
    CANCELLED = "cancelled", "Annulation"
    STATUS_CHANGED = "status_changed", "Changement de statut"
    DELIVERED = "delivered", "Livraison"
    ERASED = "erased", "Effacement des données personnelles"
    ADDED = "added", "Ajout"
    REMOVED = "removed", "Retrait"
    ATTACHED = "attached", "Document joint"
    REGISTERED = "registered", "Inscription"
    REGISTRATION_CANCELLED = "registration_cancelled", "Annulation d'inscription"
    PROMOTED = "promoted", "Sortie de la liste d'attente"
    CHECKED_IN = "checked_in", "Pointage des présences"
    ATTENDANCE = "attendance", "Émargement"


class AccessRequestStatus(models.TextChoices):
    """Where a request for access made after a ProConnect login stands (``partnership.proconnect``)."""

    PENDING = "pending", "En attente"
    ACCEPTED = "accepted", "Acceptée"
    REFUSED = "refused", "Refusée"


class AccessRequestAudience(models.TextChoices):
    """Who decides a request for access, by the requester's SIRET."""

    COLLECTIVITY = "collectivity", "Délégation couvrant la collectivité"
    CNFPT = "cnfpt", "Agents nationaux du CNFPT (demande d'un agent du CNFPT)"
    AMF = "amf", "Agents nationaux du CNFPT (demande d'un agent de l'AMF)"


class ImportStatus(models.TextChoices):
    """Where an import handed to a worker stands (« Mes imports »): all or nothing, whatever the outcome."""

    PENDING = "pending", "En attente"
    RUNNING = "running", "En cours"
    DONE = "done", "Importé"
    REFUSED = "refused", "Refusé"  # the file has errors: nothing written, the report lists them
    FAILED = "failed", "Échec"  # a technical failure: nothing written
