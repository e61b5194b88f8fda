"""Event pages: the public pages, the personal link of a registration, and the staff workspace.

The workspace views have the shape of every workspace (``partnership.viewutils``): a gate, a scoped
read (out of scope is 404), a form and one service through ``run_service``, then a redirect with a
message or the page again.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from partnership import permissions
from partnership.auth import client_ip
from partnership.form_errors import form_errors_summary
from partnership.history import history_for
from partnership.ratelimit import allow
from partnership.text import count_label, of_person
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

from . import registrations as event_registrations
from . import selectors, services, timing
from .documents import attendance_certificate_pdf, certificate_filename
from .enums import RegistrationStatus
from .forms import (
    CheckInForm,
    EventForm,
    FeedbackForm,
    RegistrationForm,
    TimeSlotForm,
)
from .ics import event_ics
from .models import Event, EventRegistration


def _managed_event(request, pk: int) -> Event:
    return get_object_or_404(selectors.events_managed_by(request.user), pk=pk)


# --- Public pages -------------------------------------------------------------------------------


@require_GET
def event_list(request):
    page = paginate(request, selectors.events_published(), 25)
    return render(
        request,
        "events/event_list.html",
        {"page": page, "events": page.object_list, "can_manage": permissions.can_manage_events(request.user)},
    )


def event_detail(request, pk: int):
    """The event page (anonymous-readable once published) and its registration form."""
    event = get_object_or_404(selectors.event_pages_visible_to(request.user), pk=pk)
    initial_collectivity = request.user.collectivity if permissions.is_collectivity_user(request.user) else None
    form = RegistrationForm(request.POST or None, initial_collectivity=initial_collectivity)
    refused = None
    if request.method == "POST" and not allow(
        f"event-registration-ip:{client_ip(request)}", limit=30, window_seconds=3600
    ):
        # Public page: keep a robot from filling an event (each registration also sends an e-mail).
        form.add_error(None, "Trop d'inscriptions depuis votre connexion. Réessayez dans une heure.")
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        call = run_service(
            request,
            event_registrations.registration_create,
            form,
            event_id=event.pk,
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            quality=data["quality"],
            collectivity=data["collectivity"],
            job_title=data["job_title"],
            registered_by=request.user,
        )
        if call.ok:
            registration = call.result
            if registration.status == RegistrationStatus.CONFIRMED:
                messages.success(
                    request,
                    f"Inscription confirmée. Un e-mail de confirmation a été envoyé à {registration.email}.",
                )
            else:
                messages.warning(
                    request,
                    "L'événement est complet : vous êtes inscrit(e) sur la liste d'attente. "
                    f"Un e-mail a été envoyé à {registration.email}.",
                )
            return redirect("events:event_detail", pk=event.pk)
        refused = call.error
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "form": form,
            "registration_open": selectors.registration_is_open(event),
            "seats_left": max(event.capacity - event.confirmed_count, 0),
            "can_manage": permissions.can_manage_event(request.user, event),
        },
        status=refusal_status(refused) if request.method == "POST" and form.errors else 200,
    )


@require_GET
def event_calendar(request, pk: int):
    event = get_object_or_404(selectors.events_visible_to(request.user).select_related("venue_commune"), pk=pk)
    response = HttpResponse(event_ics(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="evenement-{event.pk}.ics"'
    return response


def _registration_from_token(token: str) -> EventRegistration:
    """The registration of a personal link: an unknown token is not found (404)."""
    return get_object_or_404(selectors.registrations_of_link(token))


@personal_link_page
def registration_manage(request, token: str):
    """The personal page of a registration: cancel, give feedback, download the certificate."""
    registration = _registration_from_token(token)
    feedback_form = FeedbackForm(request.POST or None)
    if request.method == "POST" and feedback_form.is_valid():
        call = run_service(
            request,
            event_registrations.feedback_submit,
            feedback_form,
            registration=registration,
            rating=feedback_form.cleaned_data["rating"],
            comment=feedback_form.cleaned_data["comment"],
        )
        if call.ok:
            messages.success(request, "Merci, votre avis a bien été enregistré.")
            return redirect("events:registration_manage", token=token)
    return render(
        request,
        "events/registration_manage.html",
        {
            "registration": registration,
            "event": registration.event,
            "token": token,
            "feedback_form": feedback_form,
            "has_feedback": hasattr(registration, "feedback"),
            "certificate_ready": timing.certificates_are_available(registration.event),
            "certificate_from": timing.certificates_available_from(registration.event),
        },
        status=400 if request.method == "POST" and feedback_form.errors else 200,
    )


@require_POST
@personal_link_page
def registration_cancel_own(request, token: str):
    registration = _registration_from_token(token)
    if not is_confirmed(request):
        consequences = [
            f"Votre inscription à « {registration.event.title} » ({registration.event.period_display}) sera annulée."
        ]
        if selectors.seat_goes_to_if_cancelled(registration):
            consequences.append(
                "Votre place sera proposée à la première personne de la liste d'attente, qui recevra un e-mail."
            )
        consequences.append("Pour participer ensuite, il faudra vous inscrire de nouveau, s'il reste des places.")
        return render_confirmation(
            request,
            Confirmation(
                title="Annuler mon inscription ?",
                consequences=consequences,
                confirm_label="Oui, annuler mon inscription",
                cancel_url=reverse("events:registration_manage", args=[token]),
            ),
        )
    if run_service(request, event_registrations.registration_cancel, registration=registration).ok:
        messages.success(request, "Votre inscription est annulée.")
    return redirect("events:registration_manage", token=token)


@require_GET
@personal_link_page
def registration_certificate_own(request, token: str):
    return _certificate_response(_registration_from_token(token))


def _certificate_response(registration: EventRegistration):
    if registration.checked_in_at is None or not timing.certificates_are_available(registration.event):
        raise Http404  # a certificate exists for a participant checked in, once the event is over
    pdf = attendance_certificate_pdf(registration)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate_filename(registration)}"'
    return response


# --- Staff workspace ----------------------------------------------------------------------------


@require_GET
@gate(permissions.can_manage_events)
def event_manage_list(request):
    page = paginate(request, selectors.events_managed_by(request.user), 25)
    return render(request, "events/event_manage_list.html", {"page": page, "events": page.object_list})


@gate(permissions.can_manage_events)
def event_create(request):
    form = EventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        call = run_service(
            request,
            services.event_create,
            form,
            actor=request.user,
            delegation=form.delegation(),
            mayors_associations=form.cleaned_data["mayors_associations"],
            fields=form.event_fields(),
        )
        if call.ok:
            messages.success(request, "Événement créé en brouillon.")
            return redirect("events:event_manage", pk=call.result.pk)
    return render(
        request,
        "events/event_form.html",
        {"form": form, "event": None, "errors": form_errors_summary(form)},
        status=400 if form.errors else 200,
    )


@gate(permissions.can_manage_events)
def event_edit(request, pk: int):
    event = _managed_event(request, pk)
    form = EventForm(request.POST or None, instance=event, user=request.user)
    status = 400
    if request.method == "POST" and form.is_valid():
        call = run_service(
            request,
            services.event_update,
            form,
            event=event,
            actor=request.user,
            mayors_associations=form.cleaned_data["mayors_associations"],
            fields=form.event_fields(),
        )
        if call.ok:
            messages.success(request, "Événement enregistré.")
            return redirect("events:event_manage", pk=event.pk)
        status = refusal_status(call.error)
    return render(
        request,
        "events/event_form.html",
        {"form": form, "event": event, "errors": form_errors_summary(form)},
        status=status if form.errors else 200,
    )


@gate(permissions.can_manage_events)
def event_manage(request, pk: int):
    """The event's staff page: status, programme (with the form to add a slot), actions."""
    event = _managed_event(request, pk)
    form = TimeSlotForm(request.POST or None)
    status = 400
    if request.method == "POST" and form.is_valid():
        call = run_service(
            request, services.timeslot_create, form, event=event, actor=request.user, **form.cleaned_data
        )
        if call.ok:
            messages.success(request, "Créneau ajouté au programme.")
            return redirect("events:event_manage", pk=event.pk)
        status = refusal_status(call.error)
    slots = event.time_slots.prefetch_related("speakers").order_by("starts_at")
    return render(
        request,
        "events/event_manage.html",
        {"event": event, "slots": slots, "slot_form": form, "history": history_for(event, user=request.user)},
        status=status if form.errors else 200,
    )


@require_POST
@gate(permissions.can_manage_events)
def timeslot_delete(request, pk: int, slot_pk: int):
    event = _managed_event(request, pk)
    slot = get_object_or_404(event.time_slots, pk=slot_pk)
    services.timeslot_delete(slot=slot, actor=request.user)
    messages.success(request, "Créneau retiré du programme.")
    return redirect("events:event_manage", pk=event.pk)


@require_POST
@gate(permissions.can_manage_events)
def event_publish(request, pk: int):
    event = _managed_event(request, pk)
    if run_service(request, services.event_publish, event=event, actor=request.user).ok:
        messages.success(request, "Événement publié : sa page est en ligne et les inscriptions sont ouvertes.")
    return redirect("events:event_manage", pk=event.pk)


@require_POST
@gate(permissions.can_manage_events)
def event_cancel(request, pk: int):
    event = _managed_event(request, pk)
    if not is_confirmed(request):
        registered = event.registrations.exclude(status=RegistrationStatus.CANCELLED).count()
        told = (
            f"Les {registered} inscrits (confirmés et en liste d'attente) en seront informés par e-mail."
            if registered > 1
            else "La personne inscrite en sera informée par e-mail."
            if registered == 1
            else "Personne n'est inscrit : aucun e-mail ne sera envoyé."
        )
        return render_confirmation(
            request,
            Confirmation(
                title=f"Annuler l'événement « {event.title} » ?",
                consequences=[
                    f"L'événement « {event.title} » ({event.period_display}) sera annulé et ses inscriptions fermées.",
                    told,
                    "Un événement annulé ne peut plus être modifié ni publié de nouveau.",
                ],
                confirm_label="Oui, annuler l'événement",
                cancel_url=reverse("events:event_manage", args=[event.pk]),
            ),
        )
    if run_service(request, services.event_cancel, event=event, actor=request.user).ok:
        messages.success(request, "Événement annulé ; les inscrits sont prévenus par e-mail.")
    return redirect("events:event_manage", pk=event.pk)


@require_GET
@gate(permissions.can_manage_events)
def registration_list(request, pk: int):
    event = _managed_event(request, pk)
    registrations = selectors.event_registrations(event)
    return render(
        request,
        "events/registration_list.html",
        {
            "event": event,
            "registrations": registrations,
            "statuses": RegistrationStatus,
            "certificates_ready": timing.certificates_are_available(event),
        },
    )


def _staff_cancel_confirmation(event: Event, registration: EventRegistration) -> Confirmation:
    consequences = [
        f"L'inscription {of_person(registration.full_name)} ({registration.email}) à « {event.title} » sera annulée."
    ]
    promoted = selectors.seat_goes_to_if_cancelled(registration)
    if promoted is not None:
        consequences.append(
            f"La place libérée sera proposée à {promoted.full_name}, premier·e de la liste d'attente, "
            "qui recevra un e-mail."
        )
    elif registration.status == RegistrationStatus.CONFIRMED:
        consequences.append(
            "Personne n'attend sur la liste d'attente : la place restera libre pour une nouvelle inscription."
        )
    return Confirmation(
        title=f"Annuler l'inscription {of_person(registration.full_name)} ?",
        consequences=consequences,
        confirm_label="Oui, annuler l'inscription",
        cancel_url=reverse("events:registration_list", args=[event.pk]),
    )


@require_POST
@gate(permissions.can_manage_events)
def registration_cancel_by_staff(request, pk: int, registration_pk: int):
    event = _managed_event(request, pk)
    registration = get_object_or_404(event.registrations, pk=registration_pk)
    if not is_confirmed(request):
        return render_confirmation(request, _staff_cancel_confirmation(event, registration))
    call = run_service(request, event_registrations.registration_cancel, registration=registration, actor=request.user)
    if call.ok:
        text = f"Inscription {of_person(registration.full_name)} annulée."
        if call.result:
            text += " Promu(e) depuis la liste d'attente : " + ", ".join(r.full_name for r in call.result) + "."
        messages.success(request, text)
    return redirect("events:registration_list", pk=event.pk)


@gate(permissions.can_manage_events)
def check_in(request, pk: int):
    """Check-in on the day: one form, one checkbox per confirmed participant."""
    event = _managed_event(request, pk)
    registrations = event.registrations.filter(status=RegistrationStatus.CONFIRMED).select_related(
        "collectivity__department"
    )
    form = CheckInForm(request.POST or None, registrations=registrations)
    if request.method == "POST" and form.is_valid():
        call = run_service(
            request,
            event_registrations.registrations_check_in,
            form,
            event=event,
            actor=request.user,
            present_ids={r.pk for r in form.cleaned_data["present"]},
        )
        if call.ok:
            present = count_label(call.result, "participant présent", "participants présents")
            messages.success(request, f"Présences enregistrées : {present}.")
            return redirect("events:check_in", pk=event.pk)
    return render(
        request,
        "events/check_in.html",
        {"event": event, "form": form, "check_in_open": timing.check_in_is_open(event)},
        status=400 if form.errors else 200,
    )


@require_GET
@gate(permissions.can_manage_events)
def registration_certificate(request, pk: int, registration_pk: int):
    event = _managed_event(request, pk)
    registration = get_object_or_404(event.registrations.select_related("event", "collectivity"), pk=registration_pk)
    return _certificate_response(registration)
