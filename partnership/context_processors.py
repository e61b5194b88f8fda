from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .permissions import navigation_for


def _todo_count(request) -> int:
    # Once per request, and only if a template shows it (the menu does; a PDF or an e-mail does not).
    if not hasattr(request, "_todo_count"):
        from .selectors import todo_count

        request._todo_count = todo_count(request.user) if request.user.is_authenticated else 0
    return request._todo_count


def navigation(request):
    has_user = hasattr(request, "user")
    return {
        "nav_items": navigation_for(request.user) if has_user else [],
        "todo_count": SimpleLazyObject(lambda: _todo_count(request)) if has_user else 0,
        "site_name": "Partenariat CNFPT – AMF",
        "show_demo_accounts": settings.SHOW_DEMO_ACCOUNTS,
    }
