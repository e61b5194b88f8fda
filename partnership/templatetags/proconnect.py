"""Template filters of ProConnect's evidence: ``{{ acr|proconnect_level }}``."""

from django import template

from partnership.proconnect.levels import level_label

register = template.Library()


@register.filter
def proconnect_level(acr) -> str:
    return level_label(str(acr)) if acr else ""
