"""The pages that compose several apps: the home page, « À propos » and « À faire »."""

from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from agreements.selectors import contract_status_counts, framework_agreement_current
from partnership import permissions
from partnership.selectors import delegations_with_department_counts, territory_counts
from partnership.viewutils import gate

from .selectors import workspace_for


@require_GET
@gate(permissions.is_logged_in)
def todo(request):
    """« À faire »: where each role lands after logging in, the work that waits for it."""
    return render(request, "workspace/todo.html", {"blocks": workspace_for(request).page()})


class HomeView(TemplateView):
    template_name = "partnership/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["agreement"] = framework_agreement_current()
        context["territory"] = territory_counts()
        context["workspace"] = _workspace(self.request.user)
        return context


class AboutView(TemplateView):
    template_name = "partnership/about.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["agreement"] = framework_agreement_current()
        context["territory"] = territory_counts()
        context["delegations"] = delegations_with_department_counts()
        return context


def _workspace(user) -> dict | None:
    """What the home page shows a logged-in user about their own work."""
    if not user.is_authenticated:
        return None
    workspace = {}
    if permissions.is_cnfpt_staff(user) or permissions.is_amf_staff(user) or permissions.is_signatory(user):
        workspace["contracts"] = contract_status_counts(user)
    return workspace
