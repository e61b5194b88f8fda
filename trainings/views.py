"""Pages of the trainings app: parse with a form, call one service, redirect or render.

Objects are always fetched through the selectors: what is out of the user's scope is a 404.
"""

import calendar
import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from partnership import permissions
from partnership.history import history_for
from partnership.models import Delegation
from partnership.pdf import render_pdf
from partnership.selectors import delegation_by_code, delegations_by_name
from partnership.text import count_label
from partnership.viewutils import Confirmation, add_service_errors, is_confirmed, render_confirmation

from . import selectors, services
from .documents import calendar_feed
from .enums import RegistrationStatus
from .forms import (
    AttendanceForm,
    AttendanceImportForm,
    RegistrationFilterForm,
    RegistrationForm,
    SessionForm,
    TrainingActionForm,
    format_half_days,
)

MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def _session_or_404(user, pk):
    return get_object_or_404(selectors.with_counts(selectors.sessions_visible_to(user)), pk=pk)


def _managed_session_or_404(user, pk):
    session = _session_or_404(user, pk)
    if not permissions.can_manage_delegation(user, session.action.delegation_id):
        raise Http404
    return session


def _attendance_session_or_404(user, pk):
    session = _session_or_404(user, pk)
    trainers = selectors.trainer_user_ids(session)
    if not permissions.can_take_attendance(user, delegation_id=session.action.delegation_id, trainer_user_ids=trainers):
        raise Http404
    return session


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


class WorkspaceView(LoginRequiredMixin, View):
    """Pages reserved to CNFPT staff, HR contacts and trainers; anyone else gets a 404."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (
            permissions.is_cnfpt_staff(user)
            or permissions.is_collectivity_user(user)
            or permissions.is_speaker(user)
            or permissions.is_amf_staff(user)
        ):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


# --- Sessions -----------------------------------------------------------------------------------


class SessionListView(WorkspaceView):
    def get(self, request):
        past = request.GET.get("periode") == "passees"
        sessions = selectors.session_list(request.user, past=past, today=timezone.localdate())
        page = Paginator(sessions, 50).get_page(request.GET.get("page"))
        return render(
            request,
            "trainings/session_list.html",
            {
                "page": page,
                "past": past,
                "can_manage": permissions.is_cnfpt_staff(request.user),
            },
        )


class SessionCalendarView(WorkspaceView):
    """A month grid, server-rendered: each day lists the half-days of the visible sessions."""

    def get(self, request):
        today = timezone.localdate()
        try:
            year, month = (int(part) for part in request.GET.get("mois", "").split("-"))
            first = datetime.date(year, month, 1)
            # The grid and its previous/next links step outside the month: years 1 and 9999 would overflow.
            if not datetime.MINYEAR < year < datetime.MAXYEAR:
                raise ValueError(year)
        except ValueError:
            first = today.replace(day=1)
        weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
        half_days = selectors.calendar_half_days(request.user, first=weeks[0][0], last=weeks[-1][-1])
        by_day: dict = {}
        for half_day in half_days:
            by_day.setdefault(half_day.date, []).append(half_day)
        previous = (first - datetime.timedelta(days=1)).replace(day=1)
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        feed_delegation = request.user.delegation if permissions.is_delegation_staff(request.user) else None
        feed = selectors.calendar_feed_for(feed_delegation) if feed_delegation else None
        return render(
            request,
            "trainings/session_calendar.html",
            {
                "title": f"{MONTHS[first.month - 1]} {first.year}",
                "month": first.month,
                "weekdays": WEEKDAYS,
                "weeks": [[(day, by_day.get(day, [])) for day in week] for week in weeks],
                "previous": f"{previous:%Y-%m}",
                "following": f"{following:%Y-%m}",
                "today": today,
                "feed_delegation": feed_delegation,
                "feed_url": request.build_absolute_uri(
                    reverse("trainings:calendar_feed", args=[feed_delegation.code]) + f"?jeton={feed.token}"
                )
                if feed
                else "",
            },
        )


class SessionDetailView(WorkspaceView):
    def get(self, request, pk, form=None):
        session = _session_or_404(request.user, pk)
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
        )


class RegistrationCreateView(SessionDetailView):
    def post(self, request, pk):
        session = _session_or_404(request.user, pk)
        if not permissions.can_register_agents(request.user):
            raise Http404
        form = RegistrationForm(request.POST, employer_forced=permissions.is_hr_contact(request.user))
        if form.is_valid():
            try:
                registration = services.registration_create(actor=request.user, session=session, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if registration.status == RegistrationStatus.CONFIRMED:
                    messages.success(request, f"{registration.full_name} est inscrit(e) : inscription confirmée.")
                else:
                    position = selectors.waiting_position(registration)
                    messages.warning(
                        request,
                        f"La session est complète : {registration.full_name} est en liste d'attente "
                        f"(position {position}).",
                    )
                return redirect("trainings:session_detail", pk=session.pk)
        return self.get(request, pk, form=form)


class SessionCreateView(WorkspaceView):
    template_name = "trainings/session_form.html"

    def _action(self, request, action_pk):
        action = get_object_or_404(selectors.actions_visible_to(request.user), pk=action_pk)
        if not permissions.can_manage_delegation(request.user, action.delegation_id):
            raise Http404
        return action

    def get(self, request, action_pk):
        action = self._action(request, action_pk)
        return render(request, self.template_name, {"form": SessionForm(), "action": action})

    def post(self, request, action_pk):
        action = self._action(request, action_pk)
        form = SessionForm(request.POST)
        if form.is_valid():
            try:
                session = services.session_create(actor=request.user, action=action, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "La session est programmée.")
                return redirect("trainings:session_detail", pk=session.pk)
        return render(request, self.template_name, {"form": form, "action": action})


class SessionUpdateView(WorkspaceView):
    template_name = "trainings/session_form.html"

    def get(self, request, pk):
        session = _managed_session_or_404(request.user, pk)
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
        return render(request, self.template_name, {"form": form, "action": session.action, "session": session})

    def post(self, request, pk):
        session = _managed_session_or_404(request.user, pk)
        form = SessionForm(request.POST, session=session)
        if form.is_valid():
            try:
                services.session_update(actor=request.user, session=session, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "La session est modifiée.")
                return redirect("trainings:session_detail", pk=session.pk)
        return render(request, self.template_name, {"form": form, "action": session.action, "session": session})


class SessionCancelView(WorkspaceView):
    def post(self, request, pk):
        session = _managed_session_or_404(request.user, pk)
        if not is_confirmed(request):
            registered = session.registrations.exclude(status=RegistrationStatus.CANCELLED).count()
            told = (
                f"Les {registered} inscriptions en cours (confirmées et en liste d'attente) seront annulées ; "
                "chaque agent en sera informé par e-mail."
                if registered > 1
                else "L'inscription en cours sera annulée ; l'agent en sera informé par e-mail."
                if registered == 1
                else "Aucun agent n'est inscrit : personne ne sera prévenu."
            )
            return render_confirmation(
                request,
                Confirmation(
                    title=f"Annuler la session du {session.start_date:%d/%m/%Y} ?",
                    consequences=[
                        f"La session « {session.action.title} » du {session.start_date:%d/%m/%Y} sera annulée.",
                        told,
                        "Une session annulée ne peut pas être rouverte.",
                    ],
                    confirm_label="Oui, annuler la session",
                    cancel_url=session.get_absolute_url(),
                ),
            )
        try:
            services.session_cancel(actor=request.user, session=session)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "La session est annulée ; les agents inscrits sont prévenus par e-mail.")
        return redirect("trainings:session_detail", pk=session.pk)


# --- Actions ------------------------------------------------------------------------------------


class ActionListView(WorkspaceView):
    def get(self, request):
        if not permissions.is_cnfpt_staff(request.user) and not permissions.is_amf_staff(request.user):
            raise Http404
        actions = selectors.actions_visible_to(request.user).order_by("-created_at", "-pk")
        page = Paginator(actions, 50).get_page(request.GET.get("page"))
        return render(
            request,
            "trainings/action_list.html",
            {"page": page, "can_create": permissions.is_delegation_staff(request.user)},
        )


class ActionCreateView(WorkspaceView):
    template_name = "trainings/action_form.html"

    def _delegation(self, request):
        """The delegation the action belongs to: the agent's own, or the one national staff picked."""
        if permissions.is_delegation_staff(request.user):
            return request.user.delegation
        if permissions.is_national_staff(request.user):
            code = request.GET.get("delegation", "")
            return delegation_by_code(code)
        raise Http404

    def _choose_delegation(self, request):
        return render(request, "trainings/action_choose_delegation.html", {"delegations": delegations_by_name()})

    def get(self, request):
        delegation = self._delegation(request)
        if delegation is None:
            return self._choose_delegation(request)
        form = TrainingActionForm(delegation=delegation)
        return render(request, self.template_name, {"form": form, "delegation": delegation})

    def post(self, request):
        delegation = self._delegation(request)
        if delegation is None:
            return self._choose_delegation(request)
        form = TrainingActionForm(request.POST, delegation=delegation)
        if form.is_valid():
            try:
                action = services.training_action_create(actor=request.user, delegation=delegation, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "L'action de formation est créée. Programmez maintenant ses sessions.")
                return redirect("trainings:action_detail", pk=action.pk)
        return render(request, self.template_name, {"form": form, "delegation": delegation})


class ActionDetailView(WorkspaceView):
    def get(self, request, pk):
        if not permissions.is_cnfpt_staff(request.user) and not permissions.is_amf_staff(request.user):
            raise Http404
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


class RegistrationListView(WorkspaceView):
    """The registrations the user follows (an HR contact: their agents), with certificates."""

    paginate_by = 50

    def get(self, request):
        user = request.user
        form = RegistrationFilterForm(request.GET or None, sessions=selectors.registered_sessions(user))
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
        page = Paginator(registrations, self.paginate_by).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "trainings/registration_list.html",
            {
                "filter_form": form,
                "page_obj": page,
                "is_paginated": page.has_other_pages(),
                "query_string": query.urlencode(),
                "registrations": page.object_list,
            },
        )


class RegistrationCancelView(WorkspaceView):
    def confirmation(self, registration) -> Confirmation:
        session = registration.session
        consequences = [
            f"L'inscription de {registration.full_name} à « {session.action.title} » "
            f"(session du {session.start_date:%d/%m/%Y}) sera annulée ; {registration.full_name} "
            "en sera informé·e par e-mail."
        ]
        promoted = selectors.seat_goes_to_if_cancelled(registration)
        user = self.request.user
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
            title=f"Annuler l'inscription de {registration.full_name} ?",
            consequences=consequences,
            confirm_label="Oui, annuler l'inscription",
            cancel_url=session.get_absolute_url(),
        )

    def post(self, request, pk):
        registration = get_object_or_404(selectors.registrations_visible_to(request.user), pk=pk)
        if not (
            permissions.is_hr_contact(request.user)
            or permissions.can_manage_delegation(request.user, registration.session.action.delegation_id)
        ):
            raise Http404
        if not is_confirmed(request):
            return render_confirmation(request, self.confirmation(registration))
        try:
            promoted = services.registration_cancel(actor=request.user, registration=registration)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            text = f"L'inscription de {registration.full_name} est annulée."
            if promoted:
                text += " La première personne en liste d'attente obtient la place et en est informée par e-mail."
            messages.success(request, text)
        return redirect("trainings:session_detail", pk=registration.session_id)


class CertificateView(WorkspaceView):
    """The attendance certificate: only for an agent present at least one half-day."""

    def get(self, request, pk):
        if not (permissions.is_cnfpt_staff(request.user) or permissions.is_hr_contact(request.user)):
            raise Http404
        registration = get_object_or_404(
            selectors.registrations_visible_to(request.user).select_related("session__action__scheme"), pk=pk
        )
        half_days = selectors.present_half_days(registration)
        if not half_days:
            raise Http404
        content = render_pdf(
            "trainings/certificate_pdf.html",
            {
                "registration": registration,
                "session": registration.session,
                "half_days": half_days,
                "trainee_days": len(half_days) * selectors.HALF_DAY,
                "issued_on": timezone.localdate(),
            },
        )
        return _pdf_response(content, f"attestation-{registration.pk}.pdf")


# --- Attendance ---------------------------------------------------------------------------------


class AttendanceView(WorkspaceView):
    template_name = "trainings/attendance_form.html"

    def _render(self, request, session, form):
        return render(request, self.template_name, {"session": session, "form": form})

    def get(self, request, pk):
        session = _attendance_session_or_404(request.user, pk)
        half_days, rows = selectors.attendance_grid(session)
        return self._render(request, session, AttendanceForm(half_days=half_days, rows=rows))

    def post(self, request, pk):
        session = _attendance_session_or_404(request.user, pk)
        half_days, rows = selectors.attendance_grid(session)
        form = AttendanceForm(request.POST, half_days=half_days, rows=rows)
        if form.is_valid():
            try:
                changed = services.attendance_record(actor=request.user, session=session, marks=form.marks())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Feuille d'émargement enregistrée ({count_label(changed, 'modification')}).")
                return redirect("trainings:attendance", pk=session.pk)
        return self._render(request, session, form)


class AttendanceSheetView(WorkspaceView):
    """The printable feuille d'émargement, with empty signature boxes."""

    def get(self, request, pk):
        session = _attendance_session_or_404(request.user, pk)
        half_days, rows = selectors.attendance_grid(session)
        content = render_pdf(
            "trainings/attendance_sheet_pdf.html",
            {
                "session": session,
                "half_days": half_days,
                "rows": rows,
                "trainers": list(session.trainers.all()),
            },
        )
        return _pdf_response(content, f"emargement-session-{session.pk}.pdf")


class AttendanceImportView(WorkspaceView):
    template_name = "trainings/attendance_import.html"

    def get(self, request, pk):
        session = _attendance_session_or_404(request.user, pk)
        return render(request, self.template_name, {"session": session, "form": AttendanceImportForm()})

    def post(self, request, pk):
        session = _attendance_session_or_404(request.user, pk)
        form = AttendanceImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                changed = services.attendance_import_csv(
                    actor=request.user, session=session, content=form.cleaned_data["file"].read()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"Import réussi : {count_label(changed, 'présence enregistrée', 'présences enregistrées')} ou modifiée{'s' if changed > 1 else ''}.",
                )
                return redirect("trainings:attendance", pk=session.pk)
        return render(request, self.template_name, {"session": session, "form": form})


# --- Calendar feed ------------------------------------------------------------------------------


def calendar_feed_view(request, code):
    """The iCalendar feed of a delegation, for calendar apps: the secret token replaces a login."""
    delegation = selectors.calendar_feed_delegation(code=code, token=request.GET.get("jeton", ""))
    if delegation is None:
        raise Http404
    half_days = selectors.calendar_feed_half_days(delegation, today=timezone.localdate())
    response = HttpResponse(calendar_feed(delegation, half_days), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="formations-{delegation.code}.ics"'
    return response


class CalendarFeedRegenerateView(WorkspaceView):
    def post(self, request, code):
        delegation = get_object_or_404(Delegation, code=code)
        if not permissions.can_manage_delegation(request.user, delegation.pk):
            raise Http404
        services.calendar_feed_regenerate(actor=request.user, delegation=delegation)
        messages.success(request, "Nouveau lien d'abonnement créé : l'ancien lien ne fonctionne plus.")
        return redirect("trainings:session_calendar")
