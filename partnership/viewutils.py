"""Small pieces every app's views share: a permission gate, showing a service's errors on a form,
and the confirmation step before a destructive action."""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render


def requires(check):
    """Login, then the permission ``check(user)`` from ``partnership.permissions`` (403 otherwise)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


# --- Confirmation of destructive actions ---------------------------------------------------------

# The field the confirmation page adds: a POST without it shows the confirmation instead of acting.
CONFIRM_FIELD = "confirmation"


@dataclass(frozen=True)
class Confirmation:
    """What the confirmation page says before a destructive action: each consequence, in full."""

    title: str
    consequences: list[str]
    confirm_label: str
    cancel_url: str


def is_confirmed(request) -> bool:
    return request.POST.get(CONFIRM_FIELD) == "oui"


def render_confirmation(request, confirmation: Confirmation, *, base_template: str = "", context: dict | None = None):
    """The step between a destructive button and its effect, without JavaScript.

    The page repeats what the person typed (as hidden fields) and posts it again to the same URL
    with the confirmation field; « Annuler » goes back without doing anything. ``base_template``
    puts it in another layout than the site's (the signing portal's), with that layout's ``context``.
    """
    carried = [
        (name, value)
        for name in request.POST
        if name not in ("csrfmiddlewaretoken", CONFIRM_FIELD)
        for value in request.POST.getlist(name)
    ]
    return render(
        request,
        "includes/confirm.html",
        {
            **(context or {}),
            "confirmation": confirmation,
            "carried": carried,
            "action": request.get_full_path(),
            "confirm_field": CONFIRM_FIELD,
            "base_template": base_template,
        },
    )
