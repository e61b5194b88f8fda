"""What a ProConnect login can end with besides success: a refusal with its French message, or a person
ProConnect vouches for who has no account yet."""

from dataclasses import asdict, dataclass

_RETRY = " Recommencez depuis le bouton « S'identifier avec ProConnect »."
_NOT_DONE = "La connexion avec ProConnect n'a pas abouti\u00a0: "

MESSAGES = {
    "state": _NOT_DONE
    + "la réponse reçue ne correspond à aucune connexion commencée dans ce navigateur (elle a peut-être expiré "
    "ou déjà servi)." + _RETRY,
    "code": _NOT_DONE + "ProConnect n'a pas confirmé cette connexion (autorisation expirée ou déjà utilisée)." + _RETRY,
    "nonce": _NOT_DONE + "l'identité reçue a été émise pour une autre connexion que la vôtre." + _RETRY,
    "expired": _NOT_DONE + "l'identité reçue a expiré ou n'est pas encore valable." + _RETRY,
    "signature": _NOT_DONE + "l'identité reçue ne porte pas une signature valide de ProConnect." + _RETRY,
    "audience": _NOT_DONE + "l'identité reçue était destinée à un autre service que celui-ci." + _RETRY,
    "issuer": _NOT_DONE + "l'identité reçue n'a pas été émise par ProConnect." + _RETRY,
    "userinfo_sub": _NOT_DONE + "les informations reçues ne concernent pas la personne identifiée." + _RETRY,
    "userinfo_unsigned": _NOT_DONE
    + "les informations reçues sur votre identité ne sont pas signées par ProConnect."
    + _RETRY,
    "claims": _NOT_DONE + "ProConnect n'a pas transmis votre adresse e-mail et votre SIRET, nécessaires ici.",
    "unavailable": "ProConnect ne répond pas pour le moment. Réessayez dans quelques minutes, ou connectez-vous avec "
    "votre adresse e-mail et votre mot de passe si votre compte en a un.",
    "cancelled": "La connexion avec ProConnect a été interrompue avant d'aboutir\u00a0: vous n'êtes pas connecté(e).",
    "inactive": "Ce compte est désactivé\u00a0: adressez-vous à votre délégation régionale du CNFPT.",
    "linked_elsewhere": "Votre compte est déjà relié à une autre identité ProConnect. Connectez-vous avec celle-ci, "
    "ou retirez ce lien depuis « Mon compte » avant d'en utiliser une autre.",
    "disabled": "La connexion avec ProConnect n'est pas proposée ici.",
}


class LoginRefused(Exception):
    """A ProConnect login refused: nothing is written and no session is opened. ``message`` says why, in French."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code
        self.message = MESSAGES[code]


@dataclass(frozen=True)
class VerifiedIdentity:
    """What ProConnect signed about the person: the ID token's ``sub`` and ``acr``, the userinfo's claims."""

    sub: str
    email: str
    given_name: str
    usual_name: str
    siret: str
    acr: str = ""

    def as_session(self) -> dict:
        return asdict(self)

    @classmethod
    def from_session(cls, data: dict) -> "VerifiedIdentity":
        return cls(**{name: data.get(name, "") for name in cls.__dataclass_fields__})


class UnknownIdentity(Exception):
    """ProConnect vouches for someone no account matches: they may ask for access (``views.access_request``)."""

    def __init__(self, identity: VerifiedIdentity):
        super().__init__(identity.sub)
        self.identity = identity
