"""The project's URLs: every app's pages under their French paths (the project floor, which names every app)."""

from django.contrib import admin
from django.urls import include, path

from .auth import ThrottledLoginView
from .health import healthz
from .import_views import import_list, import_report, import_table
from .proconnect import views as proconnect
from .views import (
    AccessibilityView,
    LegalNoticeView,
    PersonalDataView,
    collectivity_search,
    robots_txt,
)

urlpatterns = [
    # The home page, « À propos » and « À faire » compose the feature apps: the top floor, ``workspace``.
    path("", include("workspace.urls")),
    path("mentions-legales/", LegalNoticeView.as_view(), name="legal_notice"),
    path("donnees-personnelles/", PersonalDataView.as_view(), name="personal_data"),
    path("accessibilite/", AccessibilityView.as_view(), name="accessibility"),
    path("compte/", include("partnership.account_urls")),
    path("imports/", import_list, name="import_list"),
    path("imports/etat/", import_table, name="import_table"),
    path("imports/<int:pk>/rapport/", import_report, name="import_report"),
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("collectivites/recherche/", collectivity_search, name="collectivity_search"),
    path("connexion/", ThrottledLoginView.as_view(), name="login"),
    path("connexion/proconnect/", proconnect.LoginView.as_view(), name="proconnect_login"),
    path("connexion/proconnect/retour/", proconnect.callback, name="proconnect_callback"),
    path("connexion/proconnect/demande-acces/", proconnect.access_request, name="proconnect_access_request"),
    path("deconnexion/", proconnect.LogoutView.as_view(), name="logout"),
    path("deconnexion/proconnect/", proconnect.logout_callback, name="proconnect_logout_callback"),
    path("admin/login/", ThrottledLoginView.as_view(), name="admin_login"),
    path("admin/", admin.site.urls),
    path("formations/", include("trainings.urls")),
    path("contrats/", include("agreements.urls")),
    path("", include("agreements.signing.urls")),
    path("evenements/", include("events.urls")),
    path("stages-etudes/", include("agreements.axis5.urls")),
    path("statistiques/", include("stats.urls")),
    path("api/", include("stats.api_urls")),
    path("", include("notifications.urls")),
]
