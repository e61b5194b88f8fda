from django.utils.functional import SimpleLazyObject

from .selectors import workspace_for


def todo_badge(request):
    """``todo_count``, the menu's « À faire » badge: computed only if a template shows it (the menu does;
    a PDF or an e-mail does not), from the counts the « À faire » page shows when it is that page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"todo_count": 0}
    return {"todo_count": SimpleLazyObject(lambda: workspace_for(request).badge())}
