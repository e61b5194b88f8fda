"""What a ProConnect authentication level (the ID token's ``acr``) proves, said in French for the evidence pages.

ProConnect's partner documentation: « certification-dirigeant » proves that the person leads their
organisation (a mayor, a president), and the eIDAS levels say how strongly they were authenticated.
"""

CERTIFIED_LEADER = "https://proconnect.gouv.fr/assurance/certification-dirigeant"

LEVELS = {
    CERTIFIED_LEADER: "qualité de dirigeant de son organisation certifiée par ProConnect (« certification dirigeant »)",
    "eidas1": "identité ProConnect, niveau de garantie eIDAS faible",
    "eidas2": "identité ProConnect, niveau de garantie eIDAS substantiel",
    "eidas3": "identité ProConnect, niveau de garantie eIDAS élevé",
}


def level_label(acr: str) -> str:
    """How the verification report names ``acr``; an unknown level is quoted as ProConnect gave it."""
    return LEVELS.get(acr, f"identité ProConnect, niveau « {acr} »")
