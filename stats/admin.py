"""The detailed API's tokens are their owners' secrets: the admin does not list them.

``rest_framework.authtoken`` registers an admin that shows every token in clear; each user creates or
replaces their own at « Statistiques › Jeton d'API » instead (``stats.services``).
"""

from django.contrib import admin
from rest_framework.authtoken.models import TokenProxy

admin.site.unregister(TokenProxy)
