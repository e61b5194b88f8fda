from django.conf import settings

from .permissions import navigation_for


def navigation(request):
    return {
        "nav_items": navigation_for(request.user) if hasattr(request, "user") else [],
        "site_name": "Partenariat CNFPT – AMF",
        "show_demo_accounts": settings.SHOW_DEMO_ACCOUNTS,
    }
