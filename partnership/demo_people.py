"""The demo's statement that its people are fictional: shown on the login page (``{% fictional_people %}``)
and by ``seed_demo``. A module of its own, importing nothing, so that the template tag loads no feature app."""

FICTIONAL_PEOPLE = (
    "Toutes les personnes de la démonstration sont fictives (comptes, maires signataires, agents, "
    "participants, intervenants, élèves) : toute ressemblance avec une personne réelle serait fortuite."
)
