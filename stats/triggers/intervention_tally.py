"""``stats_interventiontally``: the trainers' interventions (one per trainer of a session that is not
cancelled) per (delegation, venue); « intervenants par région » joins the venue's region at read time."""

# The SQL here is assembled from this package's constants and the enums only; no value from outside reaches it.
# ruff: noqa: S608

from trainings.enums import SessionStatus

from .base import Trigger

PLANNED = f"'{SessionStatus.PLANNED.value}'"

TABLE = "stats_interventiontally"
INSERT = f"INSERT INTO {TABLE} (delegation_id, venue_id, interventions)"
UPSERT = f"""ON CONFLICT (delegation_id, venue_id) DO UPDATE SET
  interventions = {TABLE}.interventions + excluded.interventions;"""

# --- A trainer of a session not cancelled: one intervention -------------------------------------------

TRAINER_INSERT = Trigger(
    "interventions_trainer_insert",
    "trainings_session_trainers",
    "INSERT",
    f"""
{INSERT}
SELECT a.delegation_id, s.venue_id, 1
FROM trainings_session s JOIN trainings_trainingaction a ON a.id = s.action_id
WHERE s.id = NEW.session_id AND s.status = {PLANNED}
{UPSERT}
""",
)

TRAINER_UPDATE = Trigger(
    "interventions_trainer_update",
    "trainings_session_trainers",
    "UPDATE",
    f"""
{INSERT}
SELECT a.delegation_id, s.venue_id, -1
FROM trainings_session s JOIN trainings_trainingaction a ON a.id = s.action_id
WHERE s.id = OLD.session_id AND s.status = {PLANNED}
{UPSERT}
{INSERT}
SELECT a.delegation_id, s.venue_id, 1
FROM trainings_session s JOIN trainings_trainingaction a ON a.id = s.action_id
WHERE s.id = NEW.session_id AND s.status = {PLANNED}
{UPSERT}
""",
    when="OLD.session_id <> NEW.session_id",
)

TRAINER_DELETE = Trigger(
    "interventions_trainer_delete",
    "trainings_session_trainers",
    "DELETE",
    f"""
{INSERT}
SELECT a.delegation_id, s.venue_id, -1
FROM trainings_session s JOIN trainings_trainingaction a ON a.id = s.action_id
WHERE s.id = OLD.session_id AND s.status = {PLANNED}
{UPSERT}
""",
)

# --- A session: one intervention per trainer while it is not cancelled, at its venue ------------------

SESSION_UPDATE = Trigger(
    "interventions_session_update",
    "trainings_session",
    "UPDATE",
    f"""
{INSERT}
SELECT a.delegation_id, OLD.venue_id, -COUNT(*)
FROM trainings_session_trainers st JOIN trainings_trainingaction a ON a.id = OLD.action_id
WHERE st.session_id = OLD.id AND OLD.status = {PLANNED}
GROUP BY a.delegation_id
{UPSERT}
{INSERT}
SELECT a.delegation_id, NEW.venue_id, COUNT(*)
FROM trainings_session_trainers st JOIN trainings_trainingaction a ON a.id = NEW.action_id
WHERE st.session_id = NEW.id AND NEW.status = {PLANNED}
GROUP BY a.delegation_id
{UPSERT}
""",
    when="OLD.status <> NEW.status OR OLD.venue_id <> NEW.venue_id OR OLD.action_id <> NEW.action_id",
)

SESSION_DELETE = Trigger(
    "interventions_session_delete",
    "trainings_session",
    "DELETE",
    f"""
{INSERT}
SELECT a.delegation_id, OLD.venue_id, -COUNT(*)
FROM trainings_session_trainers st JOIN trainings_trainingaction a ON a.id = OLD.action_id
WHERE st.session_id = OLD.id AND OLD.status = {PLANNED}
GROUP BY a.delegation_id
{UPSERT}
""",
)

# --- An action that moves to another delegation takes its sessions' interventions along ---------------

ACTION_UPDATE = Trigger(
    "interventions_action_update",
    "trainings_trainingaction",
    "UPDATE",
    f"""
{INSERT}
SELECT OLD.delegation_id, s.venue_id, -COUNT(*)
FROM trainings_session s JOIN trainings_session_trainers st ON st.session_id = s.id
WHERE s.action_id = OLD.id AND s.status = {PLANNED}
GROUP BY s.venue_id
{UPSERT}
{INSERT}
SELECT NEW.delegation_id, s.venue_id, COUNT(*)
FROM trainings_session s JOIN trainings_session_trainers st ON st.session_id = s.id
WHERE s.action_id = NEW.id AND s.status = {PLANNED}
GROUP BY s.venue_id
{UPSERT}
""",
    when="OLD.delegation_id <> NEW.delegation_id",
)

TRIGGERS = [TRAINER_INSERT, TRAINER_UPDATE, TRAINER_DELETE, SESSION_UPDATE, SESSION_DELETE, ACTION_UPDATE]

# Every row from the sessions' trainers (``stats.tally.tally_rebuild``).
REBUILD = f"""
{INSERT}
SELECT a.delegation_id, s.venue_id, COUNT(*)
FROM trainings_session_trainers st
JOIN trainings_session s ON s.id = st.session_id
JOIN trainings_trainingaction a ON a.id = s.action_id
WHERE s.status = {PLANNED}
GROUP BY a.delegation_id, s.venue_id
"""
