from django import template

from partnership.demo_people import FICTIONAL_PEOPLE

register = template.Library()


@register.simple_tag
def fictional_people() -> str:
    """The demo's statement that its people are fictional, written once in ``partnership.demo``."""
    return FICTIONAL_PEOPLE
