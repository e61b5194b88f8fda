"""``stats_trainingsummary``: the training tally's sums per (delegation, committed contract or not, programme
line's theme, action's theme, scheme, category), what the indicators group by.

It follows the tally's rows, and the dimensions an action takes from its programme line and contract: an
action, a line or a contract that changes moves its sums from one key to the other. A programme commits its
delegation once its contract is signed (``agreements.enums.COMMITTED_STATUSES``); an action outside any
contract has line theme 0.
"""

# The SQL here is assembled from this package's constants and the enums only; no value from outside reaches it.
# ruff: noqa: S608

from agreements.enums import COMMITTED_STATUSES

from .base import Trigger

COMMITTED = "(" + ", ".join(f"'{status.value}'" for status in COMMITTED_STATUSES) + ")"

TABLE = "stats_trainingsummary"
KEY = "delegation_id, committed, line_theme_id, theme_id, scheme_id, category"
INSERT = f"INSERT INTO {TABLE} ({KEY}, trainees, scheduled_half_days, present_half_days, present_half_days_planned)"
UPSERT = f"""ON CONFLICT ({KEY}) DO UPDATE SET
  trainees = {TABLE}.trainees + excluded.trainees,
  scheduled_half_days = {TABLE}.scheduled_half_days + excluded.scheduled_half_days,
  present_half_days = {TABLE}.present_half_days + excluded.present_half_days,
  present_half_days_planned = {TABLE}.present_half_days_planned + excluded.present_half_days_planned;"""
SUMS = "SUM(t.trainees), SUM(t.scheduled_half_days), SUM(t.present_half_days), SUM(t.present_half_days_planned)"
MINUS_SUMS = (
    "-SUM(t.trainees), -SUM(t.scheduled_half_days), -SUM(t.present_half_days), -SUM(t.present_half_days_planned)"
)

# --- A tally row adds its sums at its action's current dimensions ---------------------------------------

TALLY_INSERT = Trigger(
    "summary_tally_insert",
    "stats_trainingtally",
    "INSERT",
    f"""
{INSERT}
SELECT a.delegation_id, COALESCE(c.status IN {COMMITTED}, false), COALESCE(pl.theme_id, 0), a.theme_id, a.scheme_id,
  NEW.category, NEW.trainees, NEW.scheduled_half_days, NEW.present_half_days, NEW.present_half_days_planned
FROM trainings_trainingaction a
LEFT JOIN agreements_programmeline pl ON pl.id = a.programme_line_id
LEFT JOIN agreements_partnershipcontract c ON c.id = pl.contract_id
WHERE a.id = NEW.action_id
{UPSERT}
""",
)

TALLY_UPDATE = Trigger(
    "summary_tally_update",
    "stats_trainingtally",
    "UPDATE",
    f"""
{INSERT}
SELECT a.delegation_id, COALESCE(c.status IN {COMMITTED}, false), COALESCE(pl.theme_id, 0), a.theme_id, a.scheme_id,
  NEW.category, NEW.trainees - OLD.trainees, NEW.scheduled_half_days - OLD.scheduled_half_days,
  NEW.present_half_days - OLD.present_half_days, NEW.present_half_days_planned - OLD.present_half_days_planned
FROM trainings_trainingaction a
LEFT JOIN agreements_programmeline pl ON pl.id = a.programme_line_id
LEFT JOIN agreements_partnershipcontract c ON c.id = pl.contract_id
WHERE a.id = NEW.action_id
{UPSERT}
""",
)

TALLY_DELETE = Trigger(
    "summary_tally_delete",
    "stats_trainingtally",
    "DELETE",
    f"""
{INSERT}
SELECT a.delegation_id, COALESCE(c.status IN {COMMITTED}, false), COALESCE(pl.theme_id, 0), a.theme_id, a.scheme_id,
  OLD.category, -OLD.trainees, -OLD.scheduled_half_days, -OLD.present_half_days, -OLD.present_half_days_planned
FROM trainings_trainingaction a
LEFT JOIN agreements_programmeline pl ON pl.id = a.programme_line_id
LEFT JOIN agreements_partnershipcontract c ON c.id = pl.contract_id
WHERE a.id = OLD.action_id
{UPSERT}
""",
)

# --- An action that changes delegation, theme, scheme or programme line moves its tally ----------------

ACTION_UPDATE = Trigger(
    "summary_action_update",
    "trainings_trainingaction",
    "UPDATE",
    f"""
{INSERT}
SELECT OLD.delegation_id, COALESCE(c.status IN {COMMITTED}, false), COALESCE(pl.theme_id, 0), OLD.theme_id,
  OLD.scheme_id, t.category, {MINUS_SUMS}
FROM stats_trainingtally t
LEFT JOIN agreements_programmeline pl ON pl.id = OLD.programme_line_id
LEFT JOIN agreements_partnershipcontract c ON c.id = pl.contract_id
WHERE t.action_id = OLD.id
GROUP BY t.category, pl.theme_id, c.status
{UPSERT}
{INSERT}
SELECT NEW.delegation_id, COALESCE(c.status IN {COMMITTED}, false), COALESCE(pl.theme_id, 0), NEW.theme_id,
  NEW.scheme_id, t.category, {SUMS}
FROM stats_trainingtally t
LEFT JOIN agreements_programmeline pl ON pl.id = NEW.programme_line_id
LEFT JOIN agreements_partnershipcontract c ON c.id = pl.contract_id
WHERE t.action_id = NEW.id
GROUP BY t.category, pl.theme_id, c.status
{UPSERT}
""",
    when=(
        "OLD.delegation_id <> NEW.delegation_id OR OLD.theme_id <> NEW.theme_id OR OLD.scheme_id <> NEW.scheme_id"
        " OR COALESCE(OLD.programme_line_id, 0) <> COALESCE(NEW.programme_line_id, 0)"
    ),
)

# --- A programme line that changes theme or contract moves the tally of its actions --------------------

LINE_UPDATE = Trigger(
    "summary_line_update",
    "agreements_programmeline",
    "UPDATE",
    f"""
{INSERT}
SELECT a.delegation_id, COALESCE(c.status IN {COMMITTED}, false), OLD.theme_id, a.theme_id, a.scheme_id,
  t.category, {MINUS_SUMS}
FROM trainings_trainingaction a
JOIN stats_trainingtally t ON t.action_id = a.id
LEFT JOIN agreements_partnershipcontract c ON c.id = OLD.contract_id
WHERE a.programme_line_id = OLD.id
GROUP BY a.delegation_id, c.status, a.theme_id, a.scheme_id, t.category
{UPSERT}
{INSERT}
SELECT a.delegation_id, COALESCE(c.status IN {COMMITTED}, false), NEW.theme_id, a.theme_id, a.scheme_id,
  t.category, {SUMS}
FROM trainings_trainingaction a
JOIN stats_trainingtally t ON t.action_id = a.id
LEFT JOIN agreements_partnershipcontract c ON c.id = NEW.contract_id
WHERE a.programme_line_id = NEW.id
GROUP BY a.delegation_id, c.status, a.theme_id, a.scheme_id, t.category
{UPSERT}
""",
    when="OLD.theme_id <> NEW.theme_id OR OLD.contract_id <> NEW.contract_id",
)

# --- A contract signed (or back from signed) commits (or releases) the tally of its lines' actions -----

CONTRACT_UPDATE = Trigger(
    "summary_contract_update",
    "agreements_partnershipcontract",
    "UPDATE",
    f"""
{INSERT}
SELECT a.delegation_id, OLD.status IN {COMMITTED}, pl.theme_id, a.theme_id, a.scheme_id, t.category, {MINUS_SUMS}
FROM agreements_programmeline pl
JOIN trainings_trainingaction a ON a.programme_line_id = pl.id
JOIN stats_trainingtally t ON t.action_id = a.id
WHERE pl.contract_id = OLD.id
GROUP BY a.delegation_id, pl.theme_id, a.theme_id, a.scheme_id, t.category
{UPSERT}
{INSERT}
SELECT a.delegation_id, NEW.status IN {COMMITTED}, pl.theme_id, a.theme_id, a.scheme_id, t.category, {SUMS}
FROM agreements_programmeline pl
JOIN trainings_trainingaction a ON a.programme_line_id = pl.id
JOIN stats_trainingtally t ON t.action_id = a.id
WHERE pl.contract_id = NEW.id
GROUP BY a.delegation_id, pl.theme_id, a.theme_id, a.scheme_id, t.category
{UPSERT}
""",
    when=f"(OLD.status IN {COMMITTED}) <> (NEW.status IN {COMMITTED})",
)

TRIGGERS = [TALLY_INSERT, TALLY_UPDATE, TALLY_DELETE, ACTION_UPDATE, LINE_UPDATE, CONTRACT_UPDATE]

# Every row of the summary from the tally (``stats.tally.tally_rebuild``).
REBUILD = f"""
{INSERT}
SELECT a.delegation_id, COALESCE(c.status IN {COMMITTED}, false), COALESCE(pl.theme_id, 0), a.theme_id, a.scheme_id,
  t.category, {SUMS}
FROM stats_trainingtally t
JOIN trainings_trainingaction a ON a.id = t.action_id
LEFT JOIN agreements_programmeline pl ON pl.id = a.programme_line_id
LEFT JOIN agreements_partnershipcontract c ON c.id = pl.contract_id
GROUP BY 1, 2, 3, 4, 5, 6
"""
