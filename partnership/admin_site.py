"""The Django admin of AMF staff, guarded by the project's permission module."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from . import permissions


class PartnershipAdminSite(admin.AdminSite):
    site_header = "Administration du partenariat CNFPT – AMF"
    site_title = "Partenariat CNFPT – AMF"
    index_title = "Accord-cadre, contrats, événements, intervenants"

    def has_permission(self, request):
        return permissions.can_use_admin(request.user)


class PartnershipAdminConfig(AdminConfig):
    default_site = "partnership.admin_site.PartnershipAdminSite"


class ScopedModelAdmin(admin.ModelAdmin):
    """Permissions come from ``partnership.permissions``, not from per-user Django permissions.

    AMF staff read every registered model and change only the agreement-level ones.
    """

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
