"""A delegation agent creates an event: the venue from the collectivité picker, the co-organisers found by
typing in a searchable list; an event already over is refused; check-in waits for the start."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event
from partnership.forms import collectivity_label
from partnership.models import MayorsAssociation
from tests.e2e.login import log_in
from tests.factories import DepartmentFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("phone", [False, True], ids=["bureau", "telephone"])
def test_agent_creates_an_event_with_the_pickers(journey, delegation, delegation_staff, commune, phone):
    MayorsAssociation.objects.create(name="Association des maires de France")
    for code, name in [("01", "Ain"), ("42", "Loire"), ("69", "Rhône")]:
        department = DepartmentFactory(code=code, name=name)
        MayorsAssociation.objects.create(name=f"Association des maires {name}", department=department)
    run = journey(f"evenement-creation-{'telephone' if phone else 'bureau'}")
    page = log_in(run, delegation_staff, phone=phone, next_path="/evenements/gestion/nouveau/")
    run.step(page, "formulaire vide")

    last_year = timezone.localtime() - timedelta(days=365)
    page.get_by_label(re.compile("Intitulé")).fill("Rencontre des secrétaires de mairie")
    page.get_by_label(re.compile("Type")).select_option("seminar")
    page.get_by_label(re.compile("Sujet")).fill("Le métier de secrétaire de mairie")
    page.get_by_label(re.compile("Début")).fill(last_year.strftime("%Y-%m-%dT09:00"))
    page.get_by_label(re.compile("Fin")).fill(last_year.strftime("%Y-%m-%dT12:30"))
    page.get_by_label(re.compile("Clôture des inscriptions")).fill(
        (last_year - timedelta(days=2)).strftime("%Y-%m-%dT18:00")
    )
    picker = page.get_by_role("combobox", name=re.compile("Commune du lieu"))
    picker.press_sequentially(commune.name, delay=20)
    page.locator(f"[role=option][data-label='{collectivity_label(commune)}']").click()
    page.get_by_label(re.compile("Nombre de places")).fill("40")
    search = page.get_by_label("Rechercher une association (nom, département)")
    search.fill("loire")
    visible = page.locator("[data-choice-filter] .form-check:visible")
    assert visible.all_inner_texts() == ["Association des maires Loire (42)"]
    page.get_by_label("Association des maires Loire (42)").check()
    search.fill("")
    run.step(page, "formulaire rempli")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state("load")

    # Last year's date: refused, said at the top, nothing lost.
    summary = page.locator("[data-error-summary]")
    assert summary.get_by_role("link").inner_text().startswith("Fin : Cet événement serait déjà terminé")
    run.step(page, "evenement passe refuse")
    assert Event.objects.count() == 0
    assert page.get_by_label("Association des maires Loire (42)").is_checked()
    assert picker.input_value() == collectivity_label(commune)

    soon = timezone.localtime() + timedelta(days=10)
    page.get_by_label(re.compile("Début")).fill(soon.strftime("%Y-%m-%dT09:00"))
    page.get_by_label(re.compile("Fin")).fill(soon.strftime("%Y-%m-%dT12:30"))
    page.get_by_label(re.compile("Clôture des inscriptions")).fill(
        (soon - timedelta(days=2)).strftime("%Y-%m-%dT18:00")
    )
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Événement créé en brouillon.").wait_for()
    run.step(page, "evenement cree")
    event = Event.objects.get()
    assert (event.venue_commune_id, [a.name for a in event.mayors_associations.all()]) == (
        commune.pk,
        ["Association des maires Loire"],
    )

    run.goto(page, f"/evenements/gestion/{event.pk}/pointage/")
    page.get_by_text("Le pointage ouvre au début de l'événement").wait_for()
    assert page.get_by_role("button", name="Enregistrer les présences").count() == 0
    run.step(page, "pointage pas encore ouvert")
    run.assert_accessible()
