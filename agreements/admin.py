from django.contrib import admin

from partnership.admin_site import ScopedInline, ScopedModelAdmin

from .models import Amendment, CollaborationAxis, FrameworkAgreement, Internship, Study


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
