"""The framework agreement, contracts and axis 5 in the AMF's Django admin: scoped, read-only where the services own the change."""

from django.contrib import admin

from partnership import permissions
from partnership.admin_site import (
    HistoryAdminMixin,
    ReadOnlyInline,
    ReadOnlyModelAdmin,
    ScopedInline,
    ScopedModelAdmin,
    ServiceModelAdmin,
    apply_to_selected,
)
from partnership.text import count_label

from .axis5 import services as axis5
from .enums import InternshipStatus, StudyStatus
from .models import (
    Amendment,
    CollaborationAxis,
    ContractAmendment,
    ContractDocument,
    ContractParty,
    ContractSeal,
    ContractTransition,
    FrameworkAgreement,
    Internship,
    PartnershipContract,
    ProgrammeLine,
    Study,
    Theme,
)
from .services import lifecycle


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
    # Named groups: each fieldset of the page has a name (HTML_CodeSniffer H91.Fieldset.Name).
    fieldsets = [
        ("Accord-cadre", {"fields": ["title", "preamble", "document"]}),
        (
            "Signataires",
            {"fields": ["cnfpt_signatory", "cnfpt_signatory_function", "amf_signatory", "amf_signatory_function"]},
        ),
        ("Signature et validité", {"fields": ["signed_on", "signed_at_place", "valid_from", "valid_until"]}),
    ]

    def get_actions(self, request):
        # Deleting agreements ticked in a list would take their axes and amendments with them, unseen:
        # an agreement is deleted from its own page only, whose confirmation lists what goes with it.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


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
class InternshipAdmin(HistoryAdminMixin, ServiceModelAdmin):
    """Saved through the axis 5 services; the status moves only by the actions (its transitions)."""

    list_display = ["student_name", "promotion", "subject", "tutor", "start_date", "end_date", "status"]
    list_filter = ["status", "promotion"]
    search_fields = ["student_name", "subject", "tutor"]
    date_hierarchy = "start_date"
    readonly_fields = ["status", "created_at"]
    actions = ["start_internships", "complete_internships", "cancel_internships"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status == InternshipStatus.CANCELLED:
            return False
        return super().has_change_permission(request, obj)

    def save_through_service(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in axis5.INTERNSHIP_FIELDS if name in form.cleaned_data}
        if "report" in form.changed_data:
            # The clear checkbox gives False: no report.
            fields["report"] = form.cleaned_data["report"] or ""
        if change:
            return axis5.internship_update(internship=obj, actor=request.user, fields=fields)
        return axis5.internship_create(actor=request.user, fields=fields)

    def _transition(self, request, queryset, target, done):
        apply_to_selected(
            self,
            request,
            queryset,
            lambda internship: axis5.internship_transition(internship=internship, actor=request.user, target=target),
            done=done,
        )

    @admin.action(description="Démarrer les stages sélectionnés", permissions=["change"])
    def start_internships(self, request, queryset):
        self._transition(
            request, queryset, InternshipStatus.IN_PROGRESS, ("{count} stage démarré.", "{count} stages démarrés.")
        )

    @admin.action(description="Terminer les stages sélectionnés", permissions=["change"])
    def complete_internships(self, request, queryset):
        self._transition(
            request, queryset, InternshipStatus.COMPLETED, ("{count} stage terminé.", "{count} stages terminés.")
        )

    @admin.action(description="Annuler les stages sélectionnés", permissions=["change"])
    def cancel_internships(self, request, queryset):
        self._transition(
            request, queryset, InternshipStatus.CANCELLED, ("{count} stage annulé.", "{count} stages annulés.")
        )


@admin.register(Study)
class StudyAdmin(HistoryAdminMixin, ServiceModelAdmin):
    """Saved through the axis 5 services; the status moves by the actions, delivery (with its file) in the workspace."""

    list_display = ["subject", "requester", "requested_on", "due_on", "status"]
    list_filter = ["status"]
    search_fields = ["subject", "requester", "authors"]
    date_hierarchy = "requested_on"
    exclude = ["created_by"]
    readonly_fields = ["status", "delivered_on", "deliverable"]
    actions = ["start_studies", "cancel_studies"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status in (StudyStatus.DELIVERED, StudyStatus.CANCELLED):
            return False
        return super().has_change_permission(request, obj)

    def save_through_service(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in axis5.STUDY_FIELDS if name in form.cleaned_data}
        if change:
            return axis5.study_update(study=obj, actor=request.user, fields=fields)
        return axis5.study_create(actor=request.user, fields=fields)

    def _transition(self, request, queryset, target, done):
        apply_to_selected(
            self,
            request,
            queryset,
            lambda study: axis5.study_transition(study=study, actor=request.user, target=target),
            done=done,
        )

    @admin.action(description="Commencer les études sélectionnées", permissions=["change"])
    def start_studies(self, request, queryset):
        self._transition(
            request, queryset, StudyStatus.IN_PROGRESS, ("{count} étude commencée.", "{count} études commencées.")
        )

    @admin.action(description="Abandonner les études sélectionnées", permissions=["change"])
    def cancel_studies(self, request, queryset):
        self._transition(
            request, queryset, StudyStatus.CANCELLED, ("{count} étude abandonnée.", "{count} études abandonnées.")
        )


# --- Partnership contracts -----------------------------------------------------------------------


class ContractPartyInline(ReadOnlyInline, admin.TabularInline):
    model = ContractParty
    extra = 0


class ProgrammeLineInline(ReadOnlyInline, admin.TabularInline):
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
class PartnershipContractAdmin(HistoryAdminMixin, ScopedModelAdmin):
    """Contracts are read here and changed in the workspace, where the contract services check every rule.

    A draft's parties and programme carry the territory rule (and Paris's exclusion), its period the
    overlap rule, its version the concurrent-edit guard: the workspace's edit form is their one door.
    The periods action runs the same service as the daily task, on the selected contracts only.
    """

    list_display = [
        "reference",
        "title",
        "delegation",
        "status",
        "sealing_status",
        "start_date",
        "end_date",
        "created_at",
    ]
    list_filter = ["status", "sealing_status", "delegation", "programme_lines__theme"]
    list_select_related = ["delegation"]
    search_fields = ["reference", "title", "parties__collectivity__search_name", "parties__collectivity__code"]
    date_hierarchy = "start_date"
    inlines = [ContractPartyInline, ProgrammeLineInline, ContractDocumentInline, ContractTransitionInline]
    actions = ["activate_or_expire_due"]

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_update_periods_permission(self, request):
        return permissions.admin_can_change(request.user, self.opts)

    @admin.action(
        description="Mettre à jour l'état des contrats sélectionnés selon leurs dates (en vigueur, échu)",
        permissions=["update_periods"],
    )
    def activate_or_expire_due(self, request, queryset):
        counts = lifecycle.contracts_update_periods(contract_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            f"{count_label(counts['activated'], 'contrat mis', 'contrats mis')} en vigueur, "
            f"{count_label(counts['expired'], 'échu')}.",
        )


@admin.register(ContractTransition)
class ContractTransitionAdmin(ReadOnlyModelAdmin):
    """The history is append-only."""

    list_display = ["contract", "from_status", "to_status", "actor_label", "at"]
    list_filter = ["to_status"]
    list_select_related = ["contract"]
    search_fields = ["contract__reference", "actor_label", "comment"]
    date_hierarchy = "at"


@admin.register(ContractSeal)
class ContractSealAdmin(ReadOnlyModelAdmin):
    """Each sealed PDF's level and the renewal of its document timestamps (``agreements.signing.archive``):
    a renewal that fails shows here, with its reason, until the next run succeeds."""

    list_display = [
        "contract",
        "level",
        "timestamped_at",
        "renew_before",
        "renewals",
        "renewal_status",
        "renewal_error",
    ]
    list_filter = ["level", "renewal_status"]
    list_select_related = ["contract"]
    search_fields = ["contract__reference"]


@admin.register(ContractAmendment)
class ContractAmendmentAdmin(ReadOnlyModelAdmin):
    """Avenants are recorded in the workspace (``contract_add_amendment``), which also moves the end date."""

    list_display = ["contract", "number", "title", "signed_on", "new_end_date"]
    list_select_related = ["contract"]
    search_fields = ["contract__reference", "title"]
    date_hierarchy = "created_at"
