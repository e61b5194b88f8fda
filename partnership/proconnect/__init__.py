"""ProConnect login, account linking and access requests by SIRET.

- ``config``: the settings and the provider's discovery document;
- ``backend``: the OpenID Connect backend (mozilla-django-oidc) and every check of what ProConnect sends;
- ``models``, ``services``, ``selectors``: the link between an account and a ProConnect identity, the
  access requests and their decision;
- ``views`` (login, callback, logout, access request form, unlinking) and ``decision_views`` (the
  delegations' pages deciding the requests).
"""
