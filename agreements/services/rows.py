"""The parties and programme lines of a draft contract: their data, and changes planned, written and logged row by row."""

import datetime
from collections.abc import Collection
from dataclasses import dataclass, replace
from decimal import Decimal

from django.core.exceptions import ValidationError

from partnership import history
from partnership.conflicts import StaleState
from partnership.enums import HistoryAction
from partnership.models import Collectivity
from partnership.models_utils import model_update

from ..models import ProgrammeLine, Theme


@dataclass(frozen=True)
class PartyData:
    collectivity: Collectivity
    signatory_name: str
    signatory_function: str
    signatory_email: str
    deliberation_date: datetime.date | None = None
    # The existing party this changes; None for a new one (or one matched by its collectivité).
    pk: int | None = None


@dataclass(frozen=True)
class LineData:
    year: int
    theme: Theme
    title: str
    planned_days: Decimal
    planned_trainees: int
    # The existing programme line this changes; None for a new line.
    pk: int | None = None


PARTY_FIELDS = ("collectivity", "signatory_name", "signatory_function", "signatory_email", "deliberation_date")
LINE_FIELDS = ("year", "theme", "title", "planned_days", "planned_trainees")


def rows_history(contract) -> dict[tuple[str, int], tuple[str, dict[str, history.Value]]]:
    """Each party and programme line of ``contract``: (kind, pk) → (what the history calls it, its values)."""
    rows = {}
    for party in contract.parties.select_related("collectivity"):
        rows["party", party.pk] = (f"Partie\u00a0: {party.collectivity}", history.values_of(party, PARTY_FIELDS))
    for line in contract.programme_lines.select_related("theme"):
        rows["line", line.pk] = (
            f"Ligne de programme «\u00a0{line.title}\u00a0» ({line.year})",
            history.values_of(line, LINE_FIELDS),
        )
    return rows


def rows_record_history(*, actor, contract, before: dict, after: dict) -> None:
    """One entry per party or programme line added, changed or removed, the contract's own fields last."""
    for key in [*after, *(key for key in before if key not in after)]:
        if key not in after:
            subject, values = before[key]
            history.record(actor=actor, obj=contract, action=HistoryAction.REMOVED, subject=subject, before=values)
        elif key not in before:
            subject, values = after[key]
            history.record(actor=actor, obj=contract, action=HistoryAction.ADDED, subject=subject, after=values)
        else:
            history.record(
                actor=actor,
                obj=contract,
                action=HistoryAction.UPDATED,
                subject=after[key][0],
                before=before[key][1],
                after=after[key][1],
            )


@dataclass
class RowPlan:
    """What saving a contract does to one kind of its rows: ``rows`` to keep, in order, and ``removed`` ids."""

    rows: list  # (existing pk or None for a new row, the data: a PartyData/LineData or the unchanged row)
    removed: set


def _plan_rows(existing: dict, changes: list, removed: Collection[int], *, what: str, same_row=None) -> RowPlan:
    """The rows a contract will have: ``existing`` (by pk) with ``changes`` applied, minus ``removed``.

    A change names its row by ``pk``; a change naming none is a new row. A row neither changed nor
    removed is kept as it is: rows disappear only when asked for by id, so a form that fails to send
    a row back can never delete it. ``same_row(row, change)`` tells whether a change may be written
    over the row in place (a party whose collectivité changes is another party: old out, new in).
    """
    removed = set(removed)
    unknown = (removed | {c.pk for c in changes if c.pk is not None}) - set(existing)
    if unknown:
        raise StaleState(
            f"{what} a été modifié entre-temps par quelqu'un d'autre. Rechargez la page pour repartir de sa "
            "dernière version ; vos saisies n'ont pas été enregistrées.",
            code="stale_rows",
        )
    rows, claimed = [], set()
    for change in changes:
        pk = change.pk
        if pk is not None and (pk in removed or pk in claimed):
            pk = None
        elif pk is not None and same_row is not None and not same_row(existing[pk], change):
            removed.add(pk)
            pk = None
        if pk is not None:
            claimed.add(pk)
        rows.append((pk, change))
    rows += [(pk, row) for pk, row in existing.items() if pk not in removed and pk not in claimed]
    return RowPlan(rows=rows, removed=removed)


def rows_plan_parties(contract, parties: list[PartyData], removed: Collection[int]) -> RowPlan:
    existing = {p.pk: p for p in contract.parties.select_related("collectivity__department")} if contract else {}
    removed = set(removed)
    by_collectivity = {p.collectivity_id: pk for pk, p in existing.items() if pk not in removed}
    changes = []
    for party in parties:
        # A caller that knows parties by their collectivité (imports, the admin) changes them in place too.
        pk = party.pk if party.pk is not None else by_collectivity.get(party.collectivity.pk)
        changes.append(replace(party, pk=pk, signatory_email=party.signatory_email.lower()))
    return _plan_rows(
        existing,
        changes,
        removed,
        what="La liste des collectivités parties",
        same_row=lambda row, change: row.collectivity_id == change.collectivity.pk,
    )


def rows_plan_lines(contract, lines: list[LineData], removed: Collection[int]) -> RowPlan:
    existing = {line.pk: line for line in contract.programme_lines.select_related("theme")} if contract else {}
    plan = _plan_rows(existing, list(lines), removed, what="Le programme")
    in_use = sorted(
        ProgrammeLine.objects.filter(pk__in=plan.removed, training_actions__isnull=False)
        .values_list("title", flat=True)
        .distinct()
    )
    if in_use:
        listed = ", ".join(f"« {title} »" for title in in_use)
        which = (
            f"à la ligne {listed} : elle ne peut pas être retirée"
            if len(in_use) == 1
            else (f"aux lignes {listed} : elles ne peuvent pas être retirées")
        )
        raise ValidationError(f"Des actions de formation sont rattachées {which} du programme.", code="line_in_use")
    return plan


def rows_write(model, contract, plan: RowPlan, fields, *, ordered: bool) -> None:
    """Apply ``plan``: delete removed rows, update changed ones in place (only their changed fields), add new ones."""
    model.objects.filter(contract=contract, pk__in=plan.removed).delete()
    current = {row.pk: row for row in model.objects.filter(contract=contract)}
    new_rows = []
    for position, (pk, data) in enumerate(plan.rows):
        values = {name: getattr(data, name) for name in fields}
        if ordered:
            values["position"] = position
        if pk is None:
            new_rows.append(model(contract=contract, **values))
            continue
        model_update(instance=current[pk], fields=values, data=values, clean=False)
    model.objects.bulk_create(new_rows)
