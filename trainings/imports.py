"""The trainings' CSV imports: agents to register to a session, attendance of a session.

Each is declared once here (columns, the session it writes into, and the line checks, made by the
services); reading the file, the limits, all-or-nothing and « Mes imports » are
``partnership.imports``'s, the same for every import.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from partnership import permissions
from partnership.csvimport import Column, CsvFormat
from partnership.enums import CollectivityUse
from partnership.imports import ImportKind, LineErrors, register
from partnership.selectors import collectivity_lookup
from partnership.services import collectivity_check_covered_by_cnfpt
from partnership.text import count_label

from . import attendance as attendance_services
from . import registrations as registration_services
from . import selectors
from .enums import AttendanceStatus, Period, RegistrationStatus
from .models import Session

# --- Agents to register -------------------------------------------------------------------------

REGISTRATION_COLUMNS = (
    Column("prenom", "prénom", max_length=150),
    Column("nom", "nom", max_length=150),
    Column("email", "e-mail", max_length=254, aliases=("courriel", "adresse e-mail", "mail")),
    Column("categorie", "catégorie", max_length=20),
    Column("emploi", "emploi", max_length=200),
)
# CNFPT staff name each agent's employer (INSEE code, SIREN or exact name); an HR contact's is theirs.
EMPLOYER_COLUMN = Column("employeur", "collectivité employeur", max_length=200, aliases=("collectivite",))


def registration_format(actor, session=None) -> CsvFormat:
    if permissions.is_hr_contact(actor):
        return CsvFormat(columns=REGISTRATION_COLUMNS)
    return CsvFormat(columns=(*REGISTRATION_COLUMNS, EMPLOYER_COLUMN))


def registration_columns(actor) -> list[str]:
    """The header of the agents' file, as the template to download writes it."""
    return [column.key for column in registration_format(actor).columns]


def category_of(text: str) -> str:
    """« c », « cat. A », « Catégorie B » → « C », « A », « B »; anything else stays, for the service to refuse."""
    folded = text.strip().upper()
    for prefix in ("CATÉGORIE", "CATEGORIE", "CAT."):
        folded = folded.removeprefix(prefix).strip()
    return folded


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count <= 1 else plural}"


def batch_summary(registrations) -> str:
    """« 3 agents inscrits : 2 inscriptions confirmées, 1 en liste d'attente. »"""
    confirmed = sum(1 for r in registrations if r.status == RegistrationStatus.CONFIRMED)
    waiting = len(registrations) - confirmed
    text = f"{_plural(len(registrations), 'agent inscrit', 'agents inscrits')}\u00a0: "
    text += f"{_plural(confirmed, 'inscription confirmée', 'inscriptions confirmées')}"
    if waiting:
        text += f", {_plural(waiting, 'en liste d’attente', 'en liste d’attente')}"
    return text + "."


def _employer(text: str, found: dict) -> tuple[object, str]:
    # Staff files name a handful of employers over many lines: each is looked up once.
    if text not in found:
        found[text] = collectivity_lookup(text).found
    employer = found[text]
    if employer is None:
        return None, f"aucune collectivité ne correspond à «\u00a0{text}\u00a0» (code INSEE, SIREN ou nom exact)."
    return employer, ""


def _register(*, actor, target: Session, lines, progress) -> str:
    employers: dict[str, object] = {}
    agents = []
    for line in lines:
        values = line.values
        employer, employer_error = None, ""
        if EMPLOYER_COLUMN.key in values:
            employer, employer_error = _employer(values[EMPLOYER_COLUMN.key], employers)
        agents.append(
            registration_services.AgentRow(
                number=line.number,
                first_name=values["prenom"],
                last_name=values["nom"],
                email=values["email"],
                category=category_of(values["categorie"]),
                job=values["emploi"],
                employer=employer,
                employer_error=employer_error,
            )
        )
    return batch_summary(
        registration_services.registration_create_many(actor=actor, session=target, agents=agents, progress=progress)
    )


def _visible_session(actor, parameters: dict) -> Session:
    return selectors.with_counts(selectors.sessions_visible_to(actor)).get(pk=parameters["session_id"])


def _describe(session: Session) -> str:
    return f"{session.action.title} – session du {session.start_date:%d/%m/%Y}"


REGISTRATIONS = register(
    ImportKind(
        key="trainings.registrations",
        label="Inscription d'agents",
        format=registration_format,
        target=_visible_session,
        parameters=lambda session: {"session_id": session.pk},
        apply=_register,
        describe=_describe,
        url=lambda session: reverse("trainings:session_detail", args=[session.pk]),
    )
)


# --- Attendance ---------------------------------------------------------------------------------

PERIODS = {"matin": Period.MORNING, "am": Period.MORNING, "après-midi": Period.AFTERNOON}
PERIODS |= {"apres-midi": Period.AFTERNOON, "aprem": Period.AFTERNOON, "pm": Period.AFTERNOON}
STATUSES = {
    "présent": AttendanceStatus.PRESENT,
    "present": AttendanceStatus.PRESENT,
    "présente": AttendanceStatus.PRESENT,
    "absent": AttendanceStatus.ABSENT,
    "absente": AttendanceStatus.ABSENT,
    "excusé": AttendanceStatus.EXCUSED,
    "excusée": AttendanceStatus.EXCUSED,
    "excuse": AttendanceStatus.EXCUSED,
    "excused": AttendanceStatus.EXCUSED,
}
ATTENDANCE_FORMAT = CsvFormat(
    columns=(
        Column("email", "e-mail", max_length=254, aliases=("courriel", "adresse e-mail", "mail")),
        Column("date", "date", max_length=20),
        Column("demi-journee", "demi-journée", max_length=20, aliases=("periode",)),
        Column("statut", "statut", max_length=20, aliases=("presence",)),
    )
)


def _parse_date(value: str) -> date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _attendance(*, actor, target: Session, lines, progress) -> str:
    session = target
    confirmed = list(session.registrations.filter(status=RegistrationStatus.CONFIRMED).select_related("employer"))
    registrations = {r.email.lower(): r.pk for r in confirmed}
    # A registration older than the Paris rule may name Paris as employer: its presences are not CNFPT's.
    not_covered = {}
    for registration in confirmed:
        try:
            collectivity_check_covered_by_cnfpt(collectivity=registration.employer, use=CollectivityUse.EMPLOYER)
        except ValidationError as exc:
            not_covered[registration.pk] = exc.messages[0].rstrip(".")
    half_days = {(h.date, h.period): h for h in session.half_days.all()}
    today = timezone.localdate()
    marks: dict[tuple[int, int], str] = {}
    errors: dict[int, list[str]] = {}
    for done, line in enumerate(lines, start=1):
        values = line.values
        email, day_text = values["email"], values["date"]
        period_text, status_text = values["demi-journee"], values["statut"]
        problems = []
        registration_id = registrations.get(email.lower())
        if registration_id is None:
            problems.append(f"aucune inscription confirmée pour «\u00a0{email}\u00a0» à cette session")
        elif registration_id in not_covered:
            problems.append(not_covered[registration_id])
        day = _parse_date(day_text)
        period = PERIODS.get(period_text.lower())
        status = STATUSES.get(status_text.lower())
        if day is None:
            problems.append(f"date «\u00a0{day_text}\u00a0» invalide (format JJ/MM/AAAA)")
        if period is None:
            problems.append(f"demi-journée «\u00a0{period_text}\u00a0» inconnue (matin ou après-midi)")
        if status is None:
            problems.append(f"statut «\u00a0{status_text}\u00a0» inconnu (présent, absent ou excusé)")
        half_day = half_days.get((day, period)) if day and period else None
        if day and period and half_day is None:
            problems.append(f"la session n'a pas lieu le {day:%d/%m/%Y} ({Period(period).label.lower()})")
        elif half_day is not None and half_day.date > today:
            problems.append(f"la demi-journée du {half_day} n'a pas encore eu lieu")
        if not problems and (registration_id, half_day.pk) in marks:
            problems.append("cette personne figure déjà pour cette demi-journée plus haut dans le fichier")
        if problems:
            errors[line.number] = problems
        else:
            marks[(registration_id, half_day.pk)] = status
        progress(done)
    if errors:
        raise LineErrors(errors)
    changed = attendance_services.attendance_record(
        actor=actor, session=session, marks=marks, source="Import d'un fichier CSV"
    )
    return (
        f"Import réussi\u00a0: {count_label(changed, 'présence enregistrée', 'présences enregistrées')} "
        f"ou modifiée{'s' if changed > 1 else ''}."
    )


def _attendance_session(actor, parameters: dict) -> Session:
    return selectors.sessions_attendance_takeable_by(actor).get(pk=parameters["session_id"])


ATTENDANCE = register(
    ImportKind(
        key="trainings.attendance",
        label="Présences (émargement)",
        format=lambda actor, session: ATTENDANCE_FORMAT,
        target=_attendance_session,
        parameters=lambda session: {"session_id": session.pk},
        apply=_attendance,
        describe=_describe,
        url=lambda session: reverse("trainings:attendance", args=[session.pk]),
    )
)
