"""The directory and the accounts in the AMF's Django admin: scoped to who asks, changes through the services."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join

from . import services
from .admin_site import HistoryAdminMixin, ReadOnlyModelAdmin, ScopedModelAdmin, ServiceModelAdmin
from .forms import UserChangeForm, UserCreationForm
from .models import (
    EPCI,
    ActionLogEntry,
    Collectivity,
    Commune,
    Delegation,
    Department,
    MayorsAssociation,
    Region,
    User,
)


@admin.register(Region)
class RegionAdmin(ScopedModelAdmin):
    list_display = ["code", "name", "zone"]
    list_filter = ["zone"]
    search_fields = ["code", "name"]


@admin.register(Department)
class DepartmentAdmin(ScopedModelAdmin):
    list_display = ["code", "name", "region", "zone"]
    list_filter = ["zone", "region"]
    list_select_related = ["region"]
    search_fields = ["code", "name"]


@admin.register(Collectivity)
class CollectivityAdmin(ScopedModelAdmin):
    """All collectivités, for the autocomplete widgets of the other admins."""

    list_display = ["name", "kind", "code", "siren", "department", "population"]
    list_filter = ["kind", "department__region"]
    list_select_related = ["department"]
    search_fields = ["search_name", "code", "siren"]
    exclude = ["members"]
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        return queryset.search(search_term) if search_term else queryset, False


@admin.register(Commune)
class CommuneAdmin(ScopedModelAdmin):
    list_display = ["name", "code", "siren", "department", "population"]
    list_filter = ["department__region"]
    list_select_related = ["department"]
    search_fields = ["search_name", "code", "siren"]
    readonly_fields = ["kind"]
    exclude = ["members", "epci_type"]
    show_full_result_count = False


@admin.register(EPCI)
class EpciAdmin(ScopedModelAdmin):
    list_display = ["name", "code", "epci_type", "department", "population"]
    list_filter = ["epci_type", "department__region"]
    list_select_related = ["department"]
    search_fields = ["search_name", "code"]
    readonly_fields = ["kind"]
    autocomplete_fields = ["members"]


@admin.register(Delegation)
class DelegationAdmin(HistoryAdminMixin, ServiceModelAdmin):
    """Saved by ``delegation_save``: a change of départements (the scope of the delegation's staff) is logged."""

    list_display = ["name", "region", "seat", "email"]
    list_select_related = ["region"]
    search_fields = ["name", "seat"]
    filter_horizontal = ["departments"]

    def save_through_service(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.DELEGATION_FIELDS if name in form.cleaned_data}
        return services.delegation_save(
            actor=request.user, delegation=obj, fields=fields, departments=form.cleaned_data.get("departments", [])
        )


@admin.register(MayorsAssociation)
class MayorsAssociationAdmin(ScopedModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "department", "email"]
    list_select_related = ["department"]
    search_fields = ["name", "department__code", "department__name"]


@admin.register(User)
class UserAdmin(ScopedModelAdmin, BaseUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    ordering = ["last_name", "first_name"]
    list_display = ["email", "last_name", "first_name", "role", "delegation", "collectivity", "is_active"]
    list_filter = ["role", "is_active", "delegation"]
    list_select_related = ["delegation", "collectivity__department"]
    search_fields = ["email", "last_name", "first_name"]
    autocomplete_fields = ["collectivity"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name", "function", "phone"]}),
        ("Rôle et périmètre", {"fields": ["role", "delegation", "collectivity"]}),
        ("Accès", {"fields": ["is_active", "is_staff", "is_superuser", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "fields": [
                    "email",
                    "first_name",
                    "last_name",
                    "role",
                    "delegation",
                    "collectivity",
                    "password1",
                    "password2",
                ]
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = []


@admin.register(ActionLogEntry)
class ActionLogEntryAdmin(ReadOnlyModelAdmin):
    """The action log of every object, append-only: read here, written only by the services."""

    list_display = ["created_at", "actor_label", "action", "object_link", "subject"]
    list_filter = ["action", "content_type"]
    list_select_related = ["content_type"]
    search_fields = ["actor_label", "subject"]
    date_hierarchy = "created_at"
    fields = ["created_at", "actor_label", "action", "object_link", "subject", "changes_table"]
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description="objet")
    def object_link(self, entry):
        # Named by type and number, read from the entry alone: a constant number of queries per page.
        label = f"{entry.content_type.name} n° {entry.object_id}"
        try:
            url = reverse(
                f"admin:{entry.content_type.app_label}_{entry.content_type.model}_change", args=[entry.object_id]
            )
        except NoReverseMatch:
            return label
        return format_html('<a href="{}">{}</a>', url, label)

    @admin.display(description="avant → après")
    def changes_table(self, entry):
        if not entry.changes:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li><strong>{}</strong>\u00a0: {} → {}</li>", entry.change_rows),
        )
