"""Text helpers shared by the directory and the search."""

import re

from django.utils.formats import date_format
from unidecode import unidecode

# Elided articles glue to their word, as people type them both ways: « L'Haÿ » is « lhay » and « l hay ».
_APOSTROPHES = re.compile(r"['`\u00b4\u2018\u2019\u02bc]")
_SEPARATORS = re.compile(r"[^a-z0-9]+")
_ELISION = re.compile(r"\b([ld]) (?=[a-z0-9])")
# The abbreviations of the directory's own names (« CC du Pays de Pontchâteau St-Gildas-des-Bois ») and of
# what people type: spelled out on both sides, so « st etienne » finds « Saint-Étienne » and the reverse.
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_ABBREVIATION = re.compile(r"\b(" + "|".join(_ABBREVIATIONS) + r")\b")


def normalize_search(value: str) -> str:
    """Fold a name for searching; the stored ``search_name`` and every query go through it, so they agree.

    No accents, no case; hyphens and punctuation as spaces; elided articles glued to their word; « St »
    and « Ste » spelled out. ``"Saint-Étienne"``, ``"st etienne"`` and ``"St-Étienne"`` all become
    ``"saint etienne"``; ``"L'Haÿ-les-Roses"``, ``"lhay"`` and ``"l hay"`` begin with ``"lhay"``.
    """
    folded = _APOSTROPHES.sub("", unidecode(value or "").lower())
    folded = _SEPARATORS.sub(" ", folded).strip()
    folded = _ELISION.sub(r"\1", folded)
    return _ABBREVIATION.sub(lambda match: _ABBREVIATIONS[match.group(1)], folded)


def french_sort_key(text: str) -> tuple[str, str]:
    """Sort as a French index does: accents and case aside (« Île-de-France » among the I, not after Z);
    the text itself breaks ties. The database's own order depends on its collation (bytes on SQLite)."""
    return (normalize_search(text), text)


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
    The hour ``H:i`` is written the French way, « 14 h 30 » (``french_time``); ``H:i:s`` stays a clock
    reading (certificates of signature).
    """
    if value in (None, ""):
        return ""
    if getattr(value, "day", None) == 1:
        fmt = fmt.replace("j F", r"j\e\r F")
    if "H:i" in fmt and "H:i:s" not in fmt:
        before, _, after = fmt.partition("H:i")
        return "".join(
            [
                date_format(value, before) if before else "",
                french_time(value),
                date_format(value, after) if after else "",
            ]
        )
    return date_format(value, fmt)


def french_time(value) -> str:
    """« 9 h », « 14 h 30 », « 0 h 05 »: the hour as French typography writes it (non-breaking spaces)."""
    return f"{value.hour}\u00a0h" + (f"\u00a0{value.minute:02d}" if value.minute else "")


def french_time_range(start, end) -> str:
    """« 14 h – 16 h 30 »: from ``start`` to ``end`` of the same day."""
    return f"{french_time(start)}\u00a0– {french_time(end)}"


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


_VOWELS = frozenset("AEIOUYÂÀÉÈÊËÎÏÔÖÛÙÜŒaeiouyâàéèêëîïôöûùüœ")


def of_person(name: str) -> str:
    """« de Marie Martin », « d'Inès Garcia », « d'Élise Roy »: "de" before a person's name, elided before a vowel."""
    return f"d'{name}" if name[:1] in _VOWELS else f"de {name}"


def delegation_designation(name: str) -> str:
    """« délégation Auvergne-Rhône-Alpes » inside a sentence, whether the directory names it « Délégation
    Auvergne-Rhône-Alpes » (as ``import_territories`` does) or « Auvergne-Rhône-Alpes »: never « délégation
    Délégation … »."""
    if name[:11].casefold() == "délégation ":
        return "délégation " + name[11:]
    return f"délégation {name}"


def place_with_of(name: str) -> str:
    """« de Trifouilly », « d'Arles », « du Mans », « des Sables-d'Olonne »: "de" before a commune's name.

    The article of « Le Mans » and « Les Lilas » contracts with it; « La » and « L' » do not. A name
    beginning with H keeps « de », the aspirated h being undecidable from the name alone.
    """
    if name.startswith("Le "):
        return f"du {name[3:]}"
    if name.startswith("Les "):
        return f"des {name[4:]}"
    if name[:1] in _VOWELS:
        return f"d'{name}"
    return f"de {name}"


_EPCI_ABBREVIATIONS = {"CC": "communauté de communes", "CA": "communauté d'agglomération", "CU": "communauté urbaine"}


def epci_designation(name: str) -> str:
    """How a sentence names an EPCI after « au nom de »: the directory's « CC du Pays de Fayence » becomes
    « la communauté de communes du Pays de Fayence »; « Métropole de Lyon » takes its article; a name that
    is a brand (« Toulouse Métropole », « Valence Romans Agglo ») stands alone, as its owners write it."""
    abbreviation, _, rest = name.partition(" ")
    if abbreviation in _EPCI_ABBREVIATIONS and rest:
        return f"la {_EPCI_ABBREVIATIONS[abbreviation]} {rest}"
    if name.startswith(("Métropole ", "Communauté ")):
        return f"la {name}"
    return name


def lower_first(text: str) -> str:
    """« Maire » → « maire », as a function reads inside a sentence; an acronym (« DGS ») stays as it is."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text
