"""French typography in templates, available everywhere (a builtin, see ``TEMPLATES``)."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from partnership.text import delegation_designation, french_date, french_time, of_person

register = template.Library()


@register.filter(expects_localtime=True)
def date_fr(value, fmt="j F Y"):
    """Like ``date``, with « 1er » for the first day of a month: ``{{ session.start_date|date_fr }}``."""
    try:
        return french_date(value, fmt)
    except (AttributeError, TypeError, ValueError):
        return ""


@register.filter(expects_localtime=True)
def time_fr(value):
    """« 14 h 30 »: ``{{ slot.starts_at|time_fr }}&nbsp;– {{ slot.ends_at|time_fr }}``."""
    try:
        return french_time(value)
    except AttributeError:
        return ""


@register.filter
def de_fr(name):
    """« de Marie Martin », « d'Inès Garcia »: ``le compte {{ account.get_full_name|de_fr }}``."""
    return of_person(str(name)) if name else ""


@register.filter
def delegation_fr(name):
    """« délégation Auvergne-Rhône-Alpes », with or without « Délégation » in the directory's name."""
    return delegation_designation(str(name)) if name else ""


@register.filter
def plural_fr(count, forms="s"):
    """« 1 inscrit », « 2 inscrits »: ``{{ n }} inscrit{{ n|plural_fr }}``; ``"al,aux"`` for irregular endings.

    French puts 0 and 1 in the singular, unlike English.
    """
    singular, _, plural = forms.rpartition(",") if "," in forms else ("", "", forms)
    try:
        # Through str(): the menu's counter is a lazy object; « 1,5 jour » stays singular.
        return plural if abs(Decimal(str(count))) >= 2 else singular
    except (ArithmeticError, ValueError):
        return singular


@register.filter
def size_fr(value):
    """« 820 octets », « 2,0 Ko », « 1,4 Mo »: the units French readers know (Django writes « Kio »)."""
    try:
        size = float(value)
    except (TypeError, ValueError):
        return ""
    if size < 1024:
        count = int(size)
        return f"{count}\xa0octet{'s' if count > 1 else ''}"
    for unit in ("Ko", "Mo", "Go"):
        size /= 1024
        if size < 1024 or unit == "Go":
            return f"{number_format(round(size, 1), 1)}\xa0{unit}"
