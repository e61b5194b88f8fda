"""The view toolkit every app's pages share, so that each reads the same way.

A workspace view has one shape (README, « Architecture »)::

    @gate(permissions.can_manage_events)                  # 1. who may ever use this page (else 403)
    def event_edit(request, pk):
        event = get_object_or_404(selectors.events_managed_by(request.user), pk=pk)  # 2. scoped read (else 404)
        form = EventForm(request.POST or None, instance=event, user=request.user)
        if request.method == "POST" and form.is_valid():
            call = run_service(request, services.event_update, form, event=event, ...)  # 3. one service
            if call.ok:
                messages.success(request, "Événement enregistré.")                       # 4. redirect with a message
                return redirect("events:event_manage", pk=event.pk)
        return render(request, "events/event_form.html", {"form": form, "event": event})  # or render

Here: the gate (1), the service call that turns a refusal into form errors or messages (3),
pagination, and the confirmation step before a destructive action.

A refused call answers with ``call.status``: 409 only when the service raised ``StaleState``
(``partnership.conflicts``: the form was built from a version someone has since saved, or the object
left the state the action needs), 400 for every other ``ValidationError`` (an ordinary validation
error, to correct on the form). A service signals « left its state » by raising ``StaleState`` (code
``"stale"`` unless it gives its own), never by a code the view would have to know::

    call = run_service(request, services.contract_update, form, contract=contract, ...)
    if not call.ok:
        return render(request, "agreements/contract_form.html", {...}, status=call.status)
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.shortcuts import render

from . import permissions
from .conflicts import is_stale

# --- The gate ------------------------------------------------------------------------------------


def gate(check: Callable) -> Callable:
    """The one door of a page: ``check`` is a named gate of ``partnership.permissions``.

    A logged-out visitor is sent to the login page; a role the gate refuses gets 403 (the French
    ``403.html``): this page is not for them, whatever the object. What lies outside the user's scope
    is the selectors' business: it does not exist (404). The gate stays readable on the view
    (``view.gate``): the menu shows an entry exactly when the same gate passes
    (``permissions.navigation_for``, checked by ``tests/partnership/test_navigation.py``).
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.gate = check
        return wrapper

    return decorator


def gate_of(view) -> Callable:
    """The gate a view declared; a page without one is public (``permissions.everyone``)."""
    return getattr(view, "gate", permissions.everyone)


def personal_link_page(view):
    """A page reached by a personal link (no login: the link is the key), about one person.

    Neither a shared cache nor the browser's may keep it (``Cache-Control: private, no-store``), and no
    search engine may index it (``X-Robots-Tag: noindex``), should the link ever be published.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


# --- A service's refusal, on the form or in the messages -------------------------------------------


def service_error_messages(error: ValidationError) -> list[str]:
    """Every message of a refusal, those of its fields included, in order."""
    if hasattr(error, "error_dict"):
        return [message for field_messages in error.message_dict.values() for message in field_messages]
    return list(error.messages)


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on ``form``: on its field when the form has it, above the form else."""
    if hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_messages)
    else:
        form.add_error(None, error.messages)


def add_error_messages(request, messages_: list[str]) -> None:
    for message in messages_:
        messages.error(request, message)


def form_error_messages(form) -> list[str]:
    """A form's errors as sentences, for an action that redirects instead of showing its form again."""
    return [message for field_errors in form.errors.values() for message in field_errors]


class ErrorSummary:
    """Where ``run_service`` puts a refusal on a page that is not one form (lines of agents, a file):
    its ``messages``, shown together above the page's inputs."""

    fields = frozenset()  # no field of its own: every error goes to the summary

    def __init__(self):
        self.messages: list[str] = []

    def add_error(self, field, messages_) -> None:
        self.messages += [messages_] if isinstance(messages_, str) else list(messages_)


@dataclass(frozen=True)
class ServiceCall:
    """What ``run_service`` did: ``ok`` and the service's ``result``, or the ``error`` it refused with."""

    ok: bool
    result: Any = None
    error: ValidationError | None = None

    @property
    def status(self) -> int:
        """The HTTP status of the page that follows: 200, 409 for a ``StaleState``, else 400."""
        return 200 if self.ok else refusal_status(self.error)


def run_service(request, service: Callable, form=None, /, **kwargs) -> ServiceCall:
    """Call ``service(**kwargs)``; a refusal (``ValidationError``) never leaves the view unanswered.

    With a ``form`` (or an ``ErrorSummary``), the refusal goes on the form (``add_service_errors``), to
    be shown again as typed; without, each of its messages becomes an error message of the next page. The service's own
    transaction has rolled back: nothing is half-saved. The view says the success itself, since
    only it knows what to say (``call.result`` holds what the service returned).
    """
    try:
        result = service(**kwargs)
    except ValidationError as error:
        if form is not None:
            add_service_errors(form, error)
        else:
            add_error_messages(request, service_error_messages(error))
        return ServiceCall(ok=False, error=error)
    return ServiceCall(ok=True, result=result)


def refusal_status(error: ValidationError | None) -> int:
    """The status of a page shown again after a refusal: 409 for a ``StaleState``, else 400."""
    return 409 if error is not None and is_stale(error) else 400


# --- Pagination ------------------------------------------------------------------------------------


def paginate(request, items, per_page: int, *, count: bool = True) -> Page:
    """The page of ``items`` asked for by ``?page=``, shown by ``templates/includes/pagination.html``.

    A page number out of range or not a number gives the nearest page, never an error. With
    ``count=False``, for a list as long as its history (a delegation's registrations: a hundred thousand a
    year), the page is read without counting the list: its rows and one more, to know whether a next page
    follows; the page then says « Page N » without « sur M ».
    """
    if count:
        return Paginator(items, per_page).get_page(request.GET.get("page"))
    return UncountedPage(items, request.GET.get("page"), per_page)


class UncountedPage(Page):
    """A ``Page`` of a list never counted: ``paginator`` is ``None``; a page past the end is empty and
    links back to the previous one."""

    # Beyond any real history, and far below what the database's OFFSET accepts (a 64-bit integer).
    LAST_NUMBER = 1_000_000

    def __init__(self, items, number, per_page: int):
        try:
            number = min(max(1, int(number or 1)), self.LAST_NUMBER)
        except (TypeError, ValueError):
            number = 1
        start = (number - 1) * per_page
        rows = list(items[start : start + per_page + 1])
        super().__init__(rows[:per_page], number, paginator=None)
        self._has_next = len(rows) > per_page

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


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
