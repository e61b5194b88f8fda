from django.urls import path

from . import views

app_name = "axis5"

urlpatterns = [
    path("stages/", views.internship_list, name="internship_list"),
    path("stages/nouveau/", views.internship_create, name="internship_create"),
    path("stages/<int:pk>/", views.internship_detail, name="internship_detail"),
    path("stages/<int:pk>/modifier/", views.internship_edit, name="internship_edit"),
    path("stages/<int:pk>/statut/", views.internship_transition, name="internship_transition"),
    path("etudes/", views.study_list, name="study_list"),
    path("etudes/nouvelle/", views.study_create, name="study_create"),
    path("etudes/<int:pk>/", views.study_detail, name="study_detail"),
    path("etudes/<int:pk>/modifier/", views.study_edit, name="study_edit"),
    path("etudes/<int:pk>/statut/", views.study_transition, name="study_transition"),
    path("etudes/<int:pk>/livrer/", views.study_deliver, name="study_deliver"),
    path("etudes/<int:pk>/livrable/", views.study_deliverable, name="study_deliverable"),
]
