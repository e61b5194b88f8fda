"""The person's choices: the preferences page of an account, and the one-click unsubscribe link of an e-mail."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from partnership import permissions
from partnership.viewutils import gate, run_service, service_error_messages

from . import registry, selectors, services
from .forms import PreferencesForm


@require_http_methods(["GET", "POST"])
@gate(permissions.is_logged_in)
def preferences(request):
    kinds = selectors.optional_kinds_for(request.user)
    off = selectors.opted_out_kinds(request.user.email)
    initial = {kind.key: kind.key not in off for kind in kinds}
    # An empty POST is a real answer here: every box unchecked.
    form = PreferencesForm(request.POST if request.method == "POST" else None, kinds=kinds, initial=initial)
    if request.method == "POST" and form.is_valid():
        call = run_service(
            request, services.reminder_preferences_update, form, user=request.user, enabled=form.enabled()
        )
        if call.ok:
            messages.success(request, "Vos préférences de rappels sont enregistrées.")
            return redirect("notifications:preferences")
    mandatory = [kind for kind in registry.kinds() if not kind.optional]
    # Sent back with its errors (the form's or the service's): an ordinary validation error, 400.
    status = 400 if request.method == "POST" else 200
    return render(request, "notifications/preferences.html", {"form": form, "mandatory": mandatory}, status=status)


# Mail clients send the RFC 8058 one-click POST without cookies or CSRF token: the signed link is the proof.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    try:
        email, kind = services.unsubscribe_target(token)
    except ValidationError as exc:
        return render(
            request, "notifications/unsubscribe.html", {"error": " ".join(service_error_messages(exc))}, status=400
        )
    done = False
    if request.method == "POST":
        services.reminder_unsubscribe(token=token)
        done = True
    return render(request, "notifications/unsubscribe.html", {"email": email, "kind": kind, "done": done})
