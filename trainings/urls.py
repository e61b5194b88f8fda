from django.urls import path

from . import batch_views, views

app_name = "trainings"

urlpatterns = [
    path("", views.SessionListView.as_view(), name="session_list"),
    path("calendrier/", views.SessionCalendarView.as_view(), name="session_calendar"),
    path("actions/", views.ActionListView.as_view(), name="action_list"),
    path("actions/nouvelle/", views.ActionCreateView.as_view(), name="action_create"),
    path("actions/<int:pk>/", views.ActionDetailView.as_view(), name="action_detail"),
    path("actions/<int:action_pk>/sessions/nouvelle/", views.SessionCreateView.as_view(), name="session_create"),
    path("sessions/<int:pk>/", views.SessionDetailView.as_view(), name="session_detail"),
    path("sessions/<int:pk>/modifier/", views.SessionUpdateView.as_view(), name="session_update"),
    path("sessions/<int:pk>/annuler/", views.SessionCancelView.as_view(), name="session_cancel"),
    path("sessions/<int:pk>/inscrire/", views.RegistrationCreateView.as_view(), name="registration_create"),
    path(
        "sessions/<int:pk>/inscrire/plusieurs/",
        batch_views.RegistrationBatchView.as_view(),
        name="registration_batch",
    ),
    path(
        "sessions/<int:pk>/inscrire/import/", batch_views.RegistrationImportView.as_view(), name="registration_import"
    ),
    path(
        "sessions/<int:pk>/inscrire/modele.csv",
        batch_views.RegistrationTemplateView.as_view(),
        name="registration_template",
    ),
    path("sessions/<int:pk>/emargement/", views.AttendanceView.as_view(), name="attendance"),
    path("sessions/<int:pk>/emargement/import/", views.AttendanceImportView.as_view(), name="attendance_import"),
    path("sessions/<int:pk>/feuille-emargement.pdf", views.AttendanceSheetView.as_view(), name="attendance_sheet"),
    path("inscriptions/", views.RegistrationListView.as_view(), name="registration_list"),
    path("inscriptions/<int:pk>/annuler/", views.RegistrationCancelView.as_view(), name="registration_cancel"),
    path("inscriptions/<int:pk>/attestation.pdf", views.CertificateView.as_view(), name="certificate"),
    path("delegations/<slug:code>/calendrier.ics", views.calendar_feed_view, name="calendar_feed"),
    path(
        "delegations/<slug:code>/calendrier/renouveler/",
        views.CalendarFeedRegenerateView.as_view(),
        name="calendar_feed_regenerate",
    ),
]
