"""``stats_trainingtally``: registrations and attendance per (training action, category).

A confirmed registration contributes 1 trainee, its session's half-days and its present half-days (the
last two in the "planned" sums only while the session is not cancelled). An attendance mark contributes one
present half-day when it is "present" and its registration confirmed. A session's status decides whether
its registrations count as trainees; a half-day adds one scheduled half-day per confirmed registration.

Each trigger adds the difference its row change makes (``UPSERT``): additions commute, so concurrent
writers never lose each other's change, and a rolled-back write takes its difference with it.
"""

# The SQL here is assembled from this package's constants and the enums only; no value from outside reaches it.
# ruff: noqa: S608

from trainings.enums import AttendanceStatus, RegistrationStatus, SessionStatus

from .base import Trigger

PLANNED = f"'{SessionStatus.PLANNED.value}'"
CONFIRMED = f"'{RegistrationStatus.CONFIRMED.value}'"
PRESENT = f"'{AttendanceStatus.PRESENT.value}'"

TABLE = "stats_trainingtally"
COLUMNS = "action_id, category, trainees, scheduled_half_days, present_half_days, present_half_days_planned"
INSERT = f"INSERT INTO {TABLE} ({COLUMNS})"
UPSERT = f"""ON CONFLICT (action_id, category) DO UPDATE SET
  trainees = {TABLE}.trainees + excluded.trainees,
  scheduled_half_days = {TABLE}.scheduled_half_days + excluded.scheduled_half_days,
  present_half_days = {TABLE}.present_half_days + excluded.present_half_days,
  present_half_days_planned = {TABLE}.present_half_days_planned + excluded.present_half_days_planned;"""

# --- Registrations: what a registration row contributes ----------------------------------------------

REGISTRATION_INSERT = Trigger(
    "tally_registration_insert",
    "trainings_registration",
    "INSERT",
    f"""
{INSERT}
SELECT c.action_id, c.category, c.planned, c.planned * c.half_days, c.present, c.planned * c.present
FROM (
  SELECT s.action_id AS action_id, NEW.category AS category,
    CASE WHEN s.status = {PLANNED} THEN 1 ELSE 0 END AS planned,
    (SELECT COUNT(*) FROM trainings_sessionhalfday h WHERE h.session_id = s.id) AS half_days,
    (SELECT COUNT(*) FROM trainings_attendance a WHERE a.registration_id = NEW.id AND a.status = {PRESENT}) AS present
  FROM trainings_session s
  WHERE s.id = NEW.session_id AND NEW.status = {CONFIRMED}
) c
WHERE true
{UPSERT}
""",
)

REGISTRATION_UPDATE = Trigger(
    "tally_registration_update",
    "trainings_registration",
    "UPDATE",
    f"""
{INSERT}
SELECT c.action_id, c.category, -c.planned, -c.planned * c.half_days, -c.present, -c.planned * c.present
FROM (
  SELECT s.action_id AS action_id, OLD.category AS category,
    CASE WHEN s.status = {PLANNED} THEN 1 ELSE 0 END AS planned,
    (SELECT COUNT(*) FROM trainings_sessionhalfday h WHERE h.session_id = s.id) AS half_days,
    (SELECT COUNT(*) FROM trainings_attendance a WHERE a.registration_id = OLD.id AND a.status = {PRESENT}) AS present
  FROM trainings_session s
  WHERE s.id = OLD.session_id AND OLD.status = {CONFIRMED}
) c
WHERE true
{UPSERT}
{INSERT}
SELECT c.action_id, c.category, c.planned, c.planned * c.half_days, c.present, c.planned * c.present
FROM (
  SELECT s.action_id AS action_id, NEW.category AS category,
    CASE WHEN s.status = {PLANNED} THEN 1 ELSE 0 END AS planned,
    (SELECT COUNT(*) FROM trainings_sessionhalfday h WHERE h.session_id = s.id) AS half_days,
    (SELECT COUNT(*) FROM trainings_attendance a WHERE a.registration_id = NEW.id AND a.status = {PRESENT}) AS present
  FROM trainings_session s
  WHERE s.id = NEW.session_id AND NEW.status = {CONFIRMED}
) c
WHERE true
{UPSERT}
""",
    when="OLD.status <> NEW.status OR OLD.category <> NEW.category OR OLD.session_id <> NEW.session_id",
)

REGISTRATION_DELETE = Trigger(
    "tally_registration_delete",
    "trainings_registration",
    "DELETE",
    f"""
{INSERT}
SELECT c.action_id, c.category, -c.planned, -c.planned * c.half_days, -c.present, -c.planned * c.present
FROM (
  SELECT s.action_id AS action_id, OLD.category AS category,
    CASE WHEN s.status = {PLANNED} THEN 1 ELSE 0 END AS planned,
    (SELECT COUNT(*) FROM trainings_sessionhalfday h WHERE h.session_id = s.id) AS half_days,
    (SELECT COUNT(*) FROM trainings_attendance a WHERE a.registration_id = OLD.id AND a.status = {PRESENT}) AS present
  FROM trainings_session s
  WHERE s.id = OLD.session_id AND OLD.status = {CONFIRMED}
) c
WHERE true
{UPSERT}
""",
)

# --- Attendance marks: one present half-day of a confirmed registration ---------------------------------

ATTENDANCE_INSERT = Trigger(
    "tally_attendance_insert",
    "trainings_attendance",
    "INSERT",
    f"""
{INSERT}
SELECT s.action_id, r.category, 0, 0, 1, CASE WHEN s.status = {PLANNED} THEN 1 ELSE 0 END
FROM trainings_registration r JOIN trainings_session s ON s.id = r.session_id
WHERE r.id = NEW.registration_id AND r.status = {CONFIRMED} AND NEW.status = {PRESENT}
{UPSERT}
""",
)

ATTENDANCE_UPDATE = Trigger(
    "tally_attendance_update",
    "trainings_attendance",
    "UPDATE",
    f"""
{INSERT}
SELECT s.action_id, r.category, 0, 0, -1, -CASE WHEN s.status = {PLANNED} THEN 1 ELSE 0 END
FROM trainings_registration r JOIN trainings_session s ON s.id = r.session_id
WHERE r.id = OLD.registration_id AND r.status = {CONFIRMED} AND OLD.status = {PRESENT}
{UPSERT}
{INSERT}
SELECT s.action_id, r.category, 0, 0, 1, CASE WHEN s.status = {PLANNED} THEN 1 ELSE 0 END
FROM trainings_registration r JOIN trainings_session s ON s.id = r.session_id
WHERE r.id = NEW.registration_id AND r.status = {CONFIRMED} AND NEW.status = {PRESENT}
{UPSERT}
""",
    when="OLD.status <> NEW.status OR OLD.registration_id <> NEW.registration_id",
)

ATTENDANCE_DELETE = Trigger(
    "tally_attendance_delete",
    "trainings_attendance",
    "DELETE",
    f"""
{INSERT}
SELECT s.action_id, r.category, 0, 0, -1, -CASE WHEN s.status = {PLANNED} THEN 1 ELSE 0 END
FROM trainings_registration r JOIN trainings_session s ON s.id = r.session_id
WHERE r.id = OLD.registration_id AND r.status = {CONFIRMED} AND OLD.status = {PRESENT}
{UPSERT}
""",
)

# --- Sessions: a cancelled session's registrations stop counting; a session moved to another action ---

SESSION_UPDATE = Trigger(
    "tally_session_update",
    "trainings_session",
    "UPDATE",
    f"""
{INSERT}
SELECT g.action_id, g.category,
  -g.planned * g.registrations,
  -g.planned * g.registrations * (SELECT COUNT(*) FROM trainings_sessionhalfday h WHERE h.session_id = OLD.id),
  -g.present,
  -g.planned * g.present
FROM (
  SELECT OLD.action_id AS action_id, r.category AS category,
    CASE WHEN OLD.status = {PLANNED} THEN 1 ELSE 0 END AS planned,
    COUNT(DISTINCT r.id) AS registrations, COUNT(a.id) AS present
  FROM trainings_registration r
  LEFT JOIN trainings_attendance a ON a.registration_id = r.id AND a.status = {PRESENT}
  WHERE r.session_id = OLD.id AND r.status = {CONFIRMED}
  GROUP BY r.category
) g
WHERE true
{UPSERT}
{INSERT}
SELECT g.action_id, g.category,
  g.planned * g.registrations,
  g.planned * g.registrations * (SELECT COUNT(*) FROM trainings_sessionhalfday h WHERE h.session_id = NEW.id),
  g.present,
  g.planned * g.present
FROM (
  SELECT NEW.action_id AS action_id, r.category AS category,
    CASE WHEN NEW.status = {PLANNED} THEN 1 ELSE 0 END AS planned,
    COUNT(DISTINCT r.id) AS registrations, COUNT(a.id) AS present
  FROM trainings_registration r
  LEFT JOIN trainings_attendance a ON a.registration_id = r.id AND a.status = {PRESENT}
  WHERE r.session_id = NEW.id AND r.status = {CONFIRMED}
  GROUP BY r.category
) g
WHERE true
{UPSERT}
""",
    when="OLD.status <> NEW.status OR OLD.action_id <> NEW.action_id",
)

# --- Half-days: one scheduled half-day per confirmed registration of a session not cancelled -----------

HALF_DAY_INSERT = Trigger(
    "tally_half_day_insert",
    "trainings_sessionhalfday",
    "INSERT",
    f"""
{INSERT}
SELECT g.action_id, g.category, 0, g.registrations, 0, 0
FROM (
  SELECT s.action_id AS action_id, r.category AS category, COUNT(*) AS registrations
  FROM trainings_registration r JOIN trainings_session s ON s.id = r.session_id
  WHERE r.session_id = NEW.session_id AND r.status = {CONFIRMED} AND s.status = {PLANNED}
  GROUP BY s.action_id, r.category
) g
WHERE true
{UPSERT}
""",
)

HALF_DAY_DELETE = Trigger(
    "tally_half_day_delete",
    "trainings_sessionhalfday",
    "DELETE",
    f"""
{INSERT}
SELECT g.action_id, g.category, 0, -g.registrations, 0, 0
FROM (
  SELECT s.action_id AS action_id, r.category AS category, COUNT(*) AS registrations
  FROM trainings_registration r JOIN trainings_session s ON s.id = r.session_id
  WHERE r.session_id = OLD.session_id AND r.status = {CONFIRMED} AND s.status = {PLANNED}
  GROUP BY s.action_id, r.category
) g
WHERE true
{UPSERT}
""",
)

TRIGGERS = [
    REGISTRATION_INSERT,
    REGISTRATION_UPDATE,
    REGISTRATION_DELETE,
    ATTENDANCE_INSERT,
    ATTENDANCE_UPDATE,
    ATTENDANCE_DELETE,
    SESSION_UPDATE,
    HALF_DAY_INSERT,
    HALF_DAY_DELETE,
]

# Every row of the tally from the raw rows (``stats.tally.tally_rebuild``).
REBUILD = f"""
{INSERT}
SELECT s.action_id, r.category,
  SUM(CASE WHEN s.status = {PLANNED} THEN 1 ELSE 0 END),
  SUM(CASE WHEN s.status = {PLANNED} THEN COALESCE(h.n, 0) ELSE 0 END),
  SUM(COALESCE(p.n, 0)),
  SUM(CASE WHEN s.status = {PLANNED} THEN COALESCE(p.n, 0) ELSE 0 END)
FROM trainings_registration r
JOIN trainings_session s ON s.id = r.session_id
LEFT JOIN (SELECT session_id, COUNT(*) AS n FROM trainings_sessionhalfday GROUP BY session_id) h ON h.session_id = s.id
LEFT JOIN (
  SELECT registration_id, COUNT(*) AS n FROM trainings_attendance WHERE status = {PRESENT} GROUP BY registration_id
) p ON p.registration_id = r.id
WHERE r.status = {CONFIRMED}
GROUP BY s.action_id, r.category
"""
