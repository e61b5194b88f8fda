from django.db.models import Count, Sum
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from agreements.models import FrameworkAgreement

from . import permissions
from .enums import CollectivityKind
from .forms import collectivity_label
from .models import Collectivity, Delegation, Department, MayorsAssociation, Region
from .selectors import collectivities_search, todo_blocks
from .services import NOT_COVERED_LABEL
from .text import duration_label
from .viewutils import gate


class HomeView(TemplateView):
    template_name = "partnership/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["agreement"] = FrameworkAgreement.objects.prefetch_related("axes").order_by("-signed_on").first()
        context["territory"] = _territory_counts()
        context["workspace"] = _workspace(self.request.user)
        return context


@require_GET
@gate(permissions.is_logged_in)
def todo(request):
    """« À faire »: where each role lands after logging in, the work that waits for it."""
    return render(request, "partnership/todo.html", {"blocks": todo_blocks(request.user)})


class LegalPageView(TemplateView):
    """A legal page: its facts come from the settings (publisher, host, contacts, retention)."""

    def get_context_data(self, **kwargs):
        from django.conf import settings

        return super().get_context_data(
            **kwargs,
            legal={
                "publisher": settings.LEGAL_PUBLISHER,
                "director": settings.LEGAL_PUBLICATION_DIRECTOR,
                "host": settings.LEGAL_HOST,
                "contact_email": settings.CONTACT_EMAIL,
                "dpo_email": settings.DPO_EMAIL,
                "retention_years": duration_label(settings.PERSONAL_DATA_RETENTION_DAYS),
                "site_url": settings.SITE_URL,
            },
        )


class LegalNoticeView(LegalPageView):
    template_name = "partnership/legal_notice.html"


class PersonalDataView(LegalPageView):
    template_name = "partnership/personal_data.html"


class AccessibilityView(LegalPageView):
    template_name = "partnership/accessibility.html"


class AboutView(TemplateView):
    template_name = "partnership/about.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["agreement"] = FrameworkAgreement.objects.prefetch_related("axes").order_by("-signed_on").first()
        context["territory"] = _territory_counts()
        context["delegations"] = Delegation.objects.select_related("region").annotate(
            department_count=Count("departments")
        )
        return context


def _workspace(user) -> dict | None:
    """What the home page shows a logged-in user about their own work."""
    from agreements.enums import ContractStatus
    from agreements.selectors import contracts_visible_to

    from . import permissions

    if not user.is_authenticated:
        return None
    workspace = {}
    if permissions.is_cnfpt_staff(user) or permissions.is_amf_staff(user) or permissions.is_signatory(user):
        counts = dict(contracts_visible_to(user).order_by().values_list("status").annotate(n=Count("id")))
        workspace["contracts"] = [
            {"status": status, "label": label, "count": counts.get(status, 0)}
            for status, label in ContractStatus.choices
            if counts.get(status)
        ]
    return workspace


def _territory_counts() -> dict:
    by_kind = dict(Collectivity.objects.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    population = Collectivity.objects.filter(kind=CollectivityKind.COMMUNE).aggregate(total=Sum("population"))["total"]
    return {
        "regions": Region.objects.count(),
        "departments": Department.objects.count(),
        "communes": by_kind.get(CollectivityKind.COMMUNE, 0),
        "epcis": by_kind.get(CollectivityKind.EPCI, 0),
        "population": population or 0,
        "delegations": Delegation.objects.count(),
        "mayors_associations": MayorsAssociation.objects.exclude(department=None).count(),
    }


@require_GET
def robots_txt(request):
    """The crawlers' instructions; also the trivial page the load benchmark compares others to."""
    return HttpResponse("User-agent: *\nDisallow: /signature/\nDisallow: /admin/\n", content_type="text/plain")


@require_GET
def collectivity_search(request):
    """The one search-as-you-type endpoint of every collectivité picker (JSON).

    Public, as the public event form uses it: the directory is open data (INSEE, DGCL). Each result
    says whether the CNFPT covers the collectivité; the picker decides whether it may be chosen.
    """
    results = [
        {
            "id": collectivity.pk,
            "code": collectivity.code,
            "label": collectivity_label(collectivity),
            "kind": collectivity.get_kind_display(),
            "population": collectivity.population,
            "covered": collectivity.is_covered_by_cnfpt,
            "note": "" if collectivity.is_covered_by_cnfpt else NOT_COVERED_LABEL,
        }
        for collectivity in collectivities_search(request.GET.get("q", ""))
    ]
    return JsonResponse({"results": results})
