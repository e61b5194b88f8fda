"""Registering several agents of a session at once: a form of several lines, or a CSV file.

Both end in ``services.registration_create_many``: all the agents or none, errors by line.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from partnership import permissions
from partnership.viewutils import add_service_errors

from . import services
from .enums import RegistrationStatus
from .forms import REGISTRATION_MAX_ROWS, REGISTRATION_ROWS, RegistrationImportForm, RegistrationRowFormSet
from .views import WorkspaceView, _session_or_404

TEMPLATE = "trainings/registration_batch.html"
MORE_ROWS = (10, 20, 50)


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count <= 1 else plural}"


def batch_summary(registrations) -> str:
    """« 3 agents inscrits : 2 confirmés, 1 en liste d'attente. »"""
    confirmed = sum(1 for r in registrations if r.status == RegistrationStatus.CONFIRMED)
    waiting = len(registrations) - confirmed
    text = f"{_plural(len(registrations), 'agent inscrit', 'agents inscrits')}\u00a0: "
    text += f"{_plural(confirmed, 'inscription confirmée', 'inscriptions confirmées')}"
    if waiting:
        text += f", {_plural(waiting, 'en liste d’attente', 'en liste d’attente')}"
    return text + "."


class RegistrationBatchView(WorkspaceView):
    """The page with both ways in; it answers the several-lines form."""

    def _session(self, request, pk):
        session = _session_or_404(request.user, pk)
        if not permissions.can_register_agents(request.user):
            raise Http404
        return session

    def _formset(self, request, data=None):
        rows = REGISTRATION_ROWS
        if data is not None:
            return RegistrationRowFormSet(data, form_kwargs=self._form_kwargs(request))
        wanted = request.GET.get("lignes", "")
        if wanted.isdigit():
            rows = min(max(int(wanted), REGISTRATION_ROWS), REGISTRATION_MAX_ROWS)
        formset = RegistrationRowFormSet(form_kwargs=self._form_kwargs(request))
        formset.extra = rows
        return formset

    def _form_kwargs(self, request):
        return {"employer_forced": permissions.is_hr_contact(request.user)}

    def render_page(self, request, session, *, formset=None, import_form=None, errors=(), status=200):
        is_open = not session.is_cancelled and session.start_date > timezone.localdate()
        return render(
            request,
            TEMPLATE,
            {
                "session": session,
                "is_open": is_open,
                "formset": formset or self._formset(request),
                "import_form": import_form or RegistrationImportForm(),
                "errors": list(errors),
                "columns": services.registration_csv_columns(request.user),
                "is_hr_contact": permissions.is_hr_contact(request.user),
                "more_rows": MORE_ROWS,
            },
            status=status,
        )

    def get(self, request, pk):
        return self.render_page(request, self._session(request, pk))

    def post(self, request, pk):
        session = self._session(request, pk)
        formset = self._formset(request, request.POST)
        if not formset.is_valid():
            # The same « Ligne N : champ — message » summary as the service's, above the lines.
            rows = {
                number: ValidationError(form.errors.as_data())
                for number, form in enumerate(formset.forms, start=1)
                if form.errors
            }
            errors = [*formset.non_form_errors(), *(services.RegistrationBatchError(rows).messages if rows else [])]
            return self.render_page(request, session, formset=formset, errors=errors)
        filled = formset.agents()
        agents = [
            services.AgentRow(
                number=number,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                category=data["category"],
                job=data.get("job", ""),
                employer=data.get("employer"),
            )
            for number, data in filled
        ]
        try:
            registrations = services.registration_create_many(actor=request.user, session=session, agents=agents)
        except services.RegistrationBatchError as exc:
            for number, error in exc.rows.items():
                add_service_errors(formset.forms[number - 1], error)
            return self.render_page(request, session, formset=formset, errors=exc.messages)
        except ValidationError as exc:
            return self.render_page(request, session, formset=formset, errors=exc.messages)
        messages.success(request, batch_summary(registrations))
        return redirect("trainings:session_detail", pk=session.pk)


class RegistrationImportView(RegistrationBatchView):
    """The same page; it answers the CSV file."""

    def post(self, request, pk):
        session = self._session(request, pk)
        form = RegistrationImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                registrations = services.registration_import_csv(
                    actor=request.user, session=session, content=form.cleaned_data["file"].read()
                )
            except ValidationError as exc:
                return self.render_page(request, session, import_form=form, errors=exc.messages)
            messages.success(request, batch_summary(registrations))
            return redirect("trainings:session_detail", pk=session.pk)
        return self.render_page(request, session, import_form=form)


class RegistrationTemplateView(RegistrationBatchView):
    """The CSV file to fill in: the header and one example line, as a French spreadsheet opens it."""

    def get(self, request, pk):
        session = self._session(request, pk)
        columns = services.registration_csv_columns(request.user)
        example = ["Camille", "Martin", "camille.martin@mairie.example.fr", session.action.audience[0], "Secrétaire"]
        if len(columns) > len(example):
            example.append(session.venue.code if session.venue_id else "")
        # The BOM makes Excel read the file as UTF-8; the service accepts it with or without.
        content = "\ufeff" + ";".join(columns) + "\r\n" + ";".join(example) + "\r\n"
        response = HttpResponse(content.encode("utf-8"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="inscriptions-session-{session.pk}.csv"'
        return response
