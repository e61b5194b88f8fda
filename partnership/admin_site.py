"""The Django admin of AMF staff, guarded by the project's permission module."""

from functools import update_wrapper

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers, widgets
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from . import permissions
from .viewutils import CONFIRM_FIELD, add_service_errors


class PartnershipAdminSite(admin.AdminSite):
    """``admin.site``: its titles are set here and nowhere else."""

    site_header = "Administration du partenariat CNFPT – AMF"
    site_title = "Partenariat CNFPT – AMF"
    index_title = "Accord-cadre, événements, intervenants et statistiques"

    def has_permission(self, request):
        return permissions.can_use_admin(request.user)

    def admin_view(self, view, cacheable=False):
        """Django's guard, with the project's refusal rule: a logged-in user who may not use the admin gets 403.

        Django sends every refused request to the admin's login page, which sends a logged-in user
        back to ``next``: for a logged-in user who is not AMF staff, ``/admin/`` and
        ``/admin/login/?next=/admin/`` redirected to each other until the browser gave up.
        """
        guarded = super().admin_view(view, cacheable)

        def refuse_logged_in(request, *args, **kwargs):
            if (
                request.user.is_authenticated
                and not self.has_permission(request)
                and request.path != reverse("admin:logout", current_app=self.name)
            ):
                raise PermissionDenied
            return guarded(request, *args, **kwargs)

        return update_wrapper(refuse_logged_in, guarded)


class PartnershipAdminConfig(AdminConfig):
    default_site = "partnership.admin_site.PartnershipAdminSite"


class LabelledSplitDateTime(widgets.AdminSplitDateTime):
    """Django's date + time widget, with « Date » and « Heure » as real labels of their inputs.

    Django labels only the field as a whole and no longer ties that label to the first input
    (``MultiWidget.id_for_label`` is empty), so both inputs had no accessible name (axe « label »).
    """

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        date, time = context["widget"]["subwidgets"]
        context["date_label"] = format_html('<label for="{}">{}</label>', date["attrs"]["id"], context["date_label"])
        context["time_label"] = format_html('<label for="{}">{}</label>', time["attrs"]["id"], context["time_label"])
        return context


class ScopedModelAdmin(admin.ModelAdmin):
    """Permissions come from ``partnership.permissions``, not from per-user Django permissions.

    AMF staff read every registered model and change only the agreement-level ones.
    """

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        # After Django merged its defaults with the subclass's own overrides, which stay the last word.
        datetime_options = self.formfield_overrides.setdefault(models.DateTimeField, {})
        if datetime_options.get("widget") in (None, widgets.AdminSplitDateTime):
            datetime_options["widget"] = LabelledSplitDateTime

    def has_view_permission(self, request, obj=None):
        return permissions.admin_can_view(request.user, self.opts)

    def has_module_permission(self, request):
        return permissions.admin_can_view(request.user, self.opts)

    def has_change_permission(self, request, obj=None):
        return permissions.admin_can_change(request.user, self.opts)

    def has_add_permission(self, request):
        return permissions.admin_can_change(request.user, self.opts)

    def has_delete_permission(self, request, obj=None):
        return permissions.admin_can_change(request.user, self.opts)


def label_row_fields(form, index: int | None) -> None:
    """Name each visible field of a tabular inline's row by its column and its row (« Intitulé, ligne 3 »).

    Django's tabular inline puts the column's label in a header cell only: the fields themselves had
    no accessible name (axe « label »). The empty row that « Ajouter » copies is « nouvelle ligne ».
    """
    row = f"ligne {index + 1}" if index is not None else "nouvelle ligne"
    for field in form.fields.values():
        widget = field.widget
        # A date-time field labels its own two inputs (``LabelledSplitDateTime``).
        if widget.is_hidden or isinstance(widget, forms.MultiWidget):
            continue
        widget.attrs["aria-label"] = f"{field.label}, {row}"


class ScopedInline:
    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if not isinstance(self, admin.TabularInline):
            return formset

        class LabelledFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                label_row_fields(form, index)

        return LabelledFormSet

    def has_view_permission(self, request, obj=None):
        return permissions.admin_can_view(request.user, self.opts)

    def has_change_permission(self, request, obj=None):
        return permissions.admin_can_change(request.user, self.parent_model._meta)

    def has_add_permission(self, request, obj=None):
        return permissions.admin_can_change(request.user, self.parent_model._meta)

    def has_delete_permission(self, request, obj=None):
        return permissions.admin_can_change(request.user, self.parent_model._meta)


class HistoryAdminMixin:
    """The object's action log (``partnership.history``) beneath its change form, as on its page."""

    change_form_template = "admin/partnership/change_form_history.html"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Imported here: this module is loaded with the admin's AppConfig, before the models exist.
        from .history import history_for  # noqa: PLC0415 — loaded with the admin AppConfig, before the models

        if obj is not None:
            context["history"] = history_for(obj, user=request.user)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)


class ReadOnlyModelAdmin(ScopedModelAdmin):
    """Shown to every admin user, changed by nobody: these objects have their own doors, where the rules live."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline:
    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _ServiceRefused(Exception):
    def __init__(self, error: ValidationError):
        super().__init__(error)
        self.error = error


class ServiceModelAdmin(ScopedModelAdmin):
    """A change form whose save is a service call.

    Subclasses implement ``save_through_service(request, obj, form, change)`` and return the saved
    object. When the service refuses (``ValidationError``), the admin's transaction is rolled back
    and the same POST is shown again, every input kept, with the service's message on the form:
    nothing is half-saved and nothing typed is lost.
    """

    def save_through_service(self, request, obj, form, change):
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        try:
            saved = self.save_through_service(request, obj, form, change)
        except ValidationError as exc:
            raise _ServiceRefused(exc) from exc
        # The admin goes on with ``obj`` (log entry, redirect): give it the saved row's identity.
        obj.pk = saved.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # Many-to-many fields are the service's business; inlines, each admin's own.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _ServiceRefused as refused:
            # Raised inside the admin's atomic block: nothing was written. Validate the same POST
            # again with the refusal on the form, which renders it with every value as typed.
            request._service_refusal = refused.error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, "_service_refusal", None)
        if refusal is None:
            return form_class

        class RefusedForm(form_class):
            def clean(self):
                cleaned = super().clean()
                add_service_errors(self, refusal)
                return cleaned

        return RefusedForm


def apply_to_selected(modeladmin, request, queryset, call, *, done: tuple[str, str]) -> int:
    """Run ``call(obj)`` (a service) on each selected row, and on them only, each in its own transaction.

    Each refusal is reported with the row it concerns; ``done`` (singular and plural, with
    ``{count}``) reports the successes. Returns the number of successes.
    """
    count = 0
    for obj in queryset:
        try:
            with transaction.atomic():
                call(obj)
        except ValidationError as exc:
            modeladmin.message_user(request, f"{obj} : {' '.join(exc.messages)}", messages.ERROR)
        else:
            count += 1
    if count:
        modeladmin.message_user(request, done[count > 1].format(count=count), messages.SUCCESS)
    return count


def confirm_action(modeladmin, request, queryset, *, title: str, consequences: list[str], confirm_label: str):
    """The admin's confirmation step for an action that cannot be undone (as Django's own « delete selected »).

    Returns the page to show, or ``None`` once the person confirmed on that page.
    """
    if request.POST.get(CONFIRM_FIELD) == "oui":
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "consequences": consequences,
        "queryset": queryset,
        "action": request.POST["action"],
        "opts": modeladmin.model._meta,
        "confirm_label": confirm_label,
        "confirm_field": CONFIRM_FIELD,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/partnership/confirm_action.html", context)
