"""Who gets what on every URL of the project: one declared expectation per persona, checked against the views.

Columns: anonymous, then the personas of ``tests/conftest.py``: each role, and the same role in another
delegation (``other_delegation_staff``) or collectivité (``other_signatory``, ``other_hr_contact``). Every
object in the URLs belongs to ``delegation`` and ``commune`` (see ``world``), so the "other" personas show
that changing an id in a URL reaches nothing: 404, never 403 (an out-of-scope object does not exist).

The refusal rule: a role that may never use a page gets 403, the French error page (the page's gate,
``partnership.permissions``); an object outside the user's scope does not exist, 404; a visitor logged
out of a page that needs an account goes to the login page.

A URL pattern the matrix does not declare fails ``test_every_url_pattern_is_declared``: a new page must be
added here, with who may see it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver

from notifications.services import unsubscribe_token
from partnership.enums import AccessRequestAudience, Role
from partnership.models import AccessRequest, User
from tests.conftest import PERSONAS
from tests.security.conftest import EVENT_TOKEN
from trainings.convocation import convocation_url

COLUMNS = ["anonymous", *PERSONAS]
SHORT = {
    "anon": "anonymous",
    "N": "national_staff",
    "D": "delegation_staff",
    "OD": "other_delegation_staff",
    "A": "amf_staff",
    "S": "signatory",
    "OS": "other_signatory",
    "H": "hr_contact",
    "OH": "other_hr_contact",
    "SP": "speaker_user",
}
LOGIN = "login"  # 302 to the login page (the site's or the admin's)
REDIRECT = 302  # 302 anywhere else: an action done (or refused with a message) and back to its page


def expect(default, **overrides) -> dict:
    """``default`` for every persona, ``overrides`` by short name (anon, N, D, OD, A, S, OS, H, OH, SP)."""
    unknown = set(overrides) - set(SHORT)
    assert not unknown, unknown
    table = dict.fromkeys(COLUMNS, default)
    table.update({SHORT[key]: value for key, value in overrides.items()})
    return table


def logged_in(default, **overrides) -> dict:
    """Like ``expect``, with anonymous sent to the login page."""
    return expect(default, **{"anon": LOGIN, **overrides})


EVERYONE = expect(200)
# Scoped to delegation staff of ``delegation`` (and national staff): the "other" personas get 404.
CONTRACT_ACTION = logged_in(403, N=REDIRECT, D=REDIRECT, OD=404)
EVENT_MANAGE_PAGE = logged_in(403, N=200, D=200, OD=404)
EVENT_MANAGE_ACTION = logged_in(403, N=REDIRECT, D=REDIRECT, OD=404)
CONTRACT_READ = logged_in(403, N=200, D=200, A=200, S=200, OD=404, OS=404)
TRAINING_MANAGE_PAGE = logged_in(403, N=200, D=200, OD=404)
TRAINING_MANAGE_ACTION = logged_in(403, N=REDIRECT, D=REDIRECT, OD=404)
# Trainers take attendance too, of the sessions they train (not this one).
ATTENDANCE_PAGE = logged_in(403, N=200, D=200, OD=404, SP=404)
# CNFPT staff and HR contacts register agents; the HR contact of another collectivité does not see the session.
REGISTER_AGENTS = logged_in(403, N=200, D=200, H=200, OD=404, OH=404)
# A registration form posted empty: the page again with its errors, 400.
REGISTER_AGENTS_REFUSED = logged_in(403, N=400, D=400, H=400, OD=404, OH=404)
AXIS5_READ = logged_in(403, N=200, D=200, OD=200, A=200)
AXIS5_CHANGE_PAGE = logged_in(403, N=200, A=200)
AXIS5_ACTION = logged_in(403, N=REDIRECT, A=REDIRECT)
SPEAKERS_READ = logged_in(403, N=200, D=200, OD=200, A=200)
COUNTERSIGN = logged_in(403, N=404, D=404, OD=404)


@dataclass(frozen=True)
class Check:
    route: str  # the URL pattern as the resolver spells it
    url: Callable
    expected: dict
    method: str = "GET"
    # The URL names objects of ``delegation``/``commune``: the "other" personas must never get a 403 there.
    scoped: bool = False

    @property
    def id(self) -> str:
        return f"{self.method} /{self.route}"


def c(route, url, expected, method="GET", scoped=False) -> Check:
    return Check(route, url, expected, method, scoped)


CHECKS = [
    # --- Directory, login, admin -------------------------------------------------------------------
    c("", lambda w: "/", EVERYONE),
    c("a-propos/", lambda w: "/a-propos/", EVERYONE),
    c("healthz", lambda w: "/healthz", EVERYONE),
    c("robots.txt", lambda w: "/robots.txt", EVERYONE),
    # The directory is open data; the public event form's picker needs it without a login.
    c("collectivites/recherche/", lambda w: "/collectivites/recherche/?q=Com", EVERYONE),
    c("connexion/", lambda w: "/connexion/", expect(REDIRECT, anon=200)),
    c("connexion/", lambda w: "/connexion/", expect(REDIRECT, anon=200), method="POST"),
    c("deconnexion/", lambda w: "/deconnexion/", expect(REDIRECT), method="POST"),
    c("admin/login/", lambda w: "/admin/login/", expect(REDIRECT, anon=200)),
    # A logged-in user who is not AMF staff gets the French 403, not the admin's login page (which sent
    # them back to ``next``, in a loop).
    c("admin/", lambda w: "/admin/", logged_in(403, A=200)),
    c(
        "admin/agreements/partnershipcontract/<path:object_id>/change/",
        lambda w: f"/admin/agreements/partnershipcontract/{w.contract.pk}/change/",
        logged_in(403, A=200),
    ),
    # --- Contracts ---------------------------------------------------------------------------------
    c("contrats/", lambda w: "/contrats/", logged_in(403, N=200, D=200, OD=200, A=200)),
    c("contrats/nouveau/", lambda w: "/contrats/nouveau/", logged_in(403, N=200, D=200, OD=200)),
    c("contrats/nouveau/", lambda w: "/contrats/nouveau/", logged_in(403, N=400, D=400, OD=400), "POST"),
    c("contrats/mes-contrats/", lambda w: "/contrats/mes-contrats/", logged_in(403, S=200, OS=200)),
    c("contrats/a-contresigner/", lambda w: "/contrats/a-contresigner/", logged_in(403, N=200, D=200, OD=200)),
    c(
        "contrats/<int:pk>/",
        lambda w: f"/contrats/{w.contract.pk}/",
        CONTRACT_READ,
        scoped=True,
    ),
    c(
        "contrats/<int:pk>/modifier/",
        lambda w: f"/contrats/{w.contract.pk}/modifier/",
        CONTRACT_ACTION,  # sent for signature: no longer editable, back to its page
        scoped=True,
    ),
    c(
        "contrats/<int:pk>/pdf/",
        lambda w: f"/contrats/{w.contract.pk}/pdf/",
        CONTRACT_READ,
        scoped=True,
    ),
    c(
        "contrats/<int:pk>/envoyer-a-la-signature/",
        lambda w: f"/contrats/{w.contract.pk}/envoyer-a-la-signature/",
        CONTRACT_ACTION,
        "POST",
        True,
    ),
    c(
        "contrats/<int:pk>/retour-en-brouillon/",
        lambda w: f"/contrats/{w.contract.pk}/retour-en-brouillon/",
        CONTRACT_ACTION,
        "POST",
        True,
    ),
    c("contrats/<int:pk>/resilier/", lambda w: f"/contrats/{w.contract.pk}/resilier/", CONTRACT_ACTION, "POST", True),
    c("contrats/<int:pk>/avenants/", lambda w: f"/contrats/{w.contract.pk}/avenants/", CONTRACT_ACTION, "POST", True),
    c(
        "contrats/<int:pk>/documents/",
        lambda w: f"/contrats/{w.contract.pk}/documents/",
        CONTRACT_ACTION,
        "POST",
        True,
    ),
    c(
        "contrats/<int:pk>/signatures/<int:request_pk>/relancer/",
        lambda w: f"/contrats/{w.contract.pk}/signatures/{w.signature_request.pk}/relancer/",
        CONTRACT_ACTION,
        "POST",
        True,
    ),
    c(
        "contrats/<int:pk>/signatures/<int:request_pk>/remplacer/",
        lambda w: f"/contrats/{w.contract.pk}/signatures/{w.signature_request.pk}/remplacer/",
        CONTRACT_ACTION,
        "POST",
        True,
    ),
    c(
        "contrats/<int:pk>/documents/<int:document_pk>/",
        lambda w: f"/contrats/{w.contract.pk}/documents/{w.document.pk}/",
        CONTRACT_READ,
        scoped=True,
    ),
    # Countersigning from the application: only the délégué(e) of a contract every collectivité has
    # signed (tests/agreements/test_countersign.py); this one is still out for signature, so 404 for all.
    c(
        "contrats/<int:pk>/contresigner/",
        lambda w: f"/contrats/{w.contract.pk}/contresigner/",
        COUNTERSIGN,
        scoped=True,
    ),
    *(
        c(
            f"contrats/<int:pk>/contresigner/{step}/",
            lambda w, step=step: f"/contrats/{w.contract.pk}/contresigner/{step}/",
            COUNTERSIGN,
            "POST",
            True,
        )
        for step in ("code", "verifier", "signer")
    ),
    # --- Signing portal (the personal link replaces a login) and public verification ------------------
    c("signature/<str:token>/", lambda w: f"/signature/{w.token}/", EVERYONE),
    c("signature/<str:token>/code/", lambda w: f"/signature/{w.token}/code/", expect(REDIRECT), "POST"),
    c("signature/<str:token>/verifier/", lambda w: f"/signature/{w.token}/verifier/", expect(REDIRECT), "POST"),
    # Only once the code is typed in this browser session, whoever is logged in; the sealed PDF only once
    # this link's signer has signed and the contract is sealed.
    c("signature/<str:token>/document.pdf", lambda w: f"/signature/{w.token}/document.pdf", expect(404)),
    c("signature/<str:token>/contrat-signe.pdf", lambda w: f"/signature/{w.token}/contrat-signe.pdf", expect(404)),
    # Steps 3 and refusal: back to the link's page until the code is confirmed in this browser session.
    c("signature/<str:token>/signer/", lambda w: f"/signature/{w.token}/signer/", expect(REDIRECT)),
    c("signature/<str:token>/signer/", lambda w: f"/signature/{w.token}/signer/", expect(REDIRECT), "POST"),
    c("signature/<str:token>/refuser/", lambda w: f"/signature/{w.token}/refuser/", expect(REDIRECT)),
    c("signature/<str:token>/refuser/", lambda w: f"/signature/{w.token}/refuser/", expect(REDIRECT), "POST"),
    c("verification/", lambda w: "/verification/", EVERYONE),
    c("verification/", lambda w: "/verification/", expect(400), "POST"),
    # --- Trainings ---------------------------------------------------------------------------------
    c("formations/", lambda w: "/formations/", logged_in(200)),
    c("formations/calendrier/", lambda w: "/formations/calendrier/", logged_in(200)),
    c("formations/actions/", lambda w: "/formations/actions/", logged_in(403, N=200, D=200, OD=200, A=200)),
    c("formations/actions/nouvelle/", lambda w: "/formations/actions/nouvelle/", logged_in(403, N=200, D=200, OD=200)),
    c(
        "formations/actions/<int:pk>/",
        lambda w: f"/formations/actions/{w.action.pk}/",
        logged_in(403, N=200, D=200, A=200, OD=404),
        scoped=True,
    ),
    c(
        "formations/actions/<int:action_pk>/sessions/nouvelle/",
        lambda w: f"/formations/actions/{w.action.pk}/sessions/nouvelle/",
        TRAINING_MANAGE_PAGE,
        scoped=True,
    ),
    c(
        "formations/sessions/<int:pk>/",
        lambda w: f"/formations/sessions/{w.session.pk}/",
        logged_in(404, N=200, D=200, A=200, H=200),
        scoped=True,
    ),
    c(
        "formations/sessions/<int:pk>/modifier/",
        lambda w: f"/formations/sessions/{w.session.pk}/modifier/",
        TRAINING_MANAGE_PAGE,
        scoped=True,
    ),
    c(
        "formations/sessions/<int:pk>/annuler/",
        lambda w: f"/formations/sessions/{w.session.pk}/annuler/",
        TRAINING_MANAGE_PAGE,  # the confirmation step
        "POST",
        True,
    ),
    c(
        "formations/sessions/<int:pk>/inscrire/",
        lambda w: f"/formations/sessions/{w.session.pk}/inscrire/",
        REGISTER_AGENTS_REFUSED,  # the form again, with its errors
        "POST",
        True,
    ),
    c(
        "formations/sessions/<int:pk>/inscrire/plusieurs/",
        lambda w: f"/formations/sessions/{w.session.pk}/inscrire/plusieurs/",
        REGISTER_AGENTS,
        scoped=True,
    ),
    c(
        "formations/sessions/<int:pk>/inscrire/plusieurs/",
        lambda w: f"/formations/sessions/{w.session.pk}/inscrire/plusieurs/",
        REGISTER_AGENTS_REFUSED,  # the lines again, with their errors
        "POST",
        True,
    ),
    c(
        "formations/sessions/<int:pk>/inscrire/import/",
        lambda w: f"/formations/sessions/{w.session.pk}/inscrire/import/",
        REGISTER_AGENTS_REFUSED,  # no file: the page again, with the error
        "POST",
        True,
    ),
    c(
        "formations/sessions/<int:pk>/inscrire/modele.csv",
        lambda w: f"/formations/sessions/{w.session.pk}/inscrire/modele.csv",
        REGISTER_AGENTS,
        scoped=True,
    ),
    c(
        "formations/sessions/<int:pk>/emargement/",
        lambda w: f"/formations/sessions/{w.session.pk}/emargement/",
        ATTENDANCE_PAGE,
        scoped=True,
    ),
    c(
        "formations/sessions/<int:pk>/emargement/import/",
        lambda w: f"/formations/sessions/{w.session.pk}/emargement/import/",
        ATTENDANCE_PAGE,
        scoped=True,
    ),
    c(
        "formations/sessions/<int:pk>/feuille-emargement.pdf",
        lambda w: f"/formations/sessions/{w.session.pk}/feuille-emargement.pdf",
        ATTENDANCE_PAGE,
        scoped=True,
    ),
    c("formations/inscriptions/", lambda w: "/formations/inscriptions/", logged_in(200)),
    c(
        "formations/inscriptions/<int:pk>/annuler/",
        lambda w: f"/formations/inscriptions/{w.registration.pk}/annuler/",
        REGISTER_AGENTS,  # the confirmation step
        "POST",
        True,
    ),
    c(
        "formations/inscriptions/<int:pk>/attestation.pdf",
        lambda w: f"/formations/inscriptions/{w.registration.pk}/attestation.pdf",
        REGISTER_AGENTS,
        scoped=True,
    ),
    # The agent's convocation: the signed personal link replaces a login (agents rarely have an account).
    c(
        "formations/convocation/<str:token>/",
        lambda w: urlsplit(convocation_url(w.registration)).path,
        EVERYONE,
    ),
    c(
        "formations/convocation/<str:token>/formation.ics",
        lambda w: urlsplit(convocation_url(w.registration)).path + "formation.ics",
        EVERYONE,
    ),
    # The feed's secret token replaces a login (calendar apps cannot log in).
    c(
        "formations/delegations/<slug:code>/calendrier.ics",
        lambda w: f"/formations/delegations/{w.feed.delegation.code}/calendrier.ics?jeton={w.feed.token}",
        EVERYONE,
    ),
    c(
        "formations/delegations/<slug:code>/calendrier/renouveler/",
        lambda w: f"/formations/delegations/{w.feed.delegation.code}/calendrier/renouveler/",
        TRAINING_MANAGE_ACTION,
        "POST",
        True,
    ),
    # --- Events and speakers -----------------------------------------------------------------------
    c("evenements/", lambda w: "/evenements/", EVERYONE),
    c("evenements/<int:pk>/", lambda w: f"/evenements/{w.event.pk}/", EVERYONE),
    c("evenements/<int:pk>/agenda.ics", lambda w: f"/evenements/{w.event.pk}/agenda.ics", EVERYONE),
    # The personal link of a registration replaces a login.
    c("evenements/inscription/<str:token>/", lambda w: f"/evenements/inscription/{EVENT_TOKEN}/", EVERYONE),
    c(
        "evenements/inscription/<str:token>/annuler/",
        lambda w: f"/evenements/inscription/{EVENT_TOKEN}/annuler/",
        expect(200),  # the confirmation step
        "POST",
    ),
    c(
        "evenements/inscription/<str:token>/attestation.pdf",
        lambda w: f"/evenements/inscription/{EVENT_TOKEN}/attestation.pdf",
        expect(404),  # nobody attended yet: no certificate
    ),
    c("evenements/gestion/", lambda w: "/evenements/gestion/", logged_in(403, N=200, D=200, OD=200)),
    c("evenements/gestion/nouveau/", lambda w: "/evenements/gestion/nouveau/", logged_in(403, N=200, D=200, OD=200)),
    c(
        "evenements/gestion/<int:pk>/",
        lambda w: f"/evenements/gestion/{w.event.pk}/",
        EVENT_MANAGE_PAGE,
        scoped=True,
    ),
    c(
        "evenements/gestion/<int:pk>/modifier/",
        lambda w: f"/evenements/gestion/{w.event.pk}/modifier/",
        EVENT_MANAGE_PAGE,
        scoped=True,
    ),
    c(
        "evenements/gestion/<int:pk>/publier/",
        lambda w: f"/evenements/gestion/{w.event.pk}/publier/",
        EVENT_MANAGE_ACTION,
        "POST",
        True,
    ),
    c(
        "evenements/gestion/<int:pk>/annuler/",
        lambda w: f"/evenements/gestion/{w.event.pk}/annuler/",
        EVENT_MANAGE_PAGE,  # the confirmation step
        "POST",
        True,
    ),
    c(
        "evenements/gestion/<int:pk>/creneaux/<int:slot_pk>/supprimer/",
        lambda w: f"/evenements/gestion/{w.event.pk}/creneaux/{w.slot.pk}/supprimer/",
        EVENT_MANAGE_ACTION,
        "POST",
        True,
    ),
    c(
        "evenements/gestion/<int:pk>/inscriptions/",
        lambda w: f"/evenements/gestion/{w.event.pk}/inscriptions/",
        EVENT_MANAGE_PAGE,
        scoped=True,
    ),
    c(
        "evenements/gestion/<int:pk>/inscriptions/<int:registration_pk>/annuler/",
        lambda w: f"/evenements/gestion/{w.event.pk}/inscriptions/{w.event_registration.pk}/annuler/",
        EVENT_MANAGE_PAGE,  # the confirmation step
        "POST",
        True,
    ),
    c(
        "evenements/gestion/<int:pk>/inscriptions/<int:registration_pk>/attestation.pdf",
        lambda w: f"/evenements/gestion/{w.event.pk}/inscriptions/{w.event_registration.pk}/attestation.pdf",
        logged_in(403, N=404, D=404, OD=404),  # nobody attended yet: no certificate
        scoped=True,
    ),
    c(
        "evenements/gestion/<int:pk>/pointage/",
        lambda w: f"/evenements/gestion/{w.event.pk}/pointage/",
        EVENT_MANAGE_PAGE,
        scoped=True,
    ),
    c("evenements/intervenants/", lambda w: "/evenements/intervenants/", SPEAKERS_READ),
    c("evenements/intervenants/<int:pk>/", lambda w: f"/evenements/intervenants/{w.speaker.pk}/", SPEAKERS_READ),
    c(
        "evenements/intervenants/<int:pk>/donnees.json",
        lambda w: f"/evenements/intervenants/{w.speaker.pk}/donnees.json",
        logged_in(403, N=200, A=200),
    ),
    c(
        "evenements/intervenants/<int:pk>/effacer/",
        lambda w: f"/evenements/intervenants/{w.speaker.pk}/effacer/",
        logged_in(403, N=REDIRECT, A=REDIRECT),
        "POST",
    ),
    c("evenements/mon-profil/", lambda w: "/evenements/mon-profil/", logged_in(403, SP=200)),
    c("evenements/mon-profil/donnees.json", lambda w: "/evenements/mon-profil/donnees.json", logged_in(403, SP=200)),
    # --- Axis 5: INET internships and AMF studies (national objects, no delegation scope) -------------
    c("stages-etudes/stages/", lambda w: "/stages-etudes/stages/", AXIS5_READ),
    c("stages-etudes/stages/nouveau/", lambda w: "/stages-etudes/stages/nouveau/", AXIS5_CHANGE_PAGE),
    c("stages-etudes/stages/<int:pk>/", lambda w: f"/stages-etudes/stages/{w.internship.pk}/", AXIS5_READ),
    c(
        "stages-etudes/stages/<int:pk>/modifier/",
        lambda w: f"/stages-etudes/stages/{w.internship.pk}/modifier/",
        AXIS5_CHANGE_PAGE,
    ),
    c(
        "stages-etudes/stages/<int:pk>/statut/",
        lambda w: f"/stages-etudes/stages/{w.internship.pk}/statut/",
        AXIS5_ACTION,
        "POST",
    ),
    c("stages-etudes/etudes/", lambda w: "/stages-etudes/etudes/", AXIS5_READ),
    c("stages-etudes/etudes/nouvelle/", lambda w: "/stages-etudes/etudes/nouvelle/", AXIS5_CHANGE_PAGE),
    c("stages-etudes/etudes/<int:pk>/", lambda w: f"/stages-etudes/etudes/{w.study.pk}/", AXIS5_READ),
    c(
        "stages-etudes/etudes/<int:pk>/livrable/",
        lambda w: f"/stages-etudes/etudes/{w.study.pk}/livrable/",
        AXIS5_READ,
    ),
    c(
        "stages-etudes/etudes/<int:pk>/modifier/",
        lambda w: f"/stages-etudes/etudes/{w.study.pk}/modifier/",
        AXIS5_CHANGE_PAGE,
    ),
    c(
        "stages-etudes/etudes/<int:pk>/statut/",
        lambda w: f"/stages-etudes/etudes/{w.study.pk}/statut/",
        AXIS5_ACTION,
        "POST",
    ),
    c(
        "stages-etudes/etudes/<int:pk>/livrer/",
        lambda w: f"/stages-etudes/etudes/{w.study.pk}/livrer/",
        logged_in(403, N=400, A=400),  # the study page again, with the form's errors
        "POST",
    ),
]

# --- « À faire », legal pages, accounts ------------------------------------------------------------------


def _managed_account(world):
    """An invited HR contact of ``commune`` (delegation staff of ``delegation`` manage it)."""
    collectivity = world.contract.parties.get().collectivity
    user, created = User.objects.get_or_create(
        email="invite-matrice@example.fr",
        defaults={"first_name": "Inès", "last_name": "Invitée", "role": Role.HR_CONTACT, "collectivity": collectivity},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


ACCOUNTS_PAGE = logged_in(403, N=200, D=200, OD=200)
ACCOUNT_ACTION = logged_in(403, N=REDIRECT, D=REDIRECT, OD=404)
CHECKS += [
    c("a-faire/", lambda w: "/a-faire/", logged_in(200)),
    c("mentions-legales/", lambda w: "/mentions-legales/", EVERYONE),
    c("donnees-personnelles/", lambda w: "/donnees-personnelles/", EVERYONE),
    c("accessibilite/", lambda w: "/accessibilite/", EVERYONE),
    c("compte/", lambda w: "/compte/", logged_in(200)),
    c("compte/mot-de-passe/", lambda w: "/compte/mot-de-passe/", logged_in(200)),
    c("compte/mot-de-passe/modifie/", lambda w: "/compte/mot-de-passe/modifie/", logged_in(200)),
    c("compte/mot-de-passe-oublie/", lambda w: "/compte/mot-de-passe-oublie/", EVERYONE),
    c("compte/mot-de-passe-oublie/", lambda w: "/compte/mot-de-passe-oublie/", EVERYONE, "POST"),  # the form's errors
    c("compte/mot-de-passe-oublie/envoye/", lambda w: "/compte/mot-de-passe-oublie/envoye/", EVERYONE),
    # A link that does not check out: the page says so (200), whoever asks.
    c("compte/reinitialisation/<uidb64>/<token>/", lambda w: "/compte/reinitialisation/MQ/faux-jeton/", EVERYONE),
    c("compte/reinitialisation/terminee/", lambda w: "/compte/reinitialisation/terminee/", EVERYONE),
    c("compte/invitation/<uidb64>/<token>/", lambda w: "/compte/invitation/MQ/faux-jeton/", EVERYONE),
    c("compte/comptes/", lambda w: "/compte/comptes/", ACCOUNTS_PAGE),
    c("compte/comptes/inviter/", lambda w: "/compte/comptes/inviter/", ACCOUNTS_PAGE),
    c("compte/comptes/inviter/", lambda w: "/compte/comptes/inviter/", ACCOUNTS_PAGE, "POST"),  # the form's errors
    c(
        "compte/comptes/<int:pk>/desactiver/",
        lambda w: f"/compte/comptes/{_managed_account(w).pk}/desactiver/",
        logged_in(403, N=200, D=200, OD=404),  # the confirmation step first
        "POST",
        True,
    ),
    c(
        "compte/comptes/<int:pk>/reactiver/",
        lambda w: f"/compte/comptes/{_managed_account(w).pk}/reactiver/",
        ACCOUNT_ACTION,  # already active: refused with a message, back to the list
        "POST",
        True,
    ),
    c(
        "compte/comptes/<int:pk>/renvoyer-invitation/",
        lambda w: f"/compte/comptes/{_managed_account(w).pk}/renvoyer-invitation/",
        ACCOUNT_ACTION,
        "POST",
        True,
    ),
]


# --- ProConnect and the requests for access ---------------------------------------------------------------
def _access_request(world):
    """A pending request for access from a person of the contract's first party (its delegation decides it).

    One per collectivité: the load benchmark asks it of a small and a large delegation's world, whose contracts
    may have several parties."""
    collectivity = world.contract.parties.order_by("position", "pk").first().collectivity
    request, _ = AccessRequest.objects.get_or_create(
        sub=f"sub-matrice-{collectivity.pk}",
        defaults={
            "email": f"demande-matrice-{collectivity.pk}@example.fr",
            "first_name": "Dora",
            "last_name": "Demande",
            "siret": collectivity.siren + "00017",
            "audience": AccessRequestAudience.COLLECTIVITY,
            "collectivity": collectivity,
            "function": "DRH",
        },
    )
    return request


# Without ``PROCONNECT_*`` (as here) ProConnect's own pages do not exist; configured, they are public doors
# whose answers are checked per persona in tests/proconnect/test_pages.py.
NOT_CONFIGURED = expect(404)
ACCESS_REQUEST_PAGE = logged_in(403, N=200, D=200, OD=404)
CHECKS += [
    c("connexion/proconnect/", lambda w: "/connexion/proconnect/", NOT_CONFIGURED),
    c("connexion/proconnect/", lambda w: "/connexion/proconnect/", NOT_CONFIGURED, "POST"),
    c("connexion/proconnect/retour/", lambda w: "/connexion/proconnect/retour/?code=x&state=y", NOT_CONFIGURED),
    c("connexion/proconnect/demande-acces/", lambda w: "/connexion/proconnect/demande-acces/", NOT_CONFIGURED),
    c("connexion/proconnect/demande-acces/", lambda w: "/connexion/proconnect/demande-acces/", NOT_CONFIGURED, "POST"),
    c("deconnexion/proconnect/", lambda w: "/deconnexion/proconnect/?state=x", NOT_CONFIGURED),
    # Everyone's own account: the confirmation step (nothing is removed without it).
    c("compte/proconnect/retirer/", lambda w: "/compte/proconnect/retirer/", logged_in(200), "POST"),
    c("compte/demandes-acces/", lambda w: "/compte/demandes-acces/", ACCOUNTS_PAGE),
    c(
        "compte/demandes-acces/<int:pk>/",
        lambda w: f"/compte/demandes-acces/{_access_request(w).pk}/",
        ACCESS_REQUEST_PAGE,
        scoped=True,
    ),
    # Posted empty: the request's page again, with the form's errors (nothing decided).
    c(
        "compte/demandes-acces/<int:pk>/accepter/",
        lambda w: f"/compte/demandes-acces/{_access_request(w).pk}/accepter/",
        ACCESS_REQUEST_PAGE,
        "POST",
        True,
    ),
    c(
        "compte/demandes-acces/<int:pk>/refuser/",
        lambda w: f"/compte/demandes-acces/{_access_request(w).pk}/refuser/",
        ACCESS_REQUEST_PAGE,
        "POST",
        True,
    ),
]

# --- Statistics: dashboards, exports (each user's own) and the open API ---------------------------
STATS_CHECKS = [
    c("statistiques/", lambda w: "/statistiques/", EVERYONE),
    c("statistiques/exports/", lambda w: "/statistiques/exports/", logged_in(200)),
    c("statistiques/exports/demander/", lambda w: "/statistiques/exports/demander/", logged_in(REDIRECT), "POST"),
    # The table of « Mes exports » alone, polled by the page: each user's own exports (tests/stats/test_export_progress.py).
    c("statistiques/exports/etat/", lambda w: f"/statistiques/exports/etat/?en_attente={w.export.pk}", logged_in(200)),
    c(
        "statistiques/exports/<int:pk>/telecharger/",
        lambda w: f"/statistiques/exports/{w.export.pk}/telecharger/",
        logged_in(404, D=200),  # the requester's alone
        scoped=True,
    ),
    c("api/schema/", lambda w: "/api/schema/", EVERYONE),
    c("api/docs/", lambda w: "/api/docs/", EVERYONE),
    c("api/redoc/", lambda w: "/api/redoc/", EVERYONE),
    c("api/v1/", lambda w: "/api/v1/", EVERYONE),
    c("statistiques/api/jeton/", lambda w: "/statistiques/api/jeton/", logged_in(200)),
    # Detailed reads: a per-user API token only (tests/stats/test_api_tokens.py); a session opens nothing.
    c("api/v1/detail/contracts/", lambda w: "/api/v1/detail/contracts/", expect(401)),
    c("api/v1/detail/sessions/", lambda w: "/api/v1/detail/sessions/", expect(401)),
    c("api/v1/detail/collectivities/", lambda w: "/api/v1/detail/collectivities/?department=01", expect(401)),
    c("api/v1/schemas/<slug:key>.json", lambda w: "/api/v1/schemas/contracts_by_status.json", EVERYONE),
]
API_V1 = [
    "contracts/by-status/",
    "contracts/by-delegation/",
    "contracts/by-start-year/",
    "trainee-days/planned-by-year/",
    "coverage/regions/",
    "coverage/departments/",
    "trainee-days/by-theme/",
    "trainee-days/by-scheme/",
    "trainees/by-category/",
    "events/by-kind/",
    "speakers/by-theme/",
    "speakers/by-region/",
    "internships/by-status/",
    "studies/by-status/",
    "exports/by-dataset/",
]
STATS_CHECKS += [c(f"api/v1/{path}", lambda w, path=path: f"/api/v1/{path}", EVERYONE) for path in API_V1]
CHECKS += STATS_CHECKS


# --- « Mes imports »: each user's own CSV imports handed to a worker --------------------------------
CHECKS += [
    c("imports/", lambda w: "/imports/", logged_in(200)),
    # The table alone, polled by the page (tests/partnership/test_imports.py).
    c("imports/etat/", lambda w: f"/imports/etat/?en_cours={w.import_request.pk}", logged_in(200)),
    c(
        "imports/<int:pk>/rapport/",
        lambda w: f"/imports/{w.import_request.pk}/rapport/",
        logged_in(404, D=200),  # the requester's alone
        scoped=True,
    ),
]


# --- Reminders: each person's choices; the signed unsubscribe link replaces a login (RFC 8058) --------
def _unsubscribe(w) -> str:
    return f"/notifications/desabonnement/{unsubscribe_token(email='agent@mairie.example.fr', kind='event_upcoming')}/"


CHECKS += [
    c("compte/notifications/", lambda w: "/compte/notifications/", logged_in(200)),
    c("compte/notifications/", lambda w: "/compte/notifications/", logged_in(REDIRECT), "POST"),
    c("notifications/desabonnement/<str:token>/", _unsubscribe, EVERYONE),
    c("notifications/desabonnement/<str:token>/", _unsubscribe, EVERYONE, "POST"),
]

# The admin is Django's: its own pages are checked through its index and one model page only.
ADMIN_SAMPLE = "admin/agreements/partnershipcontract/<path:object_id>/change/"


def project_routes() -> set[str]:
    """Every URL pattern of the project, as a route string; the admin's internals and static files left out."""

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(("static/", "media/")):
                continue
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    yield route
                    continue
                yield from walk(pattern.url_patterns, route)
            else:
                yield route

    return set(walk(get_resolver().url_patterns, ""))


def test_every_url_pattern_is_declared():
    declared = {check.route for check in CHECKS} - {ADMIN_SAMPLE}
    routes = project_routes()
    assert sorted(routes - declared) == [], "pages absentes de la matrice d'accès : déclarez qui peut les voir"
    assert sorted(declared - routes) == [], "la matrice déclare des pages qui n'existent plus"


SHORT_OF = {
    "other_delegation_staff": "delegation_staff",
    "other_signatory": "signatory",
    "other_hr_contact": "hr_contact",
}


def test_other_scope_is_never_forbidden_only_absent():
    """Changing an id in a URL reaches nothing: where a role reaches its own object, the same role of
    another delegation or collectivité gets 404 (the object does not exist for them), never 403."""
    leaks = [
        f"{check.id}: {other} → {check.expected[other]}"
        for check in CHECKS
        if check.scoped
        for other, own in SHORT_OF.items()
        if check.expected[own] != 403 and check.expected[other] not in (404, check.expected[own])
    ]
    assert leaks == []


def outcome(response):
    if response.status_code == 302:
        location = response["Location"]
        return LOGIN if location.startswith(("/connexion/", "/admin/login/")) else REDIRECT
    return response.status_code


@pytest.mark.parametrize("check", CHECKS, ids=lambda check: check.id)
def test_access_matrix(check, world, persona):
    url = check.url(world)
    users = {name: persona(name) for name in COLUMNS}
    actual, refusals = {}, {}
    for name, user in users.items():
        with transaction.atomic():
            client = Client()
            if user is not None:
                client.force_login(user)
            response = client.post(url) if check.method == "POST" else client.get(url)
            actual[name] = outcome(response)
            if response.status_code == 403:
                refusals[name] = "Accès refusé" in response.content.decode()
            if response.streaming:
                # Read to the end: the test client then closes the file without closing the
                # database connection (``response.close()`` would, on PostgreSQL).
                b"".join(response.streaming_content)
            transaction.set_rollback(True)
    mismatches = {
        name: f"attendu {check.expected[name]}, obtenu {actual[name]}"
        for name in COLUMNS
        if actual[name] != check.expected[name]
    }
    assert mismatches == {}, f"{check.method} {url}"
    # A 403 is the French page that says so, never Django's bare « 403 Forbidden ».
    assert [name for name, french in refusals.items() if not french] == []
