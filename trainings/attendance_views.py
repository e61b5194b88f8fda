"""Pages of the feuille d'émargement (the grid, its PDF, its CSV import) and of the attendance certificate."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from partnership import permissions
from partnership.import_forms import CsvImportForm
from partnership.import_views import import_upload
from partnership.pdf import render_pdf
from partnership.text import count_label
from partnership.viewutils import ErrorSummary, gate, run_service

from . import attendance as attendance_services
from . import imports, selectors
from .forms import AttendanceForm


def _session(user, pk):
    """A session whose attendance ``user`` may take, with its counts: another one is not found (404)."""
    return get_object_or_404(selectors.with_counts(selectors.sessions_attendance_takeable_by(user)), pk=pk)


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
@gate(permissions.can_register_agents)
def certificate(request, pk: int):
    """The attendance certificate: only for an agent present at least one half-day."""
    registration = get_object_or_404(
        selectors.certificates_visible_to(request.user).select_related("session__action__scheme"), pk=pk
    )
    half_days = selectors.present_half_days(registration)
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


@gate(permissions.can_record_attendance)
def attendance(request, pk: int):
    session = _session(request.user, pk)
    half_days, rows = selectors.attendance_grid(session)
    form = AttendanceForm(request.POST if request.method == "POST" else None, half_days=half_days, rows=rows)
    if request.method == "POST" and form.is_valid():
        call = run_service(
            request,
            attendance_services.attendance_record,
            form,
            actor=request.user,
            session=session,
            marks=form.marks(),
        )
        if call.ok:
            messages.success(request, f"Feuille d'émargement enregistrée ({count_label(call.result, 'modification')}).")
            return redirect("trainings:attendance", pk=session.pk)
    return render(
        request,
        "trainings/attendance_form.html",
        {"session": session, "form": form},
        status=400 if form.errors else 200,
    )


@require_GET
@gate(permissions.can_record_attendance)
def attendance_sheet(request, pk: int):
    """The printable feuille d'émargement, with empty signature boxes."""
    session = _session(request.user, pk)
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


@gate(permissions.can_record_attendance)
def attendance_import(request, pk: int):
    """Attendance from a CSV file (``trainings.imports.ATTENDANCE``), through the one reader of every import."""
    session = _session(request.user, pk)
    csv_format = imports.ATTENDANCE.format(request.user, session)
    form = CsvImportForm(request.POST or None, request.FILES or None, csv_format=csv_format)
    summary = ErrorSummary()
    if request.method == "POST" and form.is_valid():
        answer = import_upload(request, imports.ATTENDANCE, session, form, summary)
        if answer is not None:
            return answer
    return render(
        request,
        "trainings/attendance_import.html",
        {"session": session, "form": form, "errors": summary.messages},
        status=400 if form.errors or summary.messages else 200,
    )
