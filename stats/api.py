"""The open statistics API: read-only, aggregated, non-personal figures (DESIGN: "the public / partners").

Every endpoint reads one indicator of ``stats.selectors`` (the dashboard's definitions), is open to
anyone (no authentication, no cookies), throttled per client address through the shared cache, and
paginated. No serializer here has a field that could hold a person's name or e-mail.
"""

from django.core.cache import cache as default_cache
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from partnership.models import Delegation

from . import registry, tableschema


class PublicStatsThrottle(AnonRateThrottle):
    """Requests per client address (``DEFAULT_THROTTLE_RATES["anon"]``), counted in the cache shared by the processes."""

    scope = "anon"
    cache = default_cache


DELEGATION_PARAMETER = OpenApiParameter(
    name="delegation",
    type=OpenApiTypes.STR,
    location=OpenApiParameter.QUERY,
    required=False,
    description="Code d'une délégation régionale du CNFPT (voir /api/v1/contracts/by-delegation/) "
    "pour limiter les chiffres à cette délégation ; sans ce paramètre, chiffres nationaux.",
)


# --- Serializers and views, one per public indicator of the registry --------------------------------


def _field(column: registry.Column) -> serializers.Field:
    options = {"help_text": column.help, "label": column.label}
    if column.nullable:
        options["allow_null"] = True
    if column.type in (registry.INTEGER, registry.YEAR):
        return serializers.IntegerField(**options)
    if column.type == registry.DAYS:
        return serializers.DecimalField(max_digits=14, decimal_places=1, coerce_to_string=False, **options)
    if column.type in (registry.NUMBER, registry.PERCENT):
        return serializers.FloatField(**options)
    if column.type == registry.DATE:
        return serializers.DateField(**options)
    return serializers.CharField(**options)


def _camel(key: str) -> str:
    return "".join(part.capitalize() for part in key.split("_"))


def serializer_for(dataset: registry.Dataset) -> type[serializers.Serializer]:
    """The output serializer of ``dataset``: one field per column, with its help text (the OpenAPI schema's)."""
    fields = {column.key: _field(column) for column in dataset.columns}
    return type(f"{_camel(dataset.key)}Serializer", (serializers.Serializer,), fields)


class IndicatorView(generics.ListAPIView):
    """Base of the national-only indicators."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [PublicStatsThrottle]
    indicator = None

    def get_queryset(self):
        return self.indicator()


class ScopedIndicatorView(IndicatorView):
    """Base of the indicators a client may narrow to one delegation (``?delegation=<code>``)."""

    def get_queryset(self):
        code = self.request.query_params.get("delegation")
        delegation_id = None
        if code:
            # Codes are slugs; anything else (a NUL byte included) is simply not a delegation.
            is_slug = code.isascii() and code.replace("-", "").replace("_", "").isalnum()
            delegation_id = (
                Delegation.objects.filter(code=code).values_list("pk", flat=True).first() if is_slug else None
            )
            if delegation_id is None:
                raise ValidationError({"delegation": "Délégation inconnue."})
        return self.indicator(delegation_id=delegation_id)

    @extend_schema(parameters=[DELEGATION_PARAMETER])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def _view(dataset: registry.Dataset):
    base = IndicatorView if dataset.national_only else ScopedIndicatorView
    view = type(
        f"{_camel(dataset.key)}View",
        (base,),
        {
            "indicator": staticmethod(dataset.rows),
            "serializer_class": serializer_for(dataset),
            "__doc__": dataset.description,
        },
    )
    description = (
        f"{dataset.description}\n\nSchéma de table (Table Schema, Frictionless) du jeu de données : "
        f"[/api/v1/schemas/{dataset.key}.json](/api/v1/schemas/{dataset.key}.json)."
    )
    return extend_schema(summary=dataset.label, description=description, tags=["statistiques"])(view)


INDICATOR_VIEWS = {dataset.key: _view(dataset) for dataset in registry.INDICATORS if dataset.api_path}


# --- Index of the API and Table Schemas ------------------------------------------------------------


class PublicView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [PublicStatsThrottle]


@extend_schema(exclude=True)
class ApiRootView(PublicView):
    """``/api/v1/``: every endpoint, with its title and the Table Schema of its dataset."""

    def get(self, request):
        indicators = [
            {
                "key": dataset.key,
                "title": dataset.label,
                "description": dataset.description,
                "url": request.build_absolute_uri(reverse(dataset.api_name)),
                "table_schema": request.build_absolute_uri(reverse("api-table-schema", args=[dataset.key])),
                "national_only": dataset.national_only,
            }
            for dataset in registry.INDICATORS
            if dataset.api_path
        ]
        datasets = [
            {
                "key": dataset.key,
                "title": dataset.label,
                "table_schema": request.build_absolute_uri(reverse("api-table-schema", args=[dataset.key])),
            }
            for dataset in registry.DATASETS.values()
        ]
        return Response(
            {
                "documentation": request.build_absolute_uri(reverse("api-docs")),
                "openapi": request.build_absolute_uri(reverse("api-schema")),
                "indicators": indicators,
                "datasets": datasets,
            }
        )


@extend_schema(exclude=True)
class TableSchemaView(PublicView):
    """The Table Schema (Frictionless Data) of one dataset's CSV export."""

    def get(self, request, key: str):
        dataset = registry.DATASETS.get(key)
        if dataset is None:
            raise NotFound("Jeu de données inconnu.")
        return Response(tableschema.table_schema(dataset))
