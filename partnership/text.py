"""Text helpers shared by the directory and the search."""

import re

from unidecode import unidecode

_SEPARATORS = re.compile(r"[\s\-'’_.,/()\x00]+")


def normalize_search(value: str) -> str:
    """Fold a name for searching: no accents, no case, hyphens and apostrophes as spaces.

    ``"Saint-Étienne"`` and ``"saint etienne"`` both become ``"saint etienne"``.
    """
    return _SEPARATORS.sub(" ", unidecode(value or "").lower()).strip()


# INSEE "type de nom en clair" (TNCC): how "de" joins the name of a territory.
_OF_BY_LIAISON = {
    0: "de ",
    1: "d'",
    2: "du ",
    3: "de la ",
    4: "des ",
    5: "de l'",
    6: "des ",
    7: "de las ",
    8: "de los ",
}


def name_with_of(name: str, liaison_type: int) -> str:
    """``"Ain"``, 5 → ``"de l'Ain"``; ``"Rhône"``, 2 → ``"du Rhône"``."""
    return f"{_OF_BY_LIAISON.get(liaison_type, 'de ')}{name}"


def french_date(value, fmt: str = "j F Y") -> str:
    """``date_format`` with French typography: « 1er janvier 2026 », never « 1 janvier 2026 ».

    Only a day number written out before its month name takes « er »: « 01/01/2026 » stays as is.
    """
    from django.utils.formats import date_format

    if value in (None, ""):
        return ""
    if getattr(value, "day", None) == 1:
        fmt = fmt.replace("j F", r"j\e\r F")
    return date_format(value, fmt)


def duration_label(days: int) -> str:
    """« 3 ans », « 18 mois », « 45 jours »: a period as people say it."""
    if days % 365 == 0:
        years = days // 365
        return f"{years} an{'s' if years > 1 else ''}"
    if days % 30 == 0:
        return f"{days // 30} mois"
    return f"{days} jour{'s' if days > 1 else ''}"


def count_label(count, singular: str, plural: str | None = None) -> str:
    """« 1 inscription annulée », « 3 inscriptions annulées », « 0 place »: French puts 0 and 1 in the singular."""
    return f"{count} {singular if abs(count) < 2 else (plural or singular + 's')}"
