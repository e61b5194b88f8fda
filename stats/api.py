"""The open statistics API: read-only, aggregated, non-personal figures (DESIGN: "the public / partners").

Every endpoint reads one indicator of ``stats.selectors`` (the dashboard's definitions), is open to
anyone (no authentication, no cookies), throttled per client address through the shared cache, and
paginated. No serializer here has a field that could hold a person's name or e-mail.
"""

from django.core.cache import cache as default_cache
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.throttling import AnonRateThrottle

from partnership.models import Delegation

from . import selectors


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


def _days(**kwargs):
    return serializers.DecimalField(max_digits=14, decimal_places=1, coerce_to_string=False, **kwargs)


# --- Serializers ----------------------------------------------------------------------------------


class StatusCountSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="Code du statut.")
    label = serializers.CharField(help_text="Libellé du statut, en français.")
    count = serializers.IntegerField(help_text="Nombre d'éléments dans ce statut.")


class ContractsByDelegationSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="Code de la délégation régionale (paramètre « delegation » des autres points)."
    )
    delegation = serializers.CharField(help_text="Nom de la délégation régionale du CNFPT.")
    contracts = serializers.IntegerField(help_text="Contrats de partenariat hors brouillons.")
    active = serializers.IntegerField(help_text="Contrats en vigueur.")


class ContractsByYearSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="Année de début des contrats.")
    contracts = serializers.IntegerField(help_text="Contrats hors brouillons commençant cette année-là.")
    planned_trainee_days = _days(
        help_text="Journées-stagiaires prévues aux programmes de ces contrats pour cette année (jours × stagiaires)."
    )


class CoverageSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Code INSEE du territoire.")
    name = serializers.CharField(help_text="Nom du territoire.")
    communes = serializers.IntegerField(help_text="Nombre de communes.")
    covered_communes = serializers.IntegerField(
        help_text="Communes parties à un contrat en vigueur, ou membres d'un EPCI partie à un contrat en vigueur."
    )
    share_communes = serializers.FloatField(help_text="Part des communes couvertes, en pourcentage (une décimale).")
    population = serializers.IntegerField(help_text="Population municipale (INSEE).")
    covered_population = serializers.IntegerField(help_text="Population des communes couvertes.")
    share_population = serializers.FloatField(
        help_text="Part de la population couverte, en pourcentage (une décimale)."
    )


class DepartmentCoverageSerializer(CoverageSerializer):
    region = serializers.CharField(help_text="Région du département.")


class TraineeDaysByThemeSerializer(serializers.Serializer):
    theme = serializers.CharField(help_text="Thème d'action des contrats.")
    family = serializers.CharField(help_text="Famille d'actions : accompagnement RH ou projets du CNFPT.")
    planned_trainee_days = _days(
        help_text="Journées-stagiaires prévues aux programmes des contrats signés, en vigueur ou passés."
    )
    delivered_trainee_days = _days(
        help_text="Journées-stagiaires réalisées dans les actions de ces contrats (demi-journées de présence × 0,5)."
    )
    catalogue_trainee_days = _days(
        help_text="Journées-stagiaires réalisées dans les actions du catalogue, hors contrat."
    )
    completion = serializers.FloatField(help_text="Taux de réalisation : réalisées / prévues, en pourcentage.")


class TraineeDaysBySchemeSerializer(serializers.Serializer):
    scheme = serializers.CharField(help_text="Dispositif de formation (loi du 19 février 2007).")
    scheduled_trainee_days = _days(
        help_text="Journées-stagiaires programmées : demi-journées des sessions × inscrits confirmés × 0,5."
    )
    delivered_trainee_days = _days(help_text="Journées-stagiaires réalisées : demi-journées de présence × 0,5.")


class TraineesByCategorySerializer(serializers.Serializer):
    category = serializers.CharField(help_text="Catégorie hiérarchique de l'agent : A, B ou C.")
    label = serializers.CharField(help_text="Libellé de la catégorie.")
    trainees = serializers.IntegerField(help_text="Inscriptions confirmées à des sessions non annulées.")
    share = serializers.FloatField(help_text="Part de la catégorie parmi les stagiaires, en pourcentage.")
    trainee_days = _days(help_text="Journées-stagiaires réalisées par ces stagiaires.")


class EventsByKindSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="Code du type d'événement.")
    label = serializers.CharField(help_text="Type d'événement : séminaire, colloque, webinaire, réunion d'information.")
    events = serializers.IntegerField(help_text="Événements publiés.")
    participants = serializers.IntegerField(help_text="Inscriptions confirmées.")
    waitlisted = serializers.IntegerField(help_text="Inscriptions en liste d'attente.")
    attended = serializers.IntegerField(help_text="Participants dont la présence a été pointée.")
    satisfaction = serializers.FloatField(
        allow_null=True, help_text="Note moyenne de satisfaction sur 5 ; vide sans aucun avis."
    )


class SpeakersByThemeSerializer(serializers.Serializer):
    theme = serializers.CharField(help_text="Code du thème d'expertise.")
    label = serializers.CharField(help_text="Thème d'expertise.")
    speakers = serializers.IntegerField(help_text="Intervenants actifs déclarant ce thème (réseau national).")
    event_interventions = serializers.IntegerField(
        help_text="Interventions (intervenant × créneau) dans les événements publiés de ce thème."
    )


class SpeakersByRegionSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Code INSEE de la région.")
    region = serializers.CharField(help_text="Nom de la région.")
    speakers = serializers.IntegerField(help_text="Intervenants actifs déclarant intervenir dans la région.")
    event_interventions = serializers.IntegerField(help_text="Interventions dans des événements tenus dans la région.")
    training_interventions = serializers.IntegerField(
        help_text="Interventions dans des sessions tenues dans la région."
    )


class ExportsByDatasetSerializer(serializers.Serializer):
    dataset = serializers.CharField(help_text="Code du jeu de données exporté.")
    label = serializers.CharField(help_text="Jeu de données exporté.")
    format = serializers.CharField(help_text="Format du fichier (CSV ou XLSX).")
    done = serializers.IntegerField(help_text="Exports produits.")
    failed = serializers.IntegerField(help_text="Exports en échec.")
    rows = serializers.IntegerField(help_text="Lignes exportées au total.")


# --- Views ------------------------------------------------------------------------------------------


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


def _view(name, base, indicator, serializer, summary, description):
    view = type(
        name,
        (base,),
        {"indicator": staticmethod(indicator), "serializer_class": serializer, "__doc__": description},
    )
    return extend_schema(summary=summary, tags=["statistiques"])(view)


ContractsByStatusView = _view(
    "ContractsByStatusView",
    ScopedIndicatorView,
    selectors.contracts_by_status,
    StatusCountSerializer,
    "Contrats par statut",
    "Nombre de contrats de partenariat dans chaque statut (brouillon, prêt pour signature… résilié).",
)
ContractsByDelegationView = _view(
    "ContractsByDelegationView",
    ScopedIndicatorView,
    selectors.contracts_by_delegation,
    ContractsByDelegationSerializer,
    "Contrats par délégation",
    "Contrats hors brouillons et contrats en vigueur de chaque délégation régionale du CNFPT.",
)
ContractsByYearView = _view(
    "ContractsByYearView",
    ScopedIndicatorView,
    selectors.contracts_by_year,
    ContractsByYearSerializer,
    "Contrats par année",
    "Contrats hors brouillons par année de début, avec les journées-stagiaires prévues à leur programme.",
)
CoverageByRegionView = _view(
    "CoverageByRegionView",
    ScopedIndicatorView,
    selectors.coverage_by_region,
    CoverageSerializer,
    "Couverture par région",
    "Communes et population couvertes par un contrat en vigueur (directement ou par leur EPCI), par région.",
)
CoverageByDepartmentView = _view(
    "CoverageByDepartmentView",
    ScopedIndicatorView,
    selectors.coverage_by_department,
    DepartmentCoverageSerializer,
    "Couverture par département",
    "Communes et population couvertes par un contrat en vigueur (directement ou par leur EPCI), par département.",
)
TraineeDaysByThemeView = _view(
    "TraineeDaysByThemeView",
    ScopedIndicatorView,
    selectors.trainee_days_by_theme,
    TraineeDaysByThemeSerializer,
    "Journées-stagiaires par thème",
    "Journées-stagiaires prévues aux contrats et réalisées, par thème d'action.",
)
TraineeDaysBySchemeView = _view(
    "TraineeDaysBySchemeView",
    ScopedIndicatorView,
    selectors.trainee_days_by_scheme,
    TraineeDaysBySchemeSerializer,
    "Journées-stagiaires par dispositif",
    "Journées-stagiaires programmées et réalisées, par dispositif de formation.",
)
TraineesByCategoryView = _view(
    "TraineesByCategoryView",
    ScopedIndicatorView,
    selectors.trainees_by_category,
    TraineesByCategorySerializer,
    "Stagiaires par catégorie",
    "Stagiaires (inscriptions confirmées) et journées-stagiaires réalisées, par catégorie A, B, C.",
)
EventsByKindView = _view(
    "EventsByKindView",
    ScopedIndicatorView,
    selectors.events_by_kind,
    EventsByKindSerializer,
    "Événements et participants",
    "Événements co-organisés publiés, participants, présents et satisfaction, par type d'événement (axe 2).",
)
SpeakersByThemeView = _view(
    "SpeakersByThemeView",
    ScopedIndicatorView,
    selectors.speakers_by_theme,
    SpeakersByThemeSerializer,
    "Intervenants par thème",
    "Intervenants du réseau et interventions en événement, par thème d'expertise (axe 4).",
)
SpeakersByRegionView = _view(
    "SpeakersByRegionView",
    ScopedIndicatorView,
    selectors.speakers_by_region,
    SpeakersByRegionSerializer,
    "Intervenants par région",
    "Intervenants du réseau et interventions en événement et en formation, par région (axe 4).",
)
ExportsByDatasetView = _view(
    "ExportsByDatasetView",
    ScopedIndicatorView,
    selectors.exports_by_dataset,
    ExportsByDatasetSerializer,
    "Exports produits",
    "Exports de statistiques produits, par jeu de données et format (axe 3).",
)
InternshipsByStatusView = _view(
    "InternshipsByStatusView",
    IndicatorView,
    selectors.internships_by_status,
    StatusCountSerializer,
    "Stages INET par statut",
    "Stages d'élèves administrateurs territoriaux de l'INET à l'AMF, par statut (axe 5, chiffres nationaux).",
)
StudiesByStatusView = _view(
    "StudiesByStatusView",
    IndicatorView,
    selectors.studies_by_status,
    StatusCountSerializer,
    "Études par statut",
    "Études réalisées à la demande de l'AMF, par statut (axe 5, chiffres nationaux).",
)
