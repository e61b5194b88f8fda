"""Axis 5 pages: INET internships and AMF studies.

CNFPT staff (national and delegations) and AMF staff read them; AMF and national staff change them.
Each view has the workspace shape (``partnership.viewutils``): gate, selector, form and service, then
a redirect with a message or the page again.
"""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from partnership import permissions
from partnership.history import history_for
from partnership.viewutils import gate, paginate, run_service

from ..enums import InternshipStatus, StudyStatus
from . import selectors, services
from .forms import (
    InternshipForm,
    InternshipTransitionForm,
    StudyDeliverForm,
    StudyForm,
    StudyTransitionForm,
)
from .services import INTERNSHIP_TRANSITIONS, STUDY_TRANSITIONS


def _edit(request, form, *, save, list_url: str, title: str, success: str):
    """Render the create/edit form; on a valid POST call ``save(fields=cleaned_data)`` (a service) and redirect to
    the object's page. « Annuler » goes back to the object's page when editing, to ``list_url`` when creating."""
    if request.method == "POST" and form.is_valid():
        call = run_service(request, save, form, fields=form.cleaned_data)
        if call.ok:
            messages.success(request, success)
            return redirect(call.result)
    instance = form.instance
    cancel_url = instance.get_absolute_url() if instance.pk else reverse(list_url)
    # A form sent back with its errors (the form's or the service's) is an ordinary validation error: 400.
    status = 400 if request.method == "POST" else 200
    return render(
        request, "agreements/axis5/form.html", {"form": form, "title": title, "cancel_url": cancel_url}, status=status
    )


def _list(request, queryset, template, statuses):
    status = request.GET.get("statut", "")
    if status in statuses.values:
        queryset = queryset.filter(status=status)
    page = paginate(request, queryset, 30)
    return render(
        request,
        template,
        {
            "page": page,
            "items": page.object_list,
            "statuses": statuses.choices,
            "current_status": status,
            "can_change": permissions.can_change_axis5(request.user),
        },
    )


# --- Internships --------------------------------------------------------------------------------


@require_GET
@gate(permissions.can_view_axis5)
def internship_list(request):
    return _list(
        request,
        selectors.internships_visible_to(request.user),
        "agreements/axis5/internship_list.html",
        InternshipStatus,
    )


@require_GET
@gate(permissions.can_view_axis5)
def internship_detail(request, pk: int):
    internship = get_object_or_404(selectors.internships_visible_to(request.user), pk=pk)
    targets = INTERNSHIP_TRANSITIONS.get(internship.status, set())
    return render(
        request,
        "agreements/axis5/internship_detail.html",
        {
            "internship": internship,
            "can_change": permissions.can_change_axis5(request.user),
            "transitions": [(value, label) for value, label in InternshipStatus.choices if value in targets],
            "history": history_for(internship, user=request.user),
        },
    )


@gate(permissions.can_change_axis5)
def internship_create(request):
    return _edit(
        request,
        InternshipForm(request.POST or None),
        save=lambda *, fields: services.internship_create(actor=request.user, fields=fields),
        list_url="axis5:internship_list",
        title="Nouveau stage INET",
        success="Stage enregistré.",
    )


@gate(permissions.can_change_axis5)
def internship_edit(request, pk: int):
    internship = get_object_or_404(selectors.internships_visible_to(request.user), pk=pk)
    return _edit(
        request,
        InternshipForm(request.POST or None, instance=internship),
        save=lambda *, fields: services.internship_update(internship=internship, actor=request.user, fields=fields),
        list_url="axis5:internship_list",
        title=f"Modifier le stage : {internship}",
        success="Stage enregistré.",
    )


@require_POST
@gate(permissions.can_change_axis5)
def internship_transition(request, pk: int):
    internship = get_object_or_404(selectors.internships_visible_to(request.user), pk=pk)
    form = InternshipTransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Statut inconnu.")
    elif run_service(
        request,
        services.internship_transition,
        internship=internship,
        actor=request.user,
        target=form.cleaned_data["target"],
    ).ok:
        messages.success(request, f"Statut du stage : {internship.get_status_display()}.")
    return redirect("axis5:internship_detail", pk=internship.pk)


# --- Studies ------------------------------------------------------------------------------------


@require_GET
@gate(permissions.can_view_axis5)
def study_list(request):
    return _list(request, selectors.studies_visible_to(request.user), "agreements/axis5/study_list.html", StudyStatus)


def _study_detail(request, study, deliver_form=None, status=200):
    targets = STUDY_TRANSITIONS.get(study.status, set()) - {StudyStatus.DELIVERED}
    return render(
        request,
        "agreements/axis5/study_detail.html",
        {
            "study": study,
            "can_change": permissions.can_change_axis5(request.user),
            "transitions": [(value, label) for value, label in StudyStatus.choices if value in targets],
            "deliver_form": deliver_form or StudyDeliverForm(),
            "history": history_for(study, user=request.user),
        },
        status=status,
    )


@require_GET
@gate(permissions.can_view_axis5)
def study_detail(request, pk: int):
    return _study_detail(request, get_object_or_404(selectors.studies_visible_to(request.user), pk=pk))


@require_GET
@gate(permissions.can_view_axis5)
def study_deliverable(request, pk: int):
    """The study's deliverable, through a permission check (media files are not served publicly)."""
    study = get_object_or_404(selectors.study_deliverables_visible_to(request.user), pk=pk)
    return FileResponse(
        study.deliverable.open("rb"), as_attachment=True, filename=study.deliverable.name.rsplit("/", 1)[-1]
    )


@gate(permissions.can_change_axis5)
def study_create(request):
    return _edit(
        request,
        StudyForm(request.POST or None),
        save=lambda *, fields: services.study_create(actor=request.user, fields=fields),
        list_url="axis5:study_list",
        title="Nouvelle étude pour l'AMF",
        success="Étude enregistrée.",
    )


@gate(permissions.can_change_axis5)
def study_edit(request, pk: int):
    study = get_object_or_404(selectors.studies_visible_to(request.user), pk=pk)
    return _edit(
        request,
        StudyForm(request.POST or None, instance=study),
        save=lambda *, fields: services.study_update(study=study, actor=request.user, fields=fields),
        list_url="axis5:study_list",
        title=f"Modifier l'étude : {study}",
        success="Étude enregistrée.",
    )


@require_POST
@gate(permissions.can_change_axis5)
def study_transition(request, pk: int):
    study = get_object_or_404(selectors.studies_visible_to(request.user), pk=pk)
    form = StudyTransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pour livrer l'étude, indiquez la date de livraison et joignez le livrable.")
    elif run_service(
        request, services.study_transition, study=study, actor=request.user, target=form.cleaned_data["target"]
    ).ok:
        messages.success(request, f"Statut de l'étude : {study.get_status_display()}.")
    return redirect("axis5:study_detail", pk=study.pk)


@require_POST
@gate(permissions.can_change_axis5)
def study_deliver(request, pk: int):
    study = get_object_or_404(selectors.studies_visible_to(request.user), pk=pk)
    form = StudyDeliverForm(request.POST, request.FILES)
    if form.is_valid():
        call = run_service(
            request,
            services.study_deliver,
            form,
            study=study,
            actor=request.user,
            delivered_on=form.cleaned_data["delivered_on"],
            deliverable=form.cleaned_data["deliverable"],
        )
        if call.ok:
            messages.success(request, "Étude livrée.")
            return redirect("axis5:study_detail", pk=study.pk)
    return _study_detail(request, study, deliver_form=form, status=400)
