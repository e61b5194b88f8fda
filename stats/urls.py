from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("exports/", views.export_list, name="export_list"),
    path("exports/demander/", views.export_create, name="export_create"),
    path("exports/etat/", views.export_table, name="export_table"),
    path("exports/<int:pk>/telecharger/", views.export_download, name="export_download"),
    path("api/jeton/", views.api_token, name="api_token"),
]
