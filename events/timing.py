"""When an event's steps open, decided once for the services, the pages and the e-mails.

- an event is created to come, or while it takes place: one entirely in the past is refused;
- check-in opens at the event's start (the participants are there), not at midnight of its first day;
- an attendance certificate is issued once the event is over: before its end, nobody has attended it.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from partnership.text import french_date


def _when(moment: datetime.datetime) -> str:
    return french_date(timezone.localtime(moment), "j F Y à H:i")


def check_event_not_past(*, ends_at: datetime.datetime, now: datetime.datetime | None = None) -> None:
    """Refuse to create an event that has already ended (a typo in the year, most often)."""
    now = now or timezone.now()
    if ends_at <= now:
        raise ValidationError(
            {
                "ends_at": f"Cet événement serait déjà terminé (fin le {_when(ends_at)}) : seul un événement à "
                "venir ou en cours peut être créé. Vérifiez l'année des dates."
            }
        )


def check_in_is_open(event, *, now: datetime.datetime | None = None) -> bool:
    return (now or timezone.now()) >= event.starts_at


def check_check_in_open(event, *, now: datetime.datetime | None = None) -> None:
    if not check_in_is_open(event, now=now):
        raise ValidationError(f"Le pointage des présences ouvre au début de l'événement, le {_when(event.starts_at)}.")


def certificates_are_available(event, *, now: datetime.datetime | None = None) -> bool:
    return (now or timezone.now()) >= event.ends_at


def check_certificate_available(event, *, now: datetime.datetime | None = None) -> None:
    if not certificates_are_available(event, now=now):
        raise ValidationError(
            f"L'attestation de présence est délivrée à la fin de l'événement, à partir du {_when(event.ends_at)}."
        )


def certificates_available_from(event) -> str:
    """« 7 décembre 2026 à 17 h », for the pages that say when the certificate comes."""
    return _when(event.ends_at)
