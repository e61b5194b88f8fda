"""The reminder log and the opt-outs in the AMF's Django admin: read-only, with a « renvoyer » action through the service."""

from django.contrib import admin, messages

from partnership.admin_site import ScopedModelAdmin

from . import services
from .keys import address_key
from .models import ReminderLog, ReminderOptOut


@admin.register(ReminderLog)
class ReminderLogAdmin(ScopedModelAdmin):
    list_display = ["created_at", "kind", "recipient", "due_on", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "kind", "due_on"]
    search_fields = ["recipient", "recipient_name"]
    date_hierarchy = "created_at"
    actions = ["resend"]
    readonly_fields = [field.name for field in ReminderLog._meta.fields]

    def has_add_permission(self, request):
        return False  # reminders are decided by the job, never typed in

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the log is the proof of what was sent

    @admin.action(description="Renvoyer les rappels en échec sélectionnés")
    def resend(self, request, queryset):
        # Viewing the log is enough: resending a failed reminder changes nothing but its delivery.
        selected = list(queryset.values_list("pk", flat=True))
        count = services.reminder_resend(log_ids=selected)
        if count:
            self.message_user(
                request, f"{count} rappel{'s' if count > 1 else ''} remis en file d'envoi.", messages.SUCCESS
            )
        if count < len(selected):
            self.message_user(
                request,
                "Seuls les rappels en échec peuvent être renvoyés ; les autres sont inchangés.",
                messages.WARNING,
            )


@admin.register(ReminderOptOut)
class ReminderOptOutAdmin(ScopedModelAdmin):
    """Read only: turning a reminder off or on again is the person's choice (preferences, e-mail link)."""

    list_display = ["kind", "created_at"]
    list_filter = ["kind"]
    # Only the address's key is kept: a search types the whole address, which is compared by its key.
    search_fields = ["email_key"]
    search_help_text = "Adresse e-mail complète"

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(email_key=address_key(search_term)), False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
