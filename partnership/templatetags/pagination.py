"""The links of ``templates/includes/pagination.html``."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number) -> str:
    """``?…&page=N``: the current query string, the list's filters and sort kept, with another page."""
    query = context["request"].GET.copy()
    query["page"] = number
    return f"?{query.urlencode()}"
