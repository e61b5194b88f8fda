from django.conf import settings

from .permissions import navigation_for, personal_links_for
from .text import duration_label


def navigation(request):
    has_user = hasattr(request, "user")
    return {
        "nav_items": navigation_for(request.user) if has_user else [],
        "personal_links": personal_links_for(request.user) if has_user else [],
        "site_name": "Partenariat CNFPT – AMF",
        # The short notice under the forms that collect personal data.
        "personal_data_retention_after_event": f"{duration_label(settings.PERSONAL_DATA_RETENTION_DAYS)} après l'événement",
        "personal_data_retention_after_session": (
            f"{duration_label(settings.PERSONAL_DATA_RETENTION_DAYS)} après la fin de la session"
        ),
        "show_demo_accounts": settings.SHOW_DEMO_ACCOUNTS,
    }
