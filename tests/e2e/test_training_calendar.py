"""Journey: delegation staff read the training calendar, as a month grid on a desktop and as a list on a phone.

Both pass axe-core: the entries of the grid (links on a tinted background) keep AA contrast.
"""

import datetime

import pytest
from django.urls import reverse

from tests.trainings.factories import SessionFactory, TrainingActionFactory
from trainings.enums import Period, SessionStatus

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MONTH = "2027-03"


def _sessions(delegation, commune):
    """Three sessions in March 2027: two on the 2nd (one cancelled), one over the 15th and 16th."""
    first = SessionFactory(
        action=TrainingActionFactory(delegation=delegation, title="Prévention des risques psychosociaux"),
        venue=commune,
        start_date=datetime.date(2027, 3, 2),
    )
    cancelled = SessionFactory(
        action=TrainingActionFactory(delegation=delegation, title="Accueil des publics"),
        venue=commune,
        start_date=datetime.date(2027, 3, 2),
        half_days=[(datetime.date(2027, 3, 2), Period.MORNING)],
        status=SessionStatus.CANCELLED,
    )
    two_days = SessionFactory(
        action=TrainingActionFactory(delegation=delegation, title="Marchés publics"),
        venue=commune,
        start_date=datetime.date(2027, 3, 15),
        end_date=datetime.date(2027, 3, 16),
        half_days=[(datetime.date(2027, 3, 15), Period.AFTERNOON), (datetime.date(2027, 3, 16), Period.MORNING)],
    )
    return first, cancelled, two_days


def test_training_calendar_grid_on_desktop_and_list_on_phone(journey, delegation, delegation_staff, commune):
    _sessions(delegation, commune)
    url = reverse("trainings:session_calendar") + f"?mois={MONTH}"
    run = journey("calendrier-formations")

    desktop = run.login(delegation_staff)
    run.goto(desktop, url)
    assert desktop.locator("table.calendar-grid").is_visible()
    assert desktop.locator(".calendar-grid .calendar-entry").count() == 5
    assert not desktop.locator(".calendar-agenda").is_visible()
    run.step(desktop, "grille du mois")

    # On a phone the same address shows the half-days as a list, day by day, and never scrolls sideways.
    phone = run.login(delegation_staff, path=f"/connexion/?next={url}", phone=True)
    assert phone.url == run.url + url
    assert not phone.locator("table.calendar-grid").is_visible()
    agenda = phone.locator(".calendar-agenda")
    assert agenda.is_visible()
    assert agenda.locator("h2").all_inner_texts() == ["Mardi 2 mars", "Lundi 15 mars", "Mardi 16 mars"]
    assert [" ".join(text.split()) for text in agenda.locator("li a").all_inner_texts()] == [
        f"Matin Accueil des publics (annulée) à {commune.name}",
        f"Matin Prévention des risques psychosociaux à {commune.name}",
        f"Après-midi Prévention des risques psychosociaux à {commune.name}",
        f"Après-midi Marchés publics à {commune.name}",
        f"Matin Marchés publics à {commune.name}",
    ]
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    run.step(phone, "liste sur telephone")

    # The list can be asked for on a desktop too, and keeps itself when the month changes.
    desktop.get_by_role("link", name="Liste").click()
    desktop.wait_for_load_state("load")
    assert desktop.locator(".calendar-agenda").is_visible()
    assert desktop.locator("table.calendar-grid").count() == 0
    desktop.get_by_role("link", name="Mois suivant").click()
    desktop.wait_for_load_state("load")
    assert desktop.url.endswith("?mois=2027-04&vue=liste")
    assert desktop.get_by_text("Aucune formation en avril 2027.").is_visible()
    run.step(desktop, "liste vide du mois suivant")
    run.assert_accessible()


def test_training_calendar_busy_day_leads_to_its_own_list(journey, delegation, delegation_staff, commune):
    """A day of eight half-days shows six in the grid and in the list, then « + 2 autres », its own list."""
    for title in ("Archives", "Budget", "Commande publique", "Droit des sols"):
        SessionFactory(
            action=TrainingActionFactory(delegation=delegation, title=title),
            venue=commune,
            start_date=datetime.date(2027, 3, 22),
        )
    run = journey("calendrier-jour-charge")
    desktop = run.login(delegation_staff)
    run.goto(desktop, reverse("trainings:session_calendar") + f"?mois={MONTH}")
    assert desktop.locator(".calendar-grid .calendar-entry").count() == 6
    more = desktop.locator(".calendar-grid a.calendar-more")
    # « + 2 autres » on the screen; a screen reader hears which day.
    assert " ".join(more.inner_text().split()) == "+ 2 autres demi-journées le lundi 22 mars"
    run.step(desktop, "jour charge dans la grille")
    more.click()
    desktop.wait_for_load_state("load")
    assert desktop.url.endswith("?jour=2027-03-22")
    assert desktop.locator("h1").inner_text() == "Calendrier des formations — Lundi 22 mars 2027"
    assert desktop.locator(".calendar-agenda .calendar-entry").count() == 8
    run.step(desktop, "liste du jour")
    run.assert_accessible()
