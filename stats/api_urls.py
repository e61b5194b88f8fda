"""The open statistics API (``/api/v1/…``), its OpenAPI schema and its documentation page."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from . import api

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's initialiser as a script file: the CSP allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("v1/contracts/by-status/", api.ContractsByStatusView.as_view(), name="api-contracts-by-status"),
    path("v1/contracts/by-delegation/", api.ContractsByDelegationView.as_view(), name="api-contracts-by-delegation"),
    path("v1/contracts/by-year/", api.ContractsByYearView.as_view(), name="api-contracts-by-year"),
    path("v1/coverage/regions/", api.CoverageByRegionView.as_view(), name="api-coverage-regions"),
    path("v1/coverage/departments/", api.CoverageByDepartmentView.as_view(), name="api-coverage-departments"),
    path("v1/trainee-days/by-theme/", api.TraineeDaysByThemeView.as_view(), name="api-trainee-days-by-theme"),
    path("v1/trainee-days/by-scheme/", api.TraineeDaysBySchemeView.as_view(), name="api-trainee-days-by-scheme"),
    path("v1/trainees/by-category/", api.TraineesByCategoryView.as_view(), name="api-trainees-by-category"),
    path("v1/events/by-kind/", api.EventsByKindView.as_view(), name="api-events-by-kind"),
    path("v1/speakers/by-theme/", api.SpeakersByThemeView.as_view(), name="api-speakers-by-theme"),
    path("v1/speakers/by-region/", api.SpeakersByRegionView.as_view(), name="api-speakers-by-region"),
    path("v1/internships/by-status/", api.InternshipsByStatusView.as_view(), name="api-internships-by-status"),
    path("v1/studies/by-status/", api.StudiesByStatusView.as_view(), name="api-studies-by-status"),
    path("v1/exports/by-dataset/", api.ExportsByDatasetView.as_view(), name="api-exports-by-dataset"),
]
