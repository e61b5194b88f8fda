from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models

from partnership.admin_site import ScopedInline, ScopedModelAdmin
from partnership.text import count_label

from . import services
from .models import Event, EventFeedback, EventRegistration, Speaker, SpeakerExpertise, TimeSlot


class TimeSlotInline(ScopedInline, admin.TabularInline):
    model = TimeSlot
    extra = 0
    autocomplete_fields = ["speakers"]


@admin.register(Event)
class EventAdmin(ScopedModelAdmin):
    list_display = ["title", "kind", "status", "delegation", "starts_at", "capacity"]
    list_filter = ["status", "kind", "theme", "delegation"]
    list_select_related = ["delegation"]
    search_fields = ["title", "topic"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["venue_commune"]
    filter_horizontal = ["mayors_associations"]
    exclude = ["created_by"]
    inlines = [TimeSlotInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(TimeSlot)
class TimeSlotAdmin(ScopedModelAdmin):
    list_display = ["title", "event", "starts_at", "ends_at"]
    list_select_related = ["event"]
    search_fields = ["title", "event__title"]
    autocomplete_fields = ["event", "speakers"]


@admin.register(EventRegistration)
class EventRegistrationAdmin(ScopedModelAdmin):
    """Registrations come from the public form; the admin reads them and cancels through the service."""

    list_display = ["last_name", "first_name", "email", "event", "quality", "collectivity", "status", "checked_in_at"]
    list_filter = ["status", "quality"]
    list_select_related = ["event", "collectivity__department"]
    search_fields = ["last_name", "first_name", "email", "event__title"]
    readonly_fields = [
        "event",
        "email",
        "collectivity",
        "status",
        "created_at",
        "promoted_at",
        "cancelled_at",
        "checked_in_at",
        "registered_by",
    ]
    exclude = ["token_hash"]
    actions = ["cancel_registrations"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Annuler les inscriptions sélectionnées (promotion de la liste d'attente)")
    def cancel_registrations(self, request, queryset):
        done = 0
        for registration in queryset:
            try:
                services.registration_cancel(registration=registration)
            except ValidationError as exc:
                self.message_user(request, f"{registration} : {' '.join(exc.messages)}", messages.ERROR)
            else:
                done += 1
        self.message_user(
            request, f"{count_label(done, 'inscription annulée', 'inscriptions annulées')}.", messages.SUCCESS
        )


@admin.register(EventFeedback)
class EventFeedbackAdmin(ScopedModelAdmin):
    list_display = ["registration", "rating", "created_at"]
    list_select_related = ["registration__event"]
    list_filter = ["rating"]


class SpeakerExpertiseInline(ScopedInline, admin.TabularInline):
    model = SpeakerExpertise
    extra = 0


@admin.register(Speaker)
class SpeakerAdmin(ScopedModelAdmin):
    list_display = ["last_name", "first_name", "organisation", "email", "is_active", "consent_given_at"]
    list_filter = ["is_active", "expertises__theme", "regions"]
    search_fields = ["last_name", "first_name", "organisation", "email"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["regions"]
    # Consent is the speaker's own act, recorded by their profile page: shown, never rewritten here
    # (an editable copy would also lose its sub-second part on every save, unchanged or not).
    readonly_fields = ["consent_given_at", "consent_text_version", "anonymised_at", "created_at", "updated_at"]
    inlines = [SpeakerExpertiseInline]
    actions = ["erase_speakers"]

    @admin.action(description="Effacer les données personnelles (RGPD) des intervenants sélectionnés")
    def erase_speakers(self, request, queryset):
        done = 0
        for speaker in queryset:
            try:
                services.speaker_erase(speaker=speaker, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{speaker} : {' '.join(exc.messages)}", messages.ERROR)
            else:
                done += 1
        self.message_user(
            request, f"{count_label(done, 'intervenant anonymisé', 'intervenants anonymisés')}.", messages.SUCCESS
        )
