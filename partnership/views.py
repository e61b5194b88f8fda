"""The core's public pages: legal pages, robots.txt and the collectivité search (the home page is ``workspace``'s)."""

import datetime

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from . import personal_data
from .forms import collectivity_label
from .selectors import collectivities_search
from .services import NOT_COVERED_LABEL
from .text import duration_label


class LegalPageView(TemplateView):
    """A legal page: its facts come from the settings (publisher, host, contacts, retention)."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            legal={
                "publisher": settings.LEGAL_PUBLISHER,
                "director": settings.LEGAL_PUBLICATION_DIRECTOR,
                "host": settings.LEGAL_HOST,
                "contact_email": settings.CONTACT_EMAIL,
                "dpo_email": settings.DPO_EMAIL,
                "retention_years": duration_label(settings.PERSONAL_DATA_RETENTION_DAYS),
                "access_request_retention": duration_label(settings.ACCESS_REQUEST_RETENTION_DAYS),
                "site_url": settings.SITE_URL,
            },
        )


class LegalNoticeView(LegalPageView):
    template_name = "partnership/legal_notice.html"


class PersonalDataView(LegalPageView):
    """Each category of personal data, its legal basis and its retention, as the apps declared them
    (``partnership.personal_data``): the page and the retention job read the same registry."""

    template_name = "partnership/personal_data.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, categories=personal_data.categories())


class AccessibilityView(LegalPageView):
    template_name = "partnership/accessibility.html"
    # The day the statement was last reviewed (RGAA model: « établie le … »): change it with its content.
    statement_date = datetime.date(2026, 12, 7)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, statement_date=self.statement_date)


@require_GET
def robots_txt(request):
    """The crawlers' instructions; also the trivial page the load benchmark compares others to."""
    return HttpResponse(
        "User-agent: *\nDisallow: /signature/\nDisallow: /formations/convocation/\nDisallow: /admin/\n",
        content_type="text/plain",
    )


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
