"""The registrations list: the waiting-list position, filters by session, status and period, pages."""

import pytest
from django.urls import reverse

from tests.trainings.factories import RegistrationFactory, SessionFactory, in_days
from trainings.enums import RegistrationStatus

pytestmark = pytest.mark.django_db

URL = "/formations/inscriptions/"
WAITING = RegistrationStatus.WAITLISTED


def rows(page):
    """(agent, status cell) of each row, as the page shows them."""
    return [
        (tr.select("td")[0].contents[0].strip(), " ".join(tr.select("td")[3].text.split()))
        for tr in page.html.select("table tbody tr")
    ]


def test_position_counts_the_whole_queue_not_only_the_hr_contacts_agents(
    django_app, hr_contact, session, commune, other_commune
):
    RegistrationFactory(session=session, employer=commune, first_name="Ana", last_name="Blanc")
    RegistrationFactory(session=session, employer=commune, first_name="Ben", last_name="Noir")
    RegistrationFactory(
        session=session, employer=other_commune, status=WAITING, first_name="Autre", last_name="Employeur"
    )
    RegistrationFactory(session=session, employer=commune, status=WAITING, first_name="Léa", last_name="Roux")
    RegistrationFactory(session=session, employer=commune, status=WAITING, first_name="Hugo", last_name="Faure")

    page = django_app.get(URL, user=hr_contact)
    assert sorted(rows(page)) == [
        ("Ana Blanc", "Confirmée"),
        ("Ben Noir", "Confirmée"),
        ("Hugo Faure", "En liste d'attente position 3"),
        ("Léa Roux", "En liste d'attente position 2"),
    ]
    detail = django_app.get(f"/formations/sessions/{session.pk}/", user=hr_contact)
    assert [badge.text for badge in detail.html.select("td .badge")] == ["position 2", "position 3"]


def test_position_moves_up_when_a_place_frees(django_app, hr_contact, session, commune):
    first, _second = RegistrationFactory.create_batch(2, session=session, employer=commune)
    RegistrationFactory(session=session, employer=commune, status=WAITING, first_name="Léa", last_name="Roux")
    RegistrationFactory(session=session, employer=commune, status=WAITING, first_name="Hugo", last_name="Faure")
    detail = django_app.get(f"/formations/sessions/{session.pk}/", user=hr_contact)
    cancel = next(f for f in detail.forms.values() if f.action == f"/formations/inscriptions/{first.pk}/annuler/")
    cancel.submit().forms["confirmation-form"].submit().follow()

    statuses = dict(rows(django_app.get(URL, user=hr_contact)))
    assert statuses["Léa Roux"] == "Confirmée"
    assert statuses["Hugo Faure"] == "En liste d'attente position 1"


def test_single_registration_message_gives_the_position(django_app, hr_contact, session, commune):
    RegistrationFactory.create_batch(2, session=session, employer=commune)
    RegistrationFactory(session=session, employer=commune, status=WAITING)
    form = next(
        f
        for f in django_app.get(f"/formations/sessions/{session.pk}/", user=hr_contact).forms.values()
        if f.action.endswith("/inscrire/")
    )
    form["first_name"], form["last_name"], form["email"], form["category"] = "Léa", "Roux", "lea@example.fr", "C"
    response = form.submit().follow()
    assert [m.message for m in response.context["messages"]] == [
        "La session est complète : Léa Roux est en liste d'attente (position 2)."
    ]


def test_filters_by_session_status_and_period(django_app, hr_contact, action, commune):
    soon = SessionFactory(action=action, venue=commune, start_date=in_days(5))
    later = SessionFactory(action=action, venue=commune, start_date=in_days(40))
    RegistrationFactory(session=soon, employer=commune, first_name="Alice", last_name="Soon")
    RegistrationFactory(session=soon, employer=commune, first_name="Bruno", last_name="Soon", status=WAITING)
    RegistrationFactory(session=later, employer=commune, first_name="Chloé", last_name="Later")

    # From the session's page, as a person gets there: the list of that session alone.
    page = django_app.get(reverse("trainings:session_detail", args=[soon.pk]), user=hr_contact)
    page = page.click("Inscriptions à cette session")
    assert sorted(name for name, _status in rows(page)) == ["Alice Soon", "Bruno Soon"]
    assert page.html.select_one("p.lead").get_text(" ", strip=True) == (
        f"Session « {soon.action.title} » du {soon.start_date:%d/%m/%Y} · toutes les sessions"
    )

    form = page.forms["registration-filter"]
    form["status"] = WAITING
    page = form.submit()
    assert rows(page) == [("Bruno Soon", "En liste d'attente position 1")]

    form = django_app.get(URL, user=hr_contact).forms["registration-filter"]
    form["start"] = in_days(30).isoformat()
    form["end"] = in_days(60).isoformat()
    assert rows(form.submit()) == [("Chloé Later", "Confirmée")]

    form["start"], form["end"] = in_days(60).isoformat(), in_days(30).isoformat()
    page = form.submit()
    assert page.html.select_one("#error_1_id_end, .invalid-feedback").text.strip() == (
        "La fin de la période précède son début."
    )


def test_session_filter_accepts_only_sessions_the_user_sees(
    django_app, hr_contact, other_hr_contact, session, commune, other_commune
):
    RegistrationFactory(session=session, employer=commune)
    other_session = SessionFactory(venue=other_commune)
    RegistrationFactory(session=other_session, employer=other_commune)
    # No list of every session of the history: the session filter is the session page's link, kept hidden.
    form = django_app.get(URL + f"?session={session.pk}", user=hr_contact).forms["registration-filter"]
    assert (form["session"].value, form.fields["session"][0].attrs["type"]) == (str(session.pk), "hidden")
    page = django_app.get(URL + f"?session={other_session.pk}", user=hr_contact)
    assert rows(page) == []
    assert page.html.select_one("#registration-filter .alert-danger").text.strip() == (
        "Sélectionnez un choix valide. Ce choix ne fait pas partie de ceux disponibles."
    )


def test_pages_keep_the_filters(django_app, hr_contact, session, commune):
    session.capacity = 100
    session.save(update_fields=["capacity"])
    RegistrationFactory.create_batch(51, session=session, employer=commune, status=WAITING)
    page = django_app.get(URL + f"?statut=&status={WAITING}", user=hr_contact)
    assert len(rows(page)) == 50
    assert page.html.select_one('[aria-current="page"]').text == "Page 1"  # a list too long to count
    following = page.click("Page suivante")
    assert following.request.url.endswith(f"?statut=&status={WAITING}&page=2")
    assert len(rows(following)) == 1
    assert following.html.select_one('[aria-current="page"]').text == "Page 2"
    assert following.html.select('a[rel="next"]') == []
