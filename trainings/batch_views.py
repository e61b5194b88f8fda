"""Registering several agents of a session at once: a form of several lines, or a CSV file.

Both end in ``trainings.registrations.registration_create_many``: all the agents or none, every line's errors
at once. The file goes through the one CSV reader of ``partnership.imports`` (``trainings/imports.py``
declares its columns); a long file is imported by a worker and followed in « Mes imports ».
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from partnership import permissions
from partnership.import_forms import CsvImportForm
from partnership.import_views import import_upload
from partnership.viewutils import ErrorSummary, add_service_errors, gate, refusal_status, run_service

from . import imports, selectors
from . import registrations as registration_services
from .forms import REGISTRATION_MAX_ROWS, REGISTRATION_ROWS, RegistrationRowFormSet

TEMPLATE = "trainings/registration_batch.html"
MORE_ROWS = (10, 20, 50)


def _formset(request, data=None):
    """The lines of the form: ``REGISTRATION_ROWS`` empty lines, or as many as ``?lignes=`` asks (bounded)."""
    form_kwargs = {"employer_forced": permissions.is_hr_contact(request.user)}
    if data is not None:
        return RegistrationRowFormSet(data, form_kwargs=form_kwargs)
    rows = REGISTRATION_ROWS
    wanted = request.GET.get("lignes", "")
    if wanted.isdigit():
        rows = min(max(int(wanted), REGISTRATION_ROWS), REGISTRATION_MAX_ROWS)
    formset = RegistrationRowFormSet(form_kwargs=form_kwargs)
    formset.extra = rows
    return formset


def _session(user, pk):
    """A session ``user`` may see, with its counts of registrations: another one is not found (404)."""
    return get_object_or_404(selectors.with_counts(selectors.sessions_visible_to(user)), pk=pk)


def _import_form(request, session, data=None, files=None):
    return CsvImportForm(
        data, files, csv_format=imports.registration_format(request.user, session), label="Fichier CSV des agents"
    )


def _render_page(request, session, *, formset=None, import_form=None, errors=(), status=200):
    """The page with both ways in: the lines form and the CSV file."""
    is_open = not session.is_cancelled and session.start_date > timezone.localdate()
    return render(
        request,
        TEMPLATE,
        {
            "session": session,
            "is_open": is_open,
            "formset": formset or _formset(request),
            "import_form": import_form or _import_form(request, session),
            "errors": list(errors),
            "columns": imports.registration_columns(request.user),
            "is_hr_contact": permissions.is_hr_contact(request.user),
            "more_rows": MORE_ROWS,
        },
        status=status,
    )


def _register_all(request, session, agents, *, formset, errors):
    """``registration_create_many``: all the agents or none, then back to the session with a summary.

    ``errors`` are the lines the form already refused: the service checks the others and reports
    every line at once. A refusal is the page again with its summary above the lines
    (« Ligne N : … »); a line the service refused also gets its errors on its fields, as
    ``add_service_errors`` puts a service's errors on a form.
    """
    summary = ErrorSummary()
    call = run_service(
        request,
        registration_services.registration_create_many,
        summary,
        actor=request.user,
        session=session,
        agents=agents,
        errors=errors,
    )
    if not call.ok:
        for number, error in getattr(call.error, "rows", {}).items():
            if number not in errors:
                add_service_errors(formset.forms[number - 1], error)
        return _render_page(
            request, session, formset=formset, errors=summary.messages, status=refusal_status(call.error)
        )
    messages.success(request, imports.batch_summary(call.result))
    return redirect("trainings:session_detail", pk=session.pk)


@gate(permissions.can_register_agents)
def registration_batch(request, pk: int):
    """The page with both ways in; it answers the several-lines form."""
    session = _session(request.user, pk)
    if request.method != "POST":
        return _render_page(request, session)
    formset = _formset(request, request.POST)
    formset.is_valid()
    if formset.non_form_errors():
        return _render_page(request, session, formset=formset, errors=formset.non_form_errors(), status=400)
    # The lines the form refuses go to the service with the others: every line's errors come back at once.
    refused = {
        number: ValidationError(form.errors.as_data())
        for number, form in enumerate(formset.forms, start=1)
        if form.errors
    }
    agents = [
        registration_services.AgentRow(
            number=number,
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            category=data["category"],
            job=data.get("job", ""),
            employer=data.get("employer"),
        )
        for number, data in formset.agents()
        if number not in refused
    ]
    return _register_all(request, session, agents, formset=formset, errors=refused)


@require_POST
@gate(permissions.can_register_agents)
def registration_import(request, pk: int):
    """The same page; it answers the CSV file (``trainings.imports.REGISTRATIONS``)."""
    session = _session(request.user, pk)
    form = _import_form(request, session, request.POST, request.FILES)
    if not form.is_valid():
        return _render_page(request, session, import_form=form, status=400)
    summary = ErrorSummary()
    answer = import_upload(request, imports.REGISTRATIONS, session, form, summary)
    if answer is not None:
        return answer
    return _render_page(request, session, import_form=form, errors=summary.messages, status=400)


@require_GET
@gate(permissions.can_register_agents)
def registration_template(request, pk: int):
    """The CSV file to fill in: the header and one example line, as a French spreadsheet opens it."""
    session = _session(request.user, pk)
    columns = imports.registration_columns(request.user)
    example = ["Camille", "Martin", "camille.martin@mairie.example.fr", session.action.audience[0], "Secrétaire"]
    if len(columns) > len(example):
        example.append(session.venue.code if session.venue_id else "")
    # The BOM makes Excel read the file as UTF-8; the service accepts it with or without.
    content = "\ufeff" + ";".join(columns) + "\r\n" + ";".join(example) + "\r\n"
    response = HttpResponse(content.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="inscriptions-session-{session.pk}.csv"'
    return response
