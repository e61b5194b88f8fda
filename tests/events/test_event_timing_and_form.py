"""Events: check-in opens at the start time, attestations once the event is over and in the name of its
actual co-organisers; the creation form picks the venue with the collectivité picker and the co-organisers
from a searchable list of checkboxes, and refuses an event that is already over."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from pypdf import PdfReader

from events.models import Event
from partnership.models import MayorsAssociation
from partnership.text import delegation_designation, french_date
from partnership.tokens import token_hash
from tests.events.factories import EventFactory, EventRegistrationFactory
from tests.factories import DepartmentFactory, EpciFactory

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


@pytest.fixture
def associations():
    loire = DepartmentFactory(code="42", name="Loire")
    rhone = DepartmentFactory(code="69", name="Rhône")
    return {
        "amf": MayorsAssociation.objects.create(name="Association des maires de France"),
        "rhone": MayorsAssociation.objects.create(name="Association des maires du Rhône", department=rhone),
        "loire": MayorsAssociation.objects.create(name="Association des maires de la Loire", department=loire),
    }


def _fill(form, *, starts, commune_text):
    form["title"] = "Rencontre des secrétaires de mairie"
    form["kind"] = "seminar"
    form["topic"] = "Le métier de secrétaire de mairie"
    form["starts_at"] = starts.strftime("%Y-%m-%dT09:00")
    form["ends_at"] = starts.strftime("%Y-%m-%dT12:30")
    form["registration_closes_at"] = (starts - timedelta(days=2)).strftime("%Y-%m-%dT18:00")
    form["venue_commune"] = commune_text
    form["venue_address"] = "Salle des fêtes"
    form["capacity"] = "40"


def test_the_event_form_picks_the_venue_by_name_and_co_organisers_by_checkbox(
    django_app, delegation_staff, delegation, commune, associations
):
    page = django_app.get("/evenements/gestion/nouveau/", user=delegation_staff)
    picker = page.html.select_one("#id_venue_commune")
    assert (picker["data-collectivity-picker"], picker.get("type")) == ("/collectivites/recherche/", "text")
    boxes = page.html.select("[data-choice-filter] input[type=checkbox][name=mayors_associations]")
    labels = [page.html.select_one(f"label[for={box['id']}]").get_text(strip=True) for box in boxes]
    # The AMF first, then by département; no 100-line multiple select to Ctrl-click.
    assert labels == [
        "Association des maires de France",
        "Association des maires de la Loire (42)",
        "Association des maires du Rhône (69)",
    ]
    assert page.html.select("select[name=mayors_associations]") == []
    form = page.forms["event-form"]
    _fill(form, starts=timezone.localtime() + timedelta(days=20), commune_text=commune.name)
    form["mayors_associations"] = [str(associations["loire"].pk)]

    response = form.submit()

    event = Event.objects.get()
    assert response.status_code == 302
    assert (event.venue_commune, list(event.mayors_associations.all())) == (commune, [associations["loire"]])
    edit = django_app.get(f"/evenements/gestion/{event.pk}/modifier/", user=delegation_staff)
    assert edit.forms["event-form"]["venue_commune"].value.endswith(commune.name + f" ({commune.department.code})")


def test_the_event_form_refuses_an_epci_as_venue(django_app, delegation_staff, delegation):
    epci = EpciFactory(name="Communauté de communes des Monts")
    form = django_app.get("/evenements/gestion/nouveau/", user=delegation_staff).forms["event-form"]
    _fill(form, starts=timezone.localtime() + timedelta(days=20), commune_text=epci.code)

    response = form.submit(status=400)

    assert response.html.select_one("#erreurs li a")["href"] == "#id_venue_commune"
    assert response.context["form"].errors["venue_commune"] == [
        "« Communauté de communes des Monts » est une intercommunalité : choisissez la commune du lieu."
    ]
    assert Event.objects.count() == 0


def test_creating_an_event_entirely_in_the_past_is_refused(django_app, delegation_staff, commune):
    form = django_app.get("/evenements/gestion/nouveau/", user=delegation_staff).forms["event-form"]
    last_year = timezone.localtime() - timedelta(days=365)
    _fill(form, starts=last_year, commune_text=commune.code)

    response = form.submit(status=400)

    ended = french_date(last_year.replace(hour=12, minute=30, second=0, microsecond=0), "j F Y à H:i")
    assert response.context["form"].errors["ends_at"] == [
        f"Cet événement serait déjà terminé (fin le {ended}) : seul un événement à venir ou en cours peut être "
        "créé. Vérifiez l'année des dates."
    ]
    assert response.html.select_one("#erreurs li a")["href"] == "#id_ends_at"
    assert Event.objects.count() == 0
    assert response.forms["event-form"]["title"].value == "Rencontre des secrétaires de mairie"


def _pdf_text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.body
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages).split())


def test_the_attestation_comes_after_the_end_and_names_the_actual_co_organisers(
    django_app, delegation_staff, delegation, commune, associations
):
    starts = timezone.now() - timedelta(hours=1)
    event = EventFactory(
        delegation=delegation,
        venue_commune=commune,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        registration_closes_at=starts - timedelta(days=1),
    )
    event.mayors_associations.set([associations["loire"]])  # not the AMF
    registration = EventRegistrationFactory(event=event, collectivity=commune, checked_in_at=timezone.now())
    certificate = f"/evenements/gestion/{event.pk}/inscriptions/{registration.pk}/attestation.pdf"
    listing = django_app.get(f"/evenements/gestion/{event.pk}/inscriptions/", user=delegation_staff)

    # Under way: checked in, but no certificate yet.
    assert listing.html.find("a", string="attestation") is None
    assert django_app.get(certificate, user=delegation_staff, status=404).status_code == 404

    with time_machine.travel(event.ends_at + timedelta(minutes=1)):
        listing = django_app.get(f"/evenements/gestion/{event.pk}/inscriptions/", user=delegation_staff)
        assert listing.html.find("a", string="attestation")["href"] == certificate
        text = _pdf_text(django_app.get(certificate, user=delegation_staff))
    assert (
        f"Centre national de la fonction publique territoriale (CNFPT), {delegation_designation(delegation.name)}"
        in text
    )
    assert "Association des maires de la Loire" in text
    assert "Association des maires de France" not in text
    assert "Les co-organisateurs de l'événement, nommés ci-dessus, attestent que" in text


def test_a_participant_is_told_when_their_attestation_comes(client, delegation, commune):
    starts = timezone.now() - timedelta(hours=1)
    event = EventFactory(
        delegation=delegation,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        registration_closes_at=starts - timedelta(days=1),
    )
    token = "jeton-personnel-de-test-attestation"
    EventRegistrationFactory(
        event=event, collectivity=commune, token_hash=token_hash(token), checked_in_at=timezone.now()
    )

    page = client.get(f"/evenements/inscription/{token}/").content.decode()

    until = french_date(timezone.localtime(event.ends_at), "j F Y à H:i")
    assert f"Votre attestation de présence sera disponible ici à la fin de l'événement, à partir du {until}." in page
    assert "Télécharger mon attestation" not in page
    assert client.get(f"/evenements/inscription/{token}/attestation.pdf").status_code == 404
    with time_machine.travel(event.ends_at + timedelta(minutes=1)):
        assert "Télécharger mon attestation" in client.get(f"/evenements/inscription/{token}/").content.decode()
        assert client.get(f"/evenements/inscription/{token}/attestation.pdf").status_code == 200
