from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .permissions import navigation_for
from .selectors import todo_count
from .text import duration_label


def _todo_count(request) -> int:
    # Once per request, and only if a template shows it (the menu does; a PDF or an e-mail does not).
    if not hasattr(request, "_todo_count"):
        request._todo_count = todo_count(request.user) if request.user.is_authenticated else 0
    return request._todo_count


def navigation(request):
    has_user = hasattr(request, "user")
    return {
        "nav_items": navigation_for(request.user) if has_user else [],
        "todo_count": SimpleLazyObject(lambda: _todo_count(request)) if has_user else 0,
        "site_name": "Partenariat CNFPT – AMF",
        # The short notice under the forms that collect personal data.
        "personal_data_retention_after_event": f"{duration_label(settings.PERSONAL_DATA_RETENTION_DAYS)} après l'événement",
        "personal_data_retention_after_session": (
            f"{duration_label(settings.PERSONAL_DATA_RETENTION_DAYS)} après la fin de la session"
        ),
        "show_demo_accounts": settings.SHOW_DEMO_ACCOUNTS,
    }
