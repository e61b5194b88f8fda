from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .auth import ThrottledLoginView
from .health import healthz
from .views import (
    AboutView,
    AccessibilityView,
    HomeView,
    LegalNoticeView,
    PersonalDataView,
    collectivity_search,
    robots_txt,
)

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("a-propos/", AboutView.as_view(), name="about"),
    path("", include("workspace.urls")),
    path("mentions-legales/", LegalNoticeView.as_view(), name="legal_notice"),
    path("donnees-personnelles/", PersonalDataView.as_view(), name="personal_data"),
    path("accessibilite/", AccessibilityView.as_view(), name="accessibility"),
    path("compte/", include("partnership.account_urls")),
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("collectivites/recherche/", collectivity_search, name="collectivity_search"),
    path("connexion/", ThrottledLoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
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
