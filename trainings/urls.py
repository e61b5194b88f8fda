"""The trainings' pages, under /formations/: sessions, calendar, registrations, attendance, convocations, feeds."""

from django.urls import path

from . import attendance_views, batch_views, calendar_views, views

app_name = "trainings"

urlpatterns = [
    path("", views.session_list, name="session_list"),
    path("calendrier/", calendar_views.session_calendar, name="session_calendar"),
    path("actions/", views.action_list, name="action_list"),
    path("actions/nouvelle/", views.action_create, name="action_create"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:action_pk>/sessions/nouvelle/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/modifier/", views.session_update, name="session_update"),
    path("sessions/<int:pk>/annuler/", views.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/inscrire/", views.registration_create, name="registration_create"),
    path(
        "sessions/<int:pk>/inscrire/plusieurs/",
        batch_views.registration_batch,
        name="registration_batch",
    ),
    path("sessions/<int:pk>/inscrire/import/", batch_views.registration_import, name="registration_import"),
    path(
        "sessions/<int:pk>/inscrire/modele.csv",
        batch_views.registration_template,
        name="registration_template",
    ),
    path("sessions/<int:pk>/emargement/", attendance_views.attendance, name="attendance"),
    path("sessions/<int:pk>/emargement/import/", attendance_views.attendance_import, name="attendance_import"),
    path("sessions/<int:pk>/feuille-emargement.pdf", attendance_views.attendance_sheet, name="attendance_sheet"),
    path("inscriptions/", views.registration_list, name="registration_list"),
    path("inscriptions/<int:pk>/annuler/", views.registration_cancel, name="registration_cancel"),
    path("inscriptions/<int:pk>/attestation.pdf", attendance_views.certificate, name="certificate"),
    path("convocation/<str:token>/", views.convocation, name="convocation"),
    path("convocation/<str:token>/formation.ics", views.convocation_ics, name="convocation_calendar"),
    path("delegations/<slug:code>/calendrier.ics", views.calendar_feed_view, name="calendar_feed"),
    path(
        "delegations/<slug:code>/calendrier/renouveler/",
        views.calendar_feed_regenerate,
        name="calendar_feed_regenerate",
    ),
]
