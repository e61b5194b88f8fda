"""The rows of a draft (parties, programme lines) keep their identity through ``contract_update``.

A row is changed in place when named by its id, added when named by none, and deleted only when its
id is listed as removed: a caller that leaves a row out cannot truncate the contract.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from agreements.models import SignatureRequest
from agreements.services import drafting
from agreements.signing.services import sending
from tests.agreements.factories import line, make_programmed_draft, party
from tests.concurrency import run_concurrently
from tests.factories import CommuneFactory


def _update(contract, actor, **overrides):
    kwargs = {
        "contract": contract,
        "actor": actor,
        "expected_version": contract.version,
        "title": contract.title,
        "start_date": contract.start_date,
        "end_date": contract.end_date,
        "delegate": contract.delegate,
        "advisers": list(contract.advisers.all()),
        "parties": [],
        "lines": [],
    }
    kwargs.update(overrides)
    return drafting.contract_update(**kwargs)


def _rows(contract):
    return (
        list(contract.parties.values_list("pk", "collectivity_id", "signatory_email", "deliberation_date")),
        list(contract.programme_lines.values_list("pk", "title", "planned_trainees")),
    )


@pytest.fixture
def draft(delegation_staff, commune, other_commune):
    return make_programmed_draft(actor=delegation_staff, collectivities=[commune, other_commune])


def test_rows_left_out_are_kept(delegation_staff, draft):
    before = _rows(draft)
    _update(draft, delegation_staff, title="Nouveau titre")
    draft.refresh_from_db()
    assert (draft.title, _rows(draft)) == ("Nouveau titre", before)


def test_a_named_line_changes_in_place_a_new_one_is_added_a_removed_one_goes(delegation_staff, draft):
    first, second, third = draft.programme_lines.order_by("pk")
    _update(
        draft,
        delegation_staff,
        lines=[
            line(first.year, theme=first.theme, title="Plan de formation révisé", pk=first.pk),
            line(2029, title="Nouvelle action"),
        ],
        removed_lines=[third.pk],
    )
    titles = list(draft.programme_lines.order_by("pk").values_list("pk", "title"))
    assert titles[:2] == [(first.pk, "Plan de formation révisé"), (second.pk, second.title)]
    assert [title for _pk, title in titles[2:]] == ["Nouvelle action"]


def test_a_party_named_by_its_collectivity_changes_in_place(delegation_staff, draft, commune):
    before = list(draft.parties.values_list("pk", flat=True))
    _update(draft, delegation_staff, parties=[party(commune, signatory_email="Nouveau.Maire@Example.fr")])
    assert list(draft.parties.values_list("pk", "signatory_email")) == [
        (before[0], "nouveau.maire@example.fr"),
        (before[1], draft.parties.get(pk=before[1]).signatory_email),
    ]


def test_a_party_given_another_collectivity_is_replaced(delegation_staff, draft, commune):
    kept, replaced = draft.parties.all()
    newcomer = CommuneFactory(department=commune.department)
    _update(draft, delegation_staff, parties=[party(newcomer, pk=replaced.pk)])
    parties = dict(draft.parties.values_list("collectivity_id", "pk"))
    assert parties.keys() == {kept.collectivity_id, newcomer.pk}
    assert parties[kept.collectivity_id] == kept.pk
    assert parties[newcomer.pk] != replaced.pk


def test_a_row_of_another_contract_is_refused_and_nothing_changes(delegation_staff, draft, commune):
    other = make_programmed_draft(
        actor=delegation_staff, collectivities=[CommuneFactory(department=commune.department)]
    )
    stolen = other.programme_lines.first()
    before, other_before = _rows(draft), _rows(other)
    with pytest.raises(ValidationError) as error:
        _update(draft, delegation_staff, title="X", lines=[line(2027, title="Détournée", pk=stolen.pk)])
    assert error.value.messages == [
        "Le programme a été modifié entre-temps par quelqu'un d'autre. Rechargez la page pour repartir de sa "
        "dernière version ; vos saisies n'ont pas été enregistrées."
    ]
    draft.refresh_from_db()
    assert (draft.title, _rows(draft), _rows(other)) == (
        "Contrat de partenariat de formation professionnelle territorialisée",
        before,
        other_before,
    )


def test_editing_a_draft_back_from_signature_keeps_its_signature_history(
    delegation_staff, draft, django_capture_on_commit_callbacks
):
    draft.parties.update(deliberation_date=datetime.date(2026, 6, 1))
    with django_capture_on_commit_callbacks(execute=True):
        sending.contract_send_for_signature(contract=draft, actor=delegation_staff)
    sending.signature_process_cancel(contract=draft, actor=delegation_staff, reason="Un maire a changé.")
    draft.refresh_from_db()
    history = list(SignatureRequest.objects.filter(contract=draft).values_list("pk", "party_id", "status"))
    assert len(history) == 3
    _update(draft, delegation_staff, lines=[line(2028, title="Action ajoutée", planned_days=Decimal("1"))])
    assert list(SignatureRequest.objects.filter(contract=draft).values_list("pk", "party_id", "status")) == history


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_of_one_version_one_wins_whole(delegation_staff, commune, other_commune):
    draft = make_programmed_draft(actor=delegation_staff, collectivities=[commune, other_commune])
    lines = list(draft.programme_lines.all())

    def saver(title, removed):
        return lambda: _update(draft, delegation_staff, title=title, removed_lines=[removed.pk])

    _results, errors = run_concurrently([saver("A", lines[0]), saver("B", lines[1])])
    assert sorted(e is None for e in errors) == [False, True]
    draft.refresh_from_db()
    winner_removed = lines[0] if draft.title == "A" else lines[1]
    assert sorted(draft.programme_lines.values_list("pk", flat=True)) == sorted(
        line.pk for line in lines if line != winner_removed
    )
