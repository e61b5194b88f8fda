"""« Modifier » on a draft contract loses nothing: driven as a browser drives it (render, send back).

Before the fix, the programme formset kept only the rows whose values differed from what the page
showed, and the service then replaced every row with those: saving unchanged emptied the programme,
changing one line deleted the others, filling in a délibération date emptied it too.
"""

import datetime
from decimal import Decimal

import pytest
from django.core import mail

from agreements.enums import ContractStatus
from agreements.models import PartnershipContract, Theme
from partnership.enums import Role
from tests.agreements.factories import make_programmed_draft
from tests.factories import CommuneFactory, UserFactory
from tests.forms.browser import browser_form
from tests.helpers import text
from tests.trainings.factories import TrainingActionFactory, TrainingSchemeFactory
from trainings.enums import ActionMode

FORM = "contract-form"


def lines_of(contract):
    return list(
        # The page's order: year, then theme.
        contract.programme_lines.values_list("pk", "year", "theme_id", "title", "planned_days", "planned_trainees")
    )


def parties_of(contract):
    return list(
        contract.parties.order_by("position").values_list(
            "pk", "collectivity_id", "signatory_name", "signatory_function", "signatory_email", "deliberation_date"
        )
    )


@pytest.fixture
def draft(delegation_staff, commune, other_commune):
    adviser = UserFactory(role=Role.DELEGATION_STAFF, delegation=delegation_staff.delegation)
    return make_programmed_draft(actor=delegation_staff, collectivities=[commune, other_commune], advisers=[adviser])


def edit_form(django_app, user, contract):
    return browser_form(django_app.get(f"/contrats/{contract.pk}/modifier/", user=user), FORM)


def test_saving_unchanged_keeps_every_row(django_app, delegation_staff, draft):
    lines, parties, advisers = lines_of(draft), parties_of(draft), list(draft.advisers.values_list("pk", flat=True))
    response = edit_form(django_app, delegation_staff, draft).submit().follow()
    draft.refresh_from_db()
    assert "Les modifications du contrat sont enregistrées." in text(response)
    assert lines_of(draft) == lines
    assert len(lines) == 3
    assert parties_of(draft) == parties
    assert list(draft.advisers.values_list("pk", flat=True)) == advisers
    assert draft.delegate == delegation_staff


def test_changing_one_line_changes_only_that_line(django_app, delegation_staff, draft):
    before = lines_of(draft)
    form = edit_form(django_app, delegation_staff, draft)
    assert form["lines-1-title"].value == "Élaboration du plan de formation"
    form["lines-1-planned_trainees"] = "30"
    form.submit().follow()
    after = lines_of(draft)
    assert after == [before[0], (*before[1][:5], 30), before[2]]


def test_adding_the_deliberation_date_keeps_the_programme_and_the_full_contract_goes_to_signature(
    django_app, delegation_staff, draft, django_capture_on_commit_callbacks
):
    lines = lines_of(draft)
    detail = django_app.get(f"/contrats/{draft.pk}/", user=delegation_staff)
    assert "La date de la délibération de" in text(detail)
    form = edit_form(django_app, delegation_staff, draft)
    form["parties-1-deliberation_date"] = "2026-09-15"
    detail = form.submit().follow()
    assert "n'est pas renseignée" not in text(detail)
    assert lines_of(draft) == lines
    assert [p[5] for p in parties_of(draft)] == [datetime.date(2026, 6, 1), datetime.date(2026, 9, 15)]

    with django_capture_on_commit_callbacks(execute=True):
        send = next(f for f in detail.forms.values() if f.action.endswith("/envoyer-a-la-signature/"))
        send.submit().forms["confirmation-form"].submit().follow()
    draft.refresh_from_db()
    assert draft.status == ContractStatus.READY_FOR_SIGNATURE
    assert lines_of(draft) == lines
    assert len(mail.outbox) == 2


def test_ticking_supprimer_removes_that_line_only(django_app, delegation_staff, draft):
    before = lines_of(draft)
    form = edit_form(django_app, delegation_staff, draft)
    form["lines-0-DELETE"] = True
    form.submit().follow()
    assert lines_of(draft) == before[1:]


def test_a_line_typed_in_a_blank_row_is_added_to_the_others(django_app, delegation_staff, draft):
    before = lines_of(draft)
    form = edit_form(django_app, delegation_staff, draft)
    theme = Theme.objects.get(family="development_projects", code="handicap")
    form["lines-3-year"] = "2029"
    form["lines-3-theme"] = str(theme.pk)
    form["lines-3-title"] = "Accueil des travailleurs handicapés"
    form["lines-3-planned_days"] = "1.5"
    form["lines-3-planned_trainees"] = "8"
    form.submit().follow()
    after = lines_of(draft)
    assert after[:3] == before
    assert after[3][1:] == (2029, theme.pk, "Accueil des travailleurs handicapés", Decimal("1.5"), 8)


def test_a_line_with_training_actions_survives_edits_and_cannot_be_removed(
    django_app, delegation_staff, delegation, draft
):
    line = draft.programme_lines.first()
    TrainingActionFactory(
        delegation=delegation, programme_line=line, mode=ActionMode.INTRA, scheme=TrainingSchemeFactory()
    )
    before = lines_of(draft)
    edit_form(django_app, delegation_staff, draft).submit().follow()
    assert lines_of(draft) == before

    form = edit_form(django_app, delegation_staff, draft)
    form["lines-0-DELETE"] = True
    form["title"] = "Nouveau titre"
    # An ordinary refusal (400): nothing changed since the form was read.
    response = form.submit(status=400)
    assert "Des actions de formation sont rattachées à la ligne « Prévention des risques psychosociaux »" in text(
        response
    )
    draft.refresh_from_db()
    assert lines_of(draft) == before
    assert draft.title == "Contrat de partenariat de formation professionnelle territorialisée"


def test_a_retired_theme_and_a_departed_delegate_stay_on_the_draft(django_app, delegation_staff, draft):
    Theme.objects.filter(code="sante-au-travail").update(is_active=False)
    lines = lines_of(draft)
    edit_form(django_app, delegation_staff, draft).submit().follow()
    assert lines_of(draft) == lines

    delegation_staff_other = UserFactory(role=Role.DELEGATION_STAFF, delegation=delegation_staff.delegation)
    draft.delegate = UserFactory(role=Role.DELEGATION_STAFF, delegation=delegation_staff.delegation)
    draft.save(update_fields=["delegate"])
    draft.delegate.is_active = False
    draft.delegate.save(update_fields=["is_active"])
    edit_form(django_app, delegation_staff_other, draft).submit().follow()
    draft.refresh_from_db()
    assert draft.delegate.is_active is False


def test_two_tabs_the_second_save_is_refused_and_loses_nothing(django_app, delegation_staff, draft):
    first = edit_form(django_app, delegation_staff, draft)
    second = edit_form(django_app, delegation_staff, draft)
    first["lines-2-title"] = "Santé au travail (version A)"
    first.submit().follow()
    after_first = lines_of(draft)
    second["title"] = "Version B"
    second["lines-0-DELETE"] = True
    response = second.submit(status=409)
    assert "Quelqu'un a enregistré ce contrat pendant que vous le modifiiez." in text(response)
    assert lines_of(draft) == after_first
    draft.refresh_from_db()
    assert draft.title == "Contrat de partenariat de formation professionnelle territorialisée"


def test_a_draft_sent_for_signature_meanwhile_refuses_the_open_form_with_409(django_app, delegation_staff, draft):
    form = edit_form(django_app, delegation_staff, draft)
    # Another tab sent it for signature while this one was open.
    PartnershipContract.objects.filter(pk=draft.pk).update(
        status=ContractStatus.READY_FOR_SIGNATURE, reference="PFP2669901"
    )
    form["title"] = "Trop tard"
    response = form.submit(status=409)
    assert "Ce contrat n'est plus un brouillon : il ne peut plus être modifié." in text(response)
    draft.refresh_from_db()
    assert draft.title == "Contrat de partenariat de formation professionnelle territorialisée"


def test_a_row_id_of_another_contract_is_refused(django_app, delegation_staff, draft):
    other = make_programmed_draft(
        actor=delegation_staff,
        collectivities=[CommuneFactory(department=draft.parties.first().collectivity.department)],
    )
    before, other_before = lines_of(draft), lines_of(other)
    form = edit_form(django_app, delegation_staff, draft)
    form["lines-0-id"].force_value(str(other_before[0][0]))
    form["lines-0-title"] = "Détournée"
    response = form.submit(status=409)
    assert "Le programme a été modifié entre-temps par quelqu'un d'autre." in text(response)
    assert lines_of(draft) == before
    assert lines_of(other) == other_before


def test_a_mistake_is_shown_then_corrected_on_the_returned_page_without_losing_rows(
    django_app, delegation_staff, draft
):
    before = lines_of(draft)
    form = edit_form(django_app, delegation_staff, draft)
    form["lines-2-planned_trainees"] = "0"
    form["title"] = "Titre corrigé"
    returned = form.submit(status=400)
    assert "Assurez-vous que cette valeur est supérieure ou égale à 1." in text(returned)
    assert lines_of(draft) == before
    again = browser_form(returned, FORM)
    assert [again[f"lines-{i}-id"].value for i in range(3)] == [str(row[0]) for row in before]
    again["lines-2-planned_trainees"] = "20"
    again.submit().follow()
    draft.refresh_from_db()
    assert draft.title == "Titre corrigé"
    assert lines_of(draft) == [*before[:2], (*before[2][:5], 20)]


@pytest.mark.parametrize(("prefix", "limit"), [("parties", 50), ("lines", 200)])
def test_a_forged_row_count_is_refused_in_french_and_changes_nothing(
    django_app, delegation_staff, draft, prefix, limit
):
    """An attacker raises TOTAL_FORMS far beyond what the page offers: refused with a message, without
    building a thousand forms (Django's default allowance above ``max_num``) nor saving any row."""
    form = edit_form(django_app, delegation_staff, draft)
    form[f"{prefix}-TOTAL_FORMS"] = "5000"
    before = (lines_of(draft), parties_of(draft))
    page = form.submit(status=400)
    assert f"Veuillez soumettre au plus {limit} formulaires." in text(page)
    assert len(page.html.select(f'[name^="{prefix}-"][name$="-DELETE"]')) <= limit
    assert (lines_of(draft), parties_of(draft)) == before
