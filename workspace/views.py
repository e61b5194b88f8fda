from django.shortcuts import render
from django.views.decorators.http import require_GET

from partnership import permissions
from partnership.viewutils import gate

from .selectors import workspace_for


@require_GET
@gate(permissions.is_logged_in)
def todo(request):
    """« À faire »: where each role lands after logging in, the work that waits for it."""
    return render(request, "workspace/todo.html", {"blocks": workspace_for(request).page()})
