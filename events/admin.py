"""Events and speakers for AMF staff: every save and every state change goes through ``events.services``."""

from django.contrib import admin
from django.db import models
from django.db.models import Count, Q

from partnership.admin_site import (
    HistoryAdminMixin,
    ReadOnlyInline,
    ReadOnlyModelAdmin,
    ScopedInline,
    ScopedModelAdmin,
    ServiceModelAdmin,
    apply_to_selected,
    confirm_action,
)
from partnership.text import of_person

from . import registrations as event_registrations
from . import selectors, services
from . import speakers as speaker_services
from .enums import EventStatus, RegistrationStatus
from .models import Event, EventFeedback, EventRegistration, Speaker, SpeakerExpertise, TimeSlot


class TimeSlotInline(ReadOnlyInline, admin.TabularInline):
    """The programme, shown with its event; slots are changed on their own page, where the period is checked."""

    model = TimeSlot
    extra = 0
    fields = ["title", "starts_at", "ends_at"]
    show_change_link = True


@admin.register(Event)
class EventAdmin(HistoryAdminMixin, ServiceModelAdmin):
    """Saved by ``event_create``/``event_update``: a capacity below the confirmed registrations is refused,
    a larger one promotes from the waiting list. The status moves only by the publish and cancel actions."""

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
    actions = ["publish_events", "cancel_events"]

    def get_readonly_fields(self, request, obj=None):
        # ``event_update`` keeps an event with its organiser: the delegation is chosen at creation.
        return ["status", "delegation"] if obj is not None else ["status"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status == EventStatus.CANCELLED:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A published event is cancelled (its registrants are told), never deleted.
        if obj is not None and obj.status != EventStatus.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def save_through_service(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.EVENT_FIELDS if name in form.cleaned_data}
        associations = form.cleaned_data.get("mayors_associations", [])
        if change:
            return services.event_update(event=obj, actor=request.user, mayors_associations=associations, fields=fields)
        return services.event_create(
            actor=request.user,
            delegation=form.cleaned_data.get("delegation"),
            mayors_associations=associations,
            fields=fields,
        )

    @admin.action(description="Publier les événements sélectionnés (ouvre les inscriptions)", permissions=["change"])
    def publish_events(self, request, queryset):
        apply_to_selected(
            self,
            request,
            queryset,
            lambda event: services.event_publish(event=event, actor=request.user),
            done=("{count} événement publié.", "{count} événements publiés."),
        )

    @admin.action(
        description="Annuler les événements sélectionnés (les inscrits sont prévenus par e-mail)",
        permissions=["change"],
    )
    def cancel_events(self, request, queryset):
        queryset = queryset.annotate(
            registered=Count("registrations", filter=~Q(registrations__status=RegistrationStatus.CANCELLED))
        )
        page = confirm_action(
            self,
            request,
            queryset,
            title="Annuler les événements sélectionnés ?",
            consequences=[
                f"« {event} » sera annulé ; "
                + (
                    f"ses {event.registered} inscrits en seront informés par e-mail."
                    if event.registered > 1
                    else "la personne inscrite en sera informée par e-mail."
                    if event.registered == 1
                    else "personne n'est inscrit."
                )
                for event in queryset
            ],
            confirm_label="Oui, annuler ces événements",
        )
        if page is not None:
            return page
        apply_to_selected(
            self,
            request,
            queryset,
            lambda event: services.event_cancel(event=event, actor=request.user),
            done=("{count} événement annulé.", "{count} événements annulés."),
        )


@admin.register(TimeSlot)
class TimeSlotAdmin(ServiceModelAdmin):
    """Saved and deleted by the time slot services, which keep each slot within its event."""

    list_display = ["title", "event", "starts_at", "ends_at"]
    list_select_related = ["event"]
    search_fields = ["title", "event__title"]
    autocomplete_fields = ["event", "speakers"]

    def get_readonly_fields(self, request, obj=None):
        return ["event"] if obj is not None else []

    def save_through_service(self, request, obj, form, change):
        data = form.cleaned_data
        values = {
            "actor": request.user,
            "title": data["title"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "description": data.get("description", ""),
            "speakers": data.get("speakers", []),
        }
        if change:
            return services.timeslot_update(slot=obj, **values)
        return services.timeslot_create(event=data["event"], **values)

    def delete_model(self, request, obj):
        services.timeslot_delete(slot=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for slot in queryset:
            services.timeslot_delete(slot=slot, actor=request.user)


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

    def has_change_permission(self, request, obj=None):
        # An anonymised registration is what the retention job left: nobody writes a name back into it.
        if obj is not None and obj.anonymised_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(
        description="Annuler les inscriptions sélectionnées (promotion de la liste d'attente)", permissions=["change"]
    )
    def cancel_registrations(self, request, queryset):
        page = confirm_action(
            self,
            request,
            queryset,
            title="Annuler les inscriptions sélectionnées ?",
            consequences=_cancellation_consequences(queryset.select_related("event")),
            confirm_label="Oui, annuler ces inscriptions",
        )
        if page is not None:
            return page
        apply_to_selected(
            self,
            request,
            queryset,
            lambda registration: event_registrations.registration_cancel(registration=registration, actor=request.user),
            done=("{count} inscription annulée.", "{count} inscriptions annulées."),
        )


def _cancellation_consequences(registrations) -> list[str]:
    """One line per registration: who loses their seat and who, on the waiting list, gets it."""
    lines = []
    promoted_so_far: dict[int, int] = {}
    for registration in registrations:
        line = f"L'inscription {of_person(registration.full_name)} à « {registration.event} » sera annulée"
        if selectors.seat_goes_to_if_cancelled(registration) is not None:
            # Several seats freed on one event go down the waiting list in order.
            rank = promoted_so_far.get(registration.event_id, 0)
            promoted_so_far[registration.event_id] = rank + 1
            following = selectors.waiting_list(registration.event)[rank : rank + 1].first()
            if following is not None:
                line += f" ; sa place sera proposée à {following.full_name}, qui recevra un e-mail"
        lines.append(line + ".")
    return lines


@admin.register(EventFeedback)
class EventFeedbackAdmin(ReadOnlyModelAdmin):
    """A participant's own opinion: read, never rewritten."""

    list_display = ["registration", "rating", "created_at"]
    list_select_related = ["registration__event"]
    list_filter = ["rating"]


class SpeakerExpertiseInline(ScopedInline, admin.TabularInline):
    model = SpeakerExpertise
    extra = 0


@admin.register(Speaker)
class SpeakerAdmin(HistoryAdminMixin, ServiceModelAdmin):
    """Saved by ``speaker_save``. The consent is the speaker's own act (their profile page): shown here, never set."""

    list_display = ["last_name", "first_name", "organisation", "email", "is_active", "consent_given_at"]
    list_filter = ["is_active", "expertises__theme", "regions"]
    search_fields = ["last_name", "first_name", "organisation", "email"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["regions"]
    # An editable copy of the consent date would also lose its sub-second part on every save.
    readonly_fields = ["consent_given_at", "consent_text_version", "anonymised_at", "created_at", "updated_at"]
    inlines = [SpeakerExpertiseInline]
    actions = ["erase_speakers"]

    def has_change_permission(self, request, obj=None):
        # Erased data stays erased.
        if obj is not None and obj.is_anonymised:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Deleting would take the speaker's interventions out of the statistics: erasure (RGPD) keeps them.
        return False

    def save_through_service(self, request, obj, form, change):
        fields = {
            name: form.cleaned_data[name] for name in speaker_services.SPEAKER_STAFF_FIELDS if name in form.cleaned_data
        }
        return speaker_services.speaker_save(
            actor=request.user,
            speaker=obj if change else None,
            fields=fields,
            regions=form.cleaned_data.get("regions", []),
        )

    @admin.action(
        description="Effacer les données personnelles (RGPD) des intervenants sélectionnés", permissions=["change"]
    )
    def erase_speakers(self, request, queryset):
        page = confirm_action(
            self,
            request,
            queryset,
            title="Effacer les données personnelles des intervenants sélectionnés ?",
            consequences=[
                f"{speaker} : nom, coordonnées, organisme et présentation seront effacés définitivement, et son "
                "compte utilisateur désactivé ; ses interventions restent comptées, sans son nom."
                for speaker in queryset
            ],
            confirm_label="Oui, effacer ces données",
        )
        if page is not None:
            return page
        apply_to_selected(
            self,
            request,
            queryset,
            lambda speaker: speaker_services.speaker_erase(speaker=speaker, actor=request.user),
            done=("{count} intervenant anonymisé.", "{count} intervenants anonymisés."),
        )
