"""Reference data (training schemes) for AMF staff; the rest is read-only, for national statistics.

Actions, sessions, registrations and attendance are changed in the workspace, whose services hold
the rules (capacity and waiting list, half-days, who may take attendance): the admin never writes them.
"""

from django.contrib import admin

from partnership.admin_site import HistoryAdminMixin, ReadOnlyInline, ReadOnlyModelAdmin, ScopedModelAdmin

from .models import Attendance, CalendarFeed, Registration, Session, SessionHalfDay, TrainingAction, TrainingScheme


@admin.register(TrainingScheme)
class TrainingSchemeAdmin(ScopedModelAdmin):
    list_display = ["label", "code", "duration_note", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["label", "code"]
    prepopulated_fields = {"code": ["label"]}


@admin.register(TrainingAction)
class TrainingActionAdmin(HistoryAdminMixin, ReadOnlyModelAdmin):
    list_display = ["title", "delegation", "scheme", "theme", "mode", "duration_days", "programme_line"]
    list_filter = ["mode", "scheme", "theme", "delegation"]
    list_select_related = ["delegation", "scheme", "theme", "programme_line"]
    search_fields = ["title", "objectives"]
    autocomplete_fields = ["delegation", "scheme"]
    raw_id_fields = ["programme_line"]


class SessionHalfDayInline(ReadOnlyInline, admin.TabularInline):
    model = SessionHalfDay
    extra = 0


@admin.register(Session)
class SessionAdmin(HistoryAdminMixin, ReadOnlyModelAdmin):
    list_display = ["action", "start_date", "end_date", "venue", "capacity", "status"]
    list_filter = ["status", "action__delegation"]
    list_select_related = ["action", "venue__department"]
    search_fields = ["action__title", "venue__search_name", "address"]
    autocomplete_fields = ["venue", "action", "trainers"]
    date_hierarchy = "start_date"
    inlines = [SessionHalfDayInline]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyModelAdmin):
    list_display = ["last_name", "first_name", "email", "category", "employer", "session", "status", "created_at"]
    list_filter = ["status", "category", "session__action__delegation"]
    list_select_related = ["employer__department", "session__action"]
    search_fields = ["last_name", "first_name", "email"]
    autocomplete_fields = ["employer", "session"]
    readonly_fields = ["registered_by", "created_at", "confirmed_at", "cancelled_at"]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyModelAdmin):
    list_display = ["registration", "half_day", "status", "recorded_at"]
    list_filter = ["status"]
    list_select_related = ["registration__session__action", "half_day"]
    search_fields = ["registration__last_name", "registration__email"]
    raw_id_fields = ["registration", "half_day"]
    readonly_fields = ["recorded_by"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyModelAdmin):
    list_display = ["delegation", "regenerated_at"]
    list_select_related = ["delegation"]
    exclude = ["token"]
