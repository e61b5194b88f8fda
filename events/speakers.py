"""The speakers network: a speaker's own profile, staff changes, and the RGPD erasure."""

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from partnership import history, permissions
from partnership.enums import HistoryAction
from partnership.models import Region, User
from partnership.models_utils import model_update
from partnership.personal_data import forget_admin_log

from .enums import ExpertiseTheme
from .models import ANONYMISED_SPEAKER_NAME, SPEAKER_CONSENT_VERSION, SPEAKER_PERSONAL_FIELDS, Speaker, SpeakerExpertise

logger = logging.getLogger(__name__)

# What the action log keeps of a speaker's profile (erased with the profile, see ``speaker_erase``).
SPEAKER_HISTORY_FIELDS = ("user", *SPEAKER_PERSONAL_FIELDS, "regions", "is_active", "consent_given_at")
EXPERTISES_LABEL = "Thèmes d'expertise"
# The labels under which the history of events and sessions lists speakers by name.
SPEAKER_LIST_LABELS = ("Intervenants", "Formateurs")


def _speaker_history(speaker: Speaker) -> dict[str, history.Value]:
    values = history.values_of(speaker, SPEAKER_HISTORY_FIELDS)
    themes = speaker.expertises.values_list("theme", flat=True) if speaker.pk else []
    values[EXPERTISES_LABEL] = history.shown([ExpertiseTheme(theme).label for theme in themes])
    return values


def _set_expertises(speaker: Speaker, themes: list[str]) -> None:
    speaker.expertises.exclude(theme__in=themes).delete()
    existing = set(speaker.expertises.values_list("theme", flat=True))
    SpeakerExpertise.objects.bulk_create(
        [SpeakerExpertise(speaker=speaker, theme=theme) for theme in themes if theme not in existing]
    )


@transaction.atomic
def speaker_profile_save(
    *,
    user: User,
    fields: dict[str, Any],
    themes: list[str],
    regions: list[Region] | QuerySet,
    consent: bool,
) -> Speaker:
    """A speaker keeps their own profile up to date; the first save needs their consent.

    Records the consent date and the version of the consent text when consent is given
    (again when the text changed).
    """
    if not permissions.is_speaker(user):
        raise ValidationError("Seuls les intervenants ont un profil d'intervenant.")
    speaker = Speaker.objects.select_for_update().filter(user=user).first() or Speaker(user=user)
    if speaker.is_anonymised:
        raise ValidationError("Ce profil a été anonymisé à votre demande et ne peut plus être modifié.")
    before = _speaker_history(speaker) if speaker.pk else None
    needs_consent = speaker.consent_text_version != SPEAKER_CONSENT_VERSION
    if needs_consent and not consent:
        raise ValidationError({"consent": "Votre consentement est nécessaire pour figurer dans le réseau."})
    model_update(instance=speaker, fields=SPEAKER_PERSONAL_FIELDS, data=fields, clean=False, save=False)
    speaker.email = (speaker.email or user.email).strip().lower()
    if needs_consent:
        speaker.consent_given_at = timezone.now()
        speaker.consent_text_version = SPEAKER_CONSENT_VERSION
    speaker.full_clean(exclude=["user"], validate_constraints=False)
    try:
        with transaction.atomic():
            speaker.save()
    except IntegrityError as exc:
        raise ValidationError({"email": "Un autre intervenant utilise déjà cette adresse e-mail."}) from exc
    speaker.regions.set(regions)
    _set_expertises(speaker, themes)
    history.record(
        actor=user,
        obj=speaker,
        action=HistoryAction.CREATED if before is None else HistoryAction.UPDATED,
        before=before,
        after=_speaker_history(speaker),
    )
    return speaker


# What staff change of a speaker in the admin: the profile, the linked account and whether the speaker is
# still in the network. The consent is never theirs to set.
SPEAKER_STAFF_FIELDS = ("user", *SPEAKER_PERSONAL_FIELDS, "is_active")


@transaction.atomic
def speaker_save(*, actor: User, speaker: Speaker | None, fields: dict[str, Any], regions) -> Speaker:
    """Staff (AMF, national) add a speaker to the network or change one (the admin's door).

    Side effects: a history entry with what changed (none when nothing did).
    """
    if not permissions.can_manage_speakers(actor):
        raise ValidationError("Vous ne pouvez pas modifier les intervenants du réseau.")
    if speaker is not None and speaker.pk:
        locked = Speaker.objects.select_for_update().get(pk=speaker.pk)
        if locked.is_anonymised:
            raise ValidationError("Les données de cet intervenant ont été effacées : elles ne peuvent plus changer.")
        before = _speaker_history(locked)
    else:
        locked, before = Speaker(), None
    model_update(instance=locked, fields=SPEAKER_STAFF_FIELDS, data=fields, clean=False, save=False)
    locked.email = (locked.email or "").strip().lower()
    locked.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            locked.save()
    except IntegrityError as exc:
        raise ValidationError("Un autre intervenant utilise déjà cette adresse e-mail ou ce compte.") from exc
    locked.regions.set(regions)
    history.record(
        actor=actor,
        obj=locked,
        action=HistoryAction.CREATED if before is None else HistoryAction.UPDATED,
        before=before,
        after=_speaker_history(locked),
    )
    return locked


@transaction.atomic
def speaker_erase(*, speaker: Speaker, actor: User | None = None) -> Speaker:
    """RGPD erasure: anonymise the personal fields and deactivate the linked account.

    Interventions, expertise themes and regions are kept (they identify no one once the name is
    gone), so the statistics of interventions per theme and region stay the same.
    """
    if actor is not None and not permissions.can_manage_speakers(actor):
        raise ValidationError("Vous ne pouvez pas effacer les données d'un intervenant.")
    locked = Speaker.objects.select_for_update().get(pk=speaker.pk)
    if locked.is_anonymised:
        raise ValidationError("Les données de cet intervenant ont déjà été effacées.")
    full_name = locked.full_name
    for name in SPEAKER_PERSONAL_FIELDS:
        setattr(locked, name, "")
    locked.last_name = ANONYMISED_SPEAKER_NAME
    locked.is_active = False
    locked.anonymised_at = timezone.now()
    user = locked.user
    locked.user = None
    locked.save(update_fields=[*SPEAKER_PERSONAL_FIELDS, "is_active", "anonymised_at", "user", "updated_at"])
    if user is not None:
        # The account goes too: no name or address of the person may remain.
        user.is_active = False
        user.set_unusable_password()
        user.first_name = ""
        user.last_name = ANONYMISED_SPEAKER_NAME
        user.email = f"intervenant-efface-{user.pk}@invalid"
        user.phone = ""
        user.function = ""
        user.save(update_fields=["is_active", "password", "first_name", "last_name", "email", "phone", "function"])
    history.erase_person(
        obj=locked,
        user=user,
        name=full_name,
        replacement=ANONYMISED_SPEAKER_NAME,
        listed_in=("events.event", "trainings.session"),
        list_labels=SPEAKER_LIST_LABELS,
    )
    history.record(actor=actor, obj=locked, action=HistoryAction.ERASED)
    forget_admin_log(Speaker, [locked.pk])
    logger.info("speaker %s erased by user %s", locked.pk, actor.pk if actor else None)
    return locked
