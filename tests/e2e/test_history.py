"""A delegation agent changes an event in Chromium and reads the change in its « Historique »; AMF staff read
the same entry beneath the admin form and in the admin's action log. Every page passes axe."""

import pytest

from tests.forms.edit_forms import managed_event

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_event_change_is_read_back_in_its_history(journey, persona, amf_staff):
    target = managed_event(persona)
    event, staff = target.rows["event"], target.user
    run = journey("historique-evenement")
    page = run.login(staff)

    run.goto(page, target.url)
    page.get_by_label("Nombre de places").fill("95")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Événement enregistré.").wait_for()
    history = page.get_by_role("region", name="Historique")
    run.step(page, "historique de l'evenement")
    cells = history.get_by_role("row").nth(1).get_by_role("cell")
    # Read aloud: the arrow is hidden from screen readers, which say « devient ».
    assert [" ".join(cells.nth(n).inner_text().split()) for n in range(1, 4)] == [
        f"{staff.get_full_name()} (Agent de délégation régionale CNFPT)",
        "Modification",
        "Nombre de places : 80 → devient 95",
    ]

    admin = run.login(amf_staff, path="/connexion/?next=/admin/")
    run.goto(admin, f"/admin/events/event/{event.pk}/change/")
    run.step(admin, "historique sous le formulaire d'admin")
    assert admin.get_by_role("cell", name="Nombre de places : 80 devient 95").count() == 1
    run.goto(admin, "/admin/partnership/actionlogentry/")
    run.step(admin, "journal des actions")
    assert admin.get_by_role("link", name=f"événement n° {event.pk}").count() == 1
    run.assert_accessible()
