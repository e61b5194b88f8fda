"""The open statistics API: read-only, aggregated, non-personal figures (DESIGN: "the public / partners").

Every endpoint reads one indicator of ``stats.selectors`` (the dashboard's definitions), is open to
anyone (no authentication, no cookies), throttled per client address through the shared cache, and
paginated. No serializer here has a field that could hold a person's name or e-mail.
"""

from django.conf import settings
from django.core.cache import cache as default_cache
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from agreements.selectors import contracts_visible_to, parties_prefetch
from partnership.auth import client_ip
from partnership.models import Delegation, Department
from trainings.selectors import sessions_visible_to

from . import registry, tableschema
from .datasets_lists import collectivity_rows


class LiftableThrottle:
    """A DRF throttle that the test setting ``API_THROTTLE_LIFTED`` switches off, for the schemathesis run.

    The setting is never read from the environment: production always throttles. The client's address is
    the site's own (``client_ip``), not DRF's ``get_ident``, which without ``NUM_PROXIES`` counts by the whole
    X-Forwarded-For header a client sends: a new header per request would be a new client.
    """

    def allow_request(self, request, view):
        if settings.API_THROTTLE_LIFTED:
            return True
        return super().allow_request(request, view)

    def get_ident(self, request):
        return client_ip(request)


class PublicStatsThrottle(LiftableThrottle, AnonRateThrottle):
    """Requests per client address (``DEFAULT_THROTTLE_RATES["anon"]``), counted in the cache shared by the processes."""

    scope = "anon"
    cache = default_cache


class TokenThrottle(LiftableThrottle, UserRateThrottle):
    """Requests per token user (``DEFAULT_THROTTLE_RATES["user"]``)."""


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
        # Given, even empty, the code must be one of the enumeration the schema lists (``api_schema``).
        if code is not None:
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


# --- Detailed reads, for partners with an account: a per-user token, the interface's scope ---------


class TokenRead(generics.ListAPIView):
    """Base of the detailed endpoints: ``Authorization: Token <key>``, the rows the user sees in the interface.

    Only the token authenticates (never the session cookie, so no CSRF question arises); a request
    without a valid token gets 401. Rows outside the user's scope are simply absent.
    """

    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = [TokenThrottle]


class ContractDetailSerializer(serializers.Serializer):
    reference = serializers.CharField(help_text="Référence du contrat (vide pour un brouillon).", allow_null=True)
    title = serializers.CharField(help_text="Intitulé du contrat.")
    delegation = serializers.CharField(source="delegation.code", help_text="Code de la délégation régionale.")
    status = serializers.CharField(help_text="Code du statut du contrat.")
    start_date = serializers.DateField(help_text="Date de début.")
    end_date = serializers.DateField(help_text="Date de fin.")
    parties = serializers.SerializerMethodField(help_text="Codes INSEE ou SIREN des collectivités parties.")

    def get_parties(self, contract) -> list[str]:
        return [party.collectivity.code for party in contract.parties.all()]


class SessionDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Identifiant de la session.")
    action = serializers.CharField(source="action.title", help_text="Intitulé de l'action de formation.")
    delegation = serializers.CharField(source="action.delegation.code", help_text="Code de la délégation.")
    scheme = serializers.CharField(source="action.scheme.label", help_text="Dispositif de formation.")
    theme = serializers.CharField(source="action.theme.label", help_text="Thème de l'action.")
    start_date = serializers.DateField(help_text="Premier jour.")
    end_date = serializers.DateField(help_text="Dernier jour.")
    status = serializers.CharField(help_text="planned ou cancelled.")
    capacity = serializers.IntegerField(help_text="Nombre de places.")
    venue = serializers.CharField(source="venue.code", help_text="Code INSEE de la commune du lieu.")


@extend_schema(tags=["données détaillées (jeton)"], summary="Contrats de mon périmètre")
class ContractDetailView(TokenRead):
    """Les contrats que l'utilisateur du jeton voit dans l'application."""

    serializer_class = ContractDetailSerializer

    def get_queryset(self):
        return (
            contracts_visible_to(self.request.user)
            .select_related("delegation")
            .prefetch_related(parties_prefetch())
            .order_by("pk")
        )


@extend_schema(tags=["données détaillées (jeton)"], summary="Sessions de mon périmètre")
class SessionDetailView(TokenRead):
    """Les sessions de formation que l'utilisateur du jeton voit dans l'application."""

    serializer_class = SessionDetailSerializer

    def get_queryset(self):
        return sessions_visible_to(self.request.user).order_by("start_date", "pk")


DEPARTMENT_PARAMETER = OpenApiParameter(
    name="department",
    type=OpenApiTypes.STR,
    location=OpenApiParameter.QUERY,
    required=True,
    description="Code INSEE du département (01…95, 2A, 2B, 971…976, comme l'énumère ce schéma) : "
    "les chiffres de ses collectivités.",
)


@extend_schema(
    tags=["données détaillées (jeton)"],
    summary="Chiffres par collectivité et par année",
    parameters=[DEPARTMENT_PARAMETER],
)
class CollectivityFiguresView(TokenRead):
    """Contrats, agents formés, journées-stagiaires prévues et réalisées de chaque collectivité d'un département."""

    serializer_class = serializer_for(registry.DATASETS["collectivity_figures"])

    def get_queryset(self):
        code = self.request.query_params.get("department", "")
        # One of the codes the schema lists (``api_schema``), exactly as written there: « 2A », not « 2a ».
        known = code.isascii() and code.isalnum() and Department.objects.filter(code=code).exists()
        if not known:
            raise ValidationError(
                {"department": "Département inconnu : indiquez le code INSEE d'un département, par exemple 2A ou 69."}
            )
        return list(collectivity_rows(user=self.request.user, department=code))
