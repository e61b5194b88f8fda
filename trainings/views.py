"""Pages of the trainings app, each of the workspace shape (``partnership.viewutils``): its gate,
objects read through the selectors (what is out of the user's scope is a 404), a form and one service
through ``run_service``, then a redirect with a message or the page again.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from partnership import permissions
from partnership.history import history_for
from partnership.selectors import delegation_by_code, delegations_by_name
from partnership.text import of_person
from partnership.viewutils import (
    Confirmation,
    gate,
    is_confirmed,
    paginate,
    personal_link_page,
    refusal_status,
    render_confirmation,
    run_service,
)

from . import calendar_selectors, selectors, services
from . import registrations as registration_services
from .calendar_feed import calendar_feed_response
from .convocation import convocation_calendar, registration_from_convocation
from .documents import half_day_hours
from .enums import ActionMode, RegistrationStatus
from .forms import (
    RegistrationFilterForm,
    RegistrationForm,
    SessionForm,
    TrainingActionForm,
    format_half_days,
)

SESSIONS_PER_PAGE = 50
ACTIONS_PER_PAGE = 50
REGISTRATIONS_PER_PAGE = 50


def _session(user, pk):
    """A session ``user`` may see, with its counts of registrations: another one is not found (404)."""
    return get_object_or_404(selectors.with_counts(selectors.sessions_visible_to(user)), pk=pk)


# --- Sessions -----------------------------------------------------------------------------------


@require_GET
@gate(permissions.can_use_trainings)
def session_list(request):
    past = request.GET.get("periode") == "passees"
    sessions = selectors.session_list(request.user, past=past, today=timezone.localdate())
    return render(
        request,
        "trainings/session_list.html",
        {
            "page": paginate(request, sessions, SESSIONS_PER_PAGE),
            "past": past,
            "can_view_actions": permissions.can_view_training_actions(request.user),
        },
    )


def _render_session_detail(request, session, form=None, status=200):
    """The session's page; its registration form is ``form`` when a submission came back with errors."""
    user = request.user
    registrations = (
        selectors.with_waiting_position(selectors.registrations_visible_to(user).filter(session=session))
    ).order_by("status", "created_at", "pk")
    can_register = permissions.can_register_agents(user) and not session.is_cancelled
    is_open = can_register and session.start_date > timezone.localdate()
    if form is None and is_open:
        form = RegistrationForm(employer_forced=permissions.is_hr_contact(user))
    return render(
        request,
        "trainings/session_detail.html",
        {
            "session": session,
            "half_days": list(session.half_days.order_by("date", "period")),
            "trainers": list(session.trainers.all()),
            "registrations": list(registrations),
            "is_open": is_open,
            "form": form,
            "can_manage": permissions.can_manage_delegation(user, session.action.delegation_id),
            "can_take_attendance": permissions.can_take_attendance(
                user,
                delegation_id=session.action.delegation_id,
                trainer_user_ids=selectors.trainer_user_ids(session),
            ),
            "is_hr_contact": permissions.is_hr_contact(user),
            "RegistrationStatus": RegistrationStatus,
            "history": history_for(session, user=user),
        },
        status=status,
    )


@require_GET
@gate(permissions.can_use_trainings)
def session_detail(request, pk: int):
    return _render_session_detail(request, _session(request.user, pk))


@require_POST
@gate(permissions.can_register_agents)
def registration_create(request, pk: int):
    session = _session(request.user, pk)
    form = RegistrationForm(request.POST, employer_forced=permissions.is_hr_contact(request.user))
    if form.is_valid():
        call = run_service(
            request,
            registration_services.registration_create,
            form,
            actor=request.user,
            session=session,
            **form.cleaned_data,
        )
        if call.ok:
            registration = call.result
            if registration.status == RegistrationStatus.CONFIRMED:
                messages.success(request, f"{registration.full_name} est inscrit(e) : inscription confirmée.")
            else:
                position = selectors.waiting_position(registration)
                messages.warning(
                    request,
                    f"La session est complète : {registration.full_name} est en liste d'attente (position {position}).",
                )
            return redirect("trainings:session_detail", pk=session.pk)
        return _render_session_detail(request, session, form=form, status=refusal_status(call.error))
    return _render_session_detail(request, session, form=form, status=400)


@gate(permissions.can_manage_trainings)
def session_create(request, action_pk: int):
    action = get_object_or_404(selectors.actions_manageable_by(request.user), pk=action_pk)
    form = SessionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        call = run_service(
            request, services.session_create, form, actor=request.user, action=action, **form.cleaned_data
        )
        if call.ok:
            messages.success(request, "La session est programmée.")
            return redirect("trainings:session_detail", pk=call.result.pk)
    return render(
        request, "trainings/session_form.html", {"form": form, "action": action}, status=400 if form.errors else 200
    )


@gate(permissions.can_manage_trainings)
def session_update(request, pk: int):
    session = get_object_or_404(selectors.with_counts(selectors.sessions_manageable_by(request.user)), pk=pk)
    if request.method == "POST":
        form = SessionForm(request.POST, session=session)
        if form.is_valid():
            call = run_service(
                request, services.session_update, form, actor=request.user, session=session, **form.cleaned_data
            )
            if call.ok:
                messages.success(request, "La session est modifiée.")
                return redirect("trainings:session_detail", pk=session.pk)
    else:
        form = SessionForm(
            session=session,
            initial={
                "half_days": format_half_days(session.half_days.all()),
                "venue": session.venue.code,
                "address": session.address,
                "capacity": session.capacity,
                "trainers": list(session.trainers.all()),
            },
        )
    return render(
        request,
        "trainings/session_form.html",
        {"form": form, "action": session.action, "session": session},
        status=400 if form.errors else 200,
    )


def _session_cancel_confirmation(session) -> Confirmation:
    registered = session.registrations.exclude(status=RegistrationStatus.CANCELLED).count()
    told = (
        f"Les {registered} inscriptions en cours (confirmées et en liste d'attente) seront annulées ; "
        "chaque agent en sera informé par e-mail."
        if registered > 1
        else "L'inscription en cours sera annulée ; l'agent en sera informé par e-mail."
        if registered == 1
        else "Aucun agent n'est inscrit : personne ne sera prévenu."
    )
    return Confirmation(
        title=f"Annuler la session du {session.start_date:%d/%m/%Y} ?",
        consequences=[
            f"La session « {session.action.title} » du {session.start_date:%d/%m/%Y} sera annulée.",
            told,
            "Une session annulée ne peut pas être rouverte.",
        ],
        confirm_label="Oui, annuler la session",
        cancel_url=session.get_absolute_url(),
    )


@require_POST
@gate(permissions.can_manage_trainings)
def session_cancel(request, pk: int):
    session = get_object_or_404(selectors.with_counts(selectors.sessions_manageable_by(request.user)), pk=pk)
    if not is_confirmed(request):
        return render_confirmation(request, _session_cancel_confirmation(session))
    if run_service(request, services.session_cancel, actor=request.user, session=session).ok:
        messages.success(request, "La session est annulée ; les agents inscrits sont prévenus par e-mail.")
    return redirect("trainings:session_detail", pk=session.pk)


# --- Actions ------------------------------------------------------------------------------------


@require_GET
@gate(permissions.can_view_training_actions)
def action_list(request):
    actions = selectors.actions_visible_to(request.user).order_by("-created_at", "-pk")
    # The page's ids first, then their rows with what they show: joined for 25 actions, not for the history.
    page = paginate(request, actions.values_list("pk", flat=True), ACTIONS_PER_PAGE)
    return render(
        request,
        "trainings/action_list.html",
        {
            "page": page,
            "actions": actions.filter(pk__in=list(page.object_list)),
            "can_create": permissions.is_delegation_staff(request.user),
        },
    )


@gate(permissions.can_manage_trainings)
def action_create(request):
    """A new action of the agent's own delegation; national staff first pick the delegation. Under a contract,
    the action comes from a line of its programme (``?ligne=``, the link of the contract's page)."""
    line = selectors.programme_line_for_action(request.user, request.GET.get("ligne", ""))
    if line is not None:
        delegation = line.contract.delegation
    elif permissions.is_delegation_staff(request.user):
        delegation = request.user.delegation
    else:
        delegation = delegation_by_code(request.GET.get("delegation", ""))
    if delegation is None:
        return render(request, "trainings/action_choose_delegation.html", {"delegations": delegations_by_name()})
    initial = {"programme_line": line, "theme": line.theme_id, "mode": ActionMode.INTRA} if line else {}
    data = request.POST if request.method == "POST" else None
    form = TrainingActionForm(data, delegation=delegation, initial=initial)
    if request.method == "POST" and form.is_valid():
        call = run_service(
            request,
            services.training_action_create,
            form,
            actor=request.user,
            delegation=delegation,
            **form.cleaned_data,
        )
        if call.ok:
            messages.success(request, "L'action de formation est créée. Programmez maintenant ses sessions.")
            return redirect("trainings:action_detail", pk=call.result.pk)
    line = form.cleaned_data.get("programme_line") if form.is_bound and form.is_valid() else line
    return render(
        request,
        "trainings/action_form.html",
        {"form": form, "delegation": delegation, "line": line},
        status=400 if form.errors else 200,
    )


@require_GET
@gate(permissions.can_view_training_actions)
def action_detail(request, pk: int):
    action = get_object_or_404(selectors.actions_visible_to(request.user), pk=pk)
    sessions = selectors.with_counts(action.sessions.select_related("venue__department")).order_by("start_date")
    return render(
        request,
        "trainings/action_detail.html",
        {
            "action": action,
            "sessions": list(sessions),
            "can_manage": permissions.can_manage_delegation(request.user, action.delegation_id),
            "history": history_for(action, user=request.user),
        },
    )


# --- Registrations ------------------------------------------------------------------------------


@require_GET
@gate(permissions.can_use_trainings)
def registration_list(request):
    """The registrations the user follows (an HR contact: their agents), with certificates."""
    user = request.user
    form = RegistrationFilterForm(request.GET or None, sessions=selectors.sessions_visible_to(user))
    filters = form.cleaned_data if form.is_valid() else {}
    registrations = selectors.registration_list(
        user,
        session=filters.get("session"),
        status=filters.get("status") or "",
        start=filters.get("start"),
        end=filters.get("end"),
    )
    if form.is_bound and not form.is_valid():
        # A filter that cannot apply (a session out of scope, a reversed period) lists nothing
        # rather than everything: the field says what to correct.
        registrations = registrations.none()
    # A delegation registers a hundred thousand agents a year: the list is paged without being counted.
    page = paginate(request, registrations, REGISTRATIONS_PER_PAGE, count=False)
    return render(
        request,
        "trainings/registration_list.html",
        {
            "filter_form": form,
            "session": form.cleaned_data.get("session") if form.is_bound and form.is_valid() else None,
            "page": page,
            "filtered": any(name != "page" for name in request.GET),
            "registrations": page.object_list,
        },
    )


def _registration_cancel_confirmation(request, registration) -> Confirmation:
    session = registration.session
    consequences = [
        f"L'inscription {of_person(registration.full_name)} à « {session.action.title} » "
        f"(session du {session.start_date:%d/%m/%Y}) sera annulée ; {registration.full_name} "
        "en sera informé·e par e-mail."
    ]
    promoted = selectors.seat_goes_to_if_cancelled(registration)
    user = request.user
    if promoted is not None and permissions.is_hr_contact(user) and promoted.employer_id != user.collectivity_id:
        # An HR contact sees only their own collectivité's agents: the next one stays anonymous.
        consequences.append(
            "La place libérée sera proposée à la première personne de la liste d'attente, qui recevra un e-mail."
        )
    elif promoted is not None:
        consequences.append(
            f"La place libérée sera proposée à {promoted.full_name} ({promoted.employer}), premier·e de la "
            "liste d'attente, qui recevra un e-mail."
        )
    return Confirmation(
        title=f"Annuler l'inscription {of_person(registration.full_name)} ?",
        consequences=consequences,
        confirm_label="Oui, annuler l'inscription",
        cancel_url=session.get_absolute_url(),
    )


@require_POST
@gate(permissions.can_register_agents)
def registration_cancel(request, pk: int):
    registration = get_object_or_404(selectors.registrations_manageable_by(request.user), pk=pk)
    if not is_confirmed(request):
        return render_confirmation(request, _registration_cancel_confirmation(request, registration))
    call = run_service(
        request, registration_services.registration_cancel, actor=request.user, registration=registration
    )
    if call.ok:
        text = f"L'inscription {of_person(registration.full_name)} est annulée."
        if call.result:
            text += " La première personne en liste d'attente obtient la place et en est informée par e-mail."
        messages.success(request, text)
    return redirect("trainings:session_detail", pk=registration.session_id)


# --- Calendar feed ------------------------------------------------------------------------------


@require_GET
def calendar_feed_view(request, code):
    """The iCalendar feed of a delegation, for calendar apps: the secret token replaces a login."""
    delegation = calendar_selectors.calendar_feed_delegation(code=code, token=request.GET.get("jeton", ""))
    if delegation is None:
        raise Http404
    return calendar_feed_response(request, delegation)


# --- The agent's convocation: a personal signed link, no account ------------------------------------


def _convocation_or_404(token):
    registration = registration_from_convocation(token)
    if registration is None:
        raise Http404
    return registration


@require_GET
@personal_link_page
def convocation(request, token):
    """What an agent needs to attend: their status, the half-days, the place, who organises, whom to ask."""
    registration = _convocation_or_404(token)
    session = registration.session
    return render(
        request,
        "trainings/convocation.html",
        {
            "registration": registration,
            "session": session,
            "half_days": [
                (half_day, half_day_hours(half_day)) for half_day in session.half_days.order_by("date", "period")
            ],
            "calendar_url": reverse("trainings:convocation_calendar", args=[token]),
        },
    )


@require_GET
@personal_link_page
def convocation_ics(request, token):
    registration = _convocation_or_404(token)
    url = request.build_absolute_uri(reverse("trainings:convocation", args=[token]))
    response = HttpResponse(convocation_calendar(registration, url), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="formation-{registration.session_id}.ics"'
    return response


@require_POST
@gate(permissions.can_manage_trainings)
def calendar_feed_regenerate(request, code):
    delegation = get_object_or_404(selectors.feed_delegations_manageable_by(request.user), code=code)
    services.calendar_feed_regenerate(actor=request.user, delegation=delegation)
    messages.success(request, "Nouveau lien d'abonnement créé : l'ancien lien ne fonctionne plus.")
    return redirect("trainings:session_calendar")
