"""The Django admin of AMF staff, guarded by the project's permission module."""

from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.admin.apps import AdminConfig
from django.db import models
from django.utils.html import format_html

from . import permissions


class PartnershipAdminSite(admin.AdminSite):
    site_header = "Administration du partenariat CNFPT – AMF"
    site_title = "Partenariat CNFPT – AMF"
    index_title = "Accord-cadre, contrats, événements, intervenants"

    def has_permission(self, request):
        return permissions.can_use_admin(request.user)


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


class ScopedInline:
    def has_view_permission(self, request, obj=None):
        return permissions.admin_can_view(request.user, self.opts)

    def has_change_permission(self, request, obj=None):
        return permissions.admin_can_change(request.user, self.parent_model._meta)

    def has_add_permission(self, request, obj=None):
        return permissions.admin_can_change(request.user, self.parent_model._meta)

    def has_delete_permission(self, request, obj=None):
        return permissions.admin_can_change(request.user, self.parent_model._meta)
