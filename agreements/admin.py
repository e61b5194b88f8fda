from django.contrib import admin

from partnership.admin_site import ScopedInline, ScopedModelAdmin
from partnership.text import count_label

from . import services
from .models import (
    Amendment,
    CollaborationAxis,
    ContractAmendment,
    ContractDocument,
    ContractParty,
    ContractTransition,
    FrameworkAgreement,
    Internship,
    PartnershipContract,
    ProgrammeLine,
    Study,
    Theme,
)


class CollaborationAxisInline(ScopedInline, admin.TabularInline):
    model = CollaborationAxis
    extra = 0


class AmendmentInline(ScopedInline, admin.TabularInline):
    model = Amendment
    extra = 0


@admin.register(FrameworkAgreement)
class FrameworkAgreementAdmin(ScopedModelAdmin):
    list_display = ["title", "signed_on", "valid_from", "valid_until"]
    search_fields = ["title", "cnfpt_signatory", "amf_signatory"]
    inlines = [CollaborationAxisInline, AmendmentInline]


@admin.register(CollaborationAxis)
class CollaborationAxisAdmin(ScopedModelAdmin):
    list_display = ["number", "title", "agreement"]
    list_display_links = ["number", "title"]
    list_select_related = ["agreement"]
    search_fields = ["title", "description"]


@admin.register(Amendment)
class AmendmentAdmin(ScopedModelAdmin):
    list_display = ["number", "title", "agreement", "signed_on"]
    list_select_related = ["agreement"]
    search_fields = ["title", "summary"]
    date_hierarchy = "signed_on"


@admin.register(Internship)
class InternshipAdmin(ScopedModelAdmin):
    list_display = ["student_name", "promotion", "subject", "tutor", "start_date", "end_date", "status"]
    list_filter = ["status", "promotion"]
    search_fields = ["student_name", "subject", "tutor"]
    date_hierarchy = "start_date"


@admin.register(Study)
class StudyAdmin(ScopedModelAdmin):
    list_display = ["subject", "requester", "requested_on", "due_on", "status"]
    list_filter = ["status"]
    search_fields = ["subject", "requester", "authors"]
    date_hierarchy = "requested_on"
    exclude = ["created_by"]


# --- Partnership contracts -----------------------------------------------------------------------


class ContractPartyInline(ScopedInline, admin.TabularInline):
    model = ContractParty
    extra = 0
    autocomplete_fields = ["collectivity"]


class ProgrammeLineInline(ScopedInline, admin.TabularInline):
    model = ProgrammeLine
    extra = 0


class ContractTransitionInline(admin.TabularInline):
    """The history is append-only: shown, never edited."""

    model = ContractTransition
    extra = 0
    fields = ["at", "from_status", "to_status", "actor_label", "comment"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ContractDocumentInline(admin.TabularInline):
    model = ContractDocument
    extra = 0
    fields = ["title", "kind", "file", "sha256", "size", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Theme)
class ThemeAdmin(ScopedModelAdmin):
    list_display = ["label", "family", "code", "position", "is_active"]
    list_filter = ["family", "is_active"]
    search_fields = ["label", "code"]


@admin.register(PartnershipContract)
class PartnershipContractAdmin(ScopedModelAdmin):
    """AMF staff read every contract; changes go through the services (actions), and only drafts are editable."""

    list_display = ["reference", "title", "delegation", "status", "start_date", "end_date", "created_at"]
    list_filter = ["status", "delegation", "programme_lines__theme"]
    list_select_related = ["delegation"]
    search_fields = ["reference", "title", "parties__collectivity__search_name", "parties__collectivity__code"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["delegate", "advisers"]
    readonly_fields = ["reference", "status", "version", "created_by", "created_at", "submitted_at", "signed_at"]
    inlines = [ContractPartyInline, ProgrammeLineInline, ContractDocumentInline, ContractTransitionInline]
    actions = ["activate_or_expire_due"]

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return False
        return super().has_delete_permission(request, obj)

    def has_add_permission(self, request):
        # Contracts are drafted by delegations in the workspace, where every rule is checked.
        return False

    @admin.action(description="Mettre à jour les états selon les dates (en vigueur, échu)")
    def activate_or_expire_due(self, request, queryset):
        counts = services.contracts_update_periods()
        self.message_user(
            request,
            f"{count_label(counts['activated'], 'contrat mis', 'contrats mis')} en vigueur, "
            f"{count_label(counts['expired'], 'échu')}.",
        )


@admin.register(ContractTransition)
class ContractTransitionAdmin(ScopedModelAdmin):
    list_display = ["contract", "from_status", "to_status", "actor_label", "at"]
    list_filter = ["to_status"]
    list_select_related = ["contract"]
    search_fields = ["contract__reference", "actor_label", "comment"]
    date_hierarchy = "at"

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ContractAmendment)
class ContractAmendmentAdmin(ScopedModelAdmin):
    list_display = ["contract", "number", "title", "signed_on", "new_end_date"]
    list_select_related = ["contract"]
    search_fields = ["contract__reference", "title"]
    date_hierarchy = "created_at"

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
