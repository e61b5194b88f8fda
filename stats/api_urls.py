"""The open statistics API (``/api/v1/…``), its OpenAPI schema and its documentation page."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from . import api, registry

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's initialiser as a script file: the CSP allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
urlpatterns += [
    path("v1/", api.ApiRootView.as_view(), name="api-root"),
    path("v1/schemas/<slug:key>.json", api.TableSchemaView.as_view(), name="api-table-schema"),
    path("v1/detail/contracts/", api.ContractDetailView.as_view(), name="api-detail-contracts"),
    path("v1/detail/sessions/", api.SessionDetailView.as_view(), name="api-detail-sessions"),
    path("v1/detail/collectivities/", api.CollectivityFiguresView.as_view(), name="api-detail-collectivities"),
]
urlpatterns += [
    path(f"v1/{dataset.api_path}", api.INDICATOR_VIEWS[dataset.key].as_view(), name=dataset.api_name)
    for dataset in registry.INDICATORS
    if dataset.api_path
]
