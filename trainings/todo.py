"""The trainings' blocks of the « À faire » page (``partnership.todo_registry``), built on ``trainings.selectors``."""

from django.urls import reverse

from partnership import permissions
from partnership.text import count_label, french_date
from partnership.todo_registry import Block, Item, link_to, register

from . import selectors


def session_dates(session) -> str:
    if session.start_date == session.end_date:
        return f"le {french_date(session.start_date, 'l j F Y')}"
    return f"du {french_date(session.start_date, 'l j F Y')} au {french_date(session.end_date, 'l j F Y')}"


def _session_item(session) -> Item:
    notes = [
        f"{session_dates(session)}, {session.venue.name}",
        f"{count_label(session.confirmed_count, 'inscrit confirmé', 'inscrits confirmés')} sur "
        f"{count_label(session.capacity, 'place')}",
    ]
    return Item(session.action.title, session.get_absolute_url(), notes)


def _attendance_item(session) -> Item:
    notes = [
        session_dates(session),
        f"{count_label(session.missing_marks, 'présence')} à saisir "
        f"({count_label(session.confirmed, 'agent')}, "
        f"{count_label(session.past_half_days, 'demi-journée passée', 'demi-journées passées')})",
    ]
    return Item(session.action.title, reverse("trainings:attendance", args=[session.pk]), notes, warning=True)


def _registration_label(registration) -> str:
    return f"{registration.full_name} – {registration.session.action.title}"


def _coming_item(registration) -> Item:
    session = registration.session
    return Item(
        _registration_label(registration),
        session.get_absolute_url(),
        [f"{session_dates(session)}, {session.venue.name}"],
    )


def _waiting_item(registration) -> Item:
    session = registration.session
    position = registration.waiting_position
    rank = "1re" if position == 1 else f"{position}e"
    return Item(
        _registration_label(registration),
        session.get_absolute_url(),
        [f"{rank} place sur la liste d'attente", session_dates(session)],
    )


def _certificate_item(registration) -> Item:
    return Item(
        _registration_label(registration),
        reverse("trainings:certificate", args=[registration.pk]),
        [f"Attestation de présence (PDF) – session {session_dates(registration.session)}"],
    )


def _is_trainer_or_delegation_staff(user) -> bool:
    # Who takes attendance in the workspace: the delegation's staff, and trainers for their sessions.
    # National staff may, but the sheets of the whole country are not their daily work.
    return permissions.is_delegation_staff(user) or permissions.is_speaker(user)


CATALOGUE = link_to("Inscrire vos agents\u00a0: le catalogue des formations", "trainings:session_list")

register(
    Block(
        key="sessions_week",
        title="Sessions de la semaine",
        position=60,
        applies_to=permissions.is_delegation_staff,
        objects=selectors.sessions_this_week,
        item=_session_item,
        empty="Aucune session cette semaine.",
        next_step=link_to("Voir le calendrier des formations", "trainings:session_calendar"),
        more=link_to("Calendrier des formations", "trainings:session_calendar"),
        actionable=False,
    )
)
register(
    Block(
        key="speaker_sessions",
        title="Vos prochaines sessions de formation",
        position=65,
        applies_to=permissions.is_speaker,
        objects=selectors.speaker_coming_sessions,
        item=_session_item,
        empty="Aucune session à venir.",
        next_step=link_to("Tenir à jour votre profil d'intervenant", "events:my_profile"),
        more=link_to("Toutes vos sessions", "trainings:session_list"),
        actionable=False,
    )
)
register(
    Block(
        key="attendance",
        title="Émargement à saisir",
        position=70,
        applies_to=_is_trainer_or_delegation_staff,
        objects=selectors.sessions_awaiting_attendance,
        item=_attendance_item,
        empty="Toutes les présences des demi-journées passées sont saisies.",
        next_step=link_to("Voir les sessions de formation", "trainings:session_list"),
        more=link_to("Sessions de formation", "trainings:session_list"),
    )
)
register(
    Block(
        key="coming_sessions",
        title="Prochaines sessions de vos agents",
        position=80,
        applies_to=permissions.is_hr_contact,
        objects=selectors.agents_coming_sessions,
        item=_coming_item,
        empty="Aucun de vos agents n'est inscrit à une session à venir.",
        next_step=CATALOGUE,
        more=link_to("Toutes les inscriptions de vos agents", "trainings:registration_list"),
        actionable=False,
        counted=False,  # a large city registers thousands of agents a year
    )
)
register(
    Block(
        key="waiting_list",
        title="Vos agents en liste d'attente",
        position=90,
        applies_to=permissions.is_hr_contact,
        objects=selectors.agents_waiting_list,
        item=_waiting_item,
        empty="Aucun de vos agents n'est en liste d'attente.",
        more=link_to("Toutes les inscriptions de vos agents", "trainings:registration_list"),
        actionable=False,
        counted=False,  # a large city registers thousands of agents a year
    )
)
register(
    Block(
        key="certificates",
        title="Attestations des trois derniers mois",
        position=100,
        applies_to=permissions.is_hr_contact,
        objects=selectors.agents_certificates,
        item=_certificate_item,
        empty="Aucune attestation pour l'instant\u00a0: elle est prête dès que la présence de votre agent est saisie.",
        next_step=CATALOGUE,
        more=link_to("Toutes les inscriptions de vos agents", "trainings:registration_list"),
        actionable=False,
        counted=False,  # a large city registers thousands of agents a year
    )
)
