"""The events' and the speakers' network's pages, under /evenements/."""

from django.urls import path

from . import speaker_views, views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("<int:pk>/", views.event_detail, name="event_detail"),
    path("<int:pk>/agenda.ics", views.event_calendar, name="event_calendar"),
    path("inscription/<str:token>/", views.registration_manage, name="registration_manage"),
    path("inscription/<str:token>/annuler/", views.registration_cancel_own, name="registration_cancel_own"),
    path(
        "inscription/<str:token>/attestation.pdf",
        views.registration_certificate_own,
        name="registration_certificate_own",
    ),
    path("gestion/", views.event_manage_list, name="event_manage_list"),
    path("gestion/nouveau/", views.event_create, name="event_create"),
    path("gestion/<int:pk>/", views.event_manage, name="event_manage"),
    path("gestion/<int:pk>/modifier/", views.event_edit, name="event_edit"),
    path("gestion/<int:pk>/publier/", views.event_publish, name="event_publish"),
    path("gestion/<int:pk>/annuler/", views.event_cancel, name="event_cancel"),
    path("gestion/<int:pk>/creneaux/<int:slot_pk>/supprimer/", views.timeslot_delete, name="timeslot_delete"),
    path("gestion/<int:pk>/inscriptions/", views.registration_list, name="registration_list"),
    path(
        "gestion/<int:pk>/inscriptions/<int:registration_pk>/annuler/",
        views.registration_cancel_by_staff,
        name="registration_cancel_by_staff",
    ),
    path(
        "gestion/<int:pk>/inscriptions/<int:registration_pk>/attestation.pdf",
        views.registration_certificate,
        name="registration_certificate",
    ),
    path("gestion/<int:pk>/pointage/", views.check_in, name="check_in"),
    path("intervenants/", speaker_views.speaker_list, name="speaker_list"),
    path("intervenants/<int:pk>/", speaker_views.speaker_detail, name="speaker_detail"),
    path("intervenants/<int:pk>/donnees.json", speaker_views.speaker_export, name="speaker_export"),
    path("intervenants/<int:pk>/effacer/", speaker_views.speaker_erase, name="speaker_erase"),
    path("mon-profil/", speaker_views.my_profile, name="my_profile"),
    path("mon-profil/donnees.json", speaker_views.my_profile_export, name="my_profile_export"),
]
