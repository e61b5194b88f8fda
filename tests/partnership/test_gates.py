"""One door per page: every page of the application declares its gate (``partnership.viewutils.gate``),
or is listed here as public, with what protects it instead. A new view without either fails here.

The open API answers through DRF's own permission classes (per-user token for the detailed reads),
checked by ``tests/security/test_access_matrix.py``; the Django admin asks ``can_use_admin``.
"""

from django.urls import URLPattern, URLResolver, get_resolver

from partnership.viewutils import gate_of

# name → why it has no gate
PUBLIC = {
    "home": "page d'accueil",
    "about": "à propos, attributions des données",
    "legal_notice": "mentions légales",
    "personal_data": "données personnelles",
    "accessibility": "déclaration d'accessibilité",
    "healthz": "sonde de disponibilité",
    "robots_txt": "robots.txt",
    "collectivity_search": "annuaire ouvert (INSEE, DGCL), utilisé par le formulaire public des événements",
    "login": "connexion",
    "admin_login": "connexion",
    "logout": "déconnexion",
    "proconnect_login": "bouton ProConnect (404 sans configuration)",
    "proconnect_callback": "retour de ProConnect : state, nonce et jetons signés vérifiés",
    "proconnect_access_request": "identité vérifiée par ProConnect, gardée dans la session",
    "proconnect_logout_callback": "retour de ProConnect après déconnexion (state vérifié)",
    "password_change": "LoginRequiredMixin de Django",
    "password_change_done": "LoginRequiredMixin de Django",
    "password_reset": "mot de passe oublié",
    "password_reset_done": "mot de passe oublié",
    "password_reset_confirm": "jeton de réinitialisation",
    "password_reset_complete": "mot de passe oublié",
    "account_invitation": "jeton d'invitation",
    "trainings:calendar_feed": "jeton secret du flux iCalendar",
    "trainings:convocation": "lien personnel signé de l'agent",
    "trainings:convocation_calendar": "lien personnel signé de l'agent",
    "signing:portal": "lien de signature",
    "signing:send_code": "lien de signature",
    "signing:verify_code": "lien de signature",
    "signing:document": "lien de signature",
    "signing:final_document": "lien de signature",
    "signing:sign": "lien de signature et code à usage unique",
    "signing:decline": "lien de signature et code à usage unique",
    "signing:verify": "vérification publique d'un document",
    "events:event_list": "événements publiés",
    "events:event_detail": "événements publiés",
    "events:event_calendar": "événements publiés",
    "events:registration_manage": "lien personnel d'inscription",
    "events:registration_cancel_own": "lien personnel d'inscription",
    "events:registration_certificate_own": "lien personnel d'inscription",
    "stats:dashboard": "statistiques publiques",
    "stats:export_table": "fragment htmx : sans session, renvoie vers la connexion ; sinon, les exports de l'utilisateur",
    "notifications:unsubscribe": "lien de désabonnement signé (RFC 8058)",
    "import_table": "fragment htmx : sans session, renvoie vers la connexion ; sinon, les imports de l'utilisateur",
}


def _pages(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin" or str(pattern.pattern).startswith("api/"):
                continue
            yield from _pages(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and not str(pattern.pattern).startswith("api/"):
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern.callback


def test_every_page_declares_its_gate_or_is_listed_as_public():
    pages = dict(_pages(get_resolver().url_patterns))
    ungated = {name for name, view in pages.items() if not hasattr(view, "gate")}
    assert ungated == set(PUBLIC)
    assert all(gate_of(pages[name]).__name__ == "everyone" for name in PUBLIC)
