"""Legal pages in every footer, the notice under forms that collect personal data, French error pages."""

import pytest
from django.test import Client
from django.urls import include, path

from tests.events.factories import EventFactory
from tests.trainings.factories import SessionFactory, TrainingActionFactory

pytestmark = pytest.mark.django_db

FOOTER = [
    ("Vérifier un contrat signé", "/verification/"),
    ("À propos et sources des données", "/a-propos/"),
    ("Mentions légales", "/mentions-legales/"),
    ("Données personnelles", "/donnees-personnelles/"),
    ("Accessibilité : non conforme", "/accessibilite/"),
]


def _footer(page) -> list[tuple[str, str]]:
    return [(a.get_text().replace("\xa0", " "), a["href"]) for a in page.html.select("footer a")]


@pytest.mark.parametrize("url", ["/", "/connexion/", "/evenements/", "/statistiques/", "/compte/mot-de-passe-oublie/"])
def test_every_page_links_the_legal_pages_in_its_footer(django_app, url):
    assert _footer(django_app.get(url)) == FOOTER


def test_footer_on_pages_of_logged_in_users_too(django_app, hr_contact):
    assert _footer(django_app.get("/a-faire/", user=hr_contact)) == FOOTER


def test_legal_notice_names_publisher_director_and_host(django_app, settings):
    settings.LEGAL_HOST = "Hébergeur Exemple SAS, 1 rue de l'Exemple, 75001 Paris"
    text = django_app.get("/mentions-legales/").html.find("main").get_text(" ", strip=True)
    assert "Centre national de la fonction publique territoriale (CNFPT), 80 rue de Reuilly, 75012 Paris" in text
    assert "Directeur de la publication\xa0: le président du CNFPT." in text
    assert "L'application est hébergée par Hébergeur Exemple SAS, 1 rue de l'Exemple, 75001 Paris." in text


def test_personal_data_page_states_purposes_bases_retention_rights_and_contact(django_app, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 730
    page = django_app.get("/donnees-personnelles/")
    headers = [th.get_text() for th in page.html.select("table thead th")]
    assert headers == ["Finalité", "Personnes et données", "Base légale", "Durée de conservation"]
    rows = {row.th.get_text(): row for row in page.html.select("table tbody tr")}
    assert (
        rows["Inscriptions aux formations et émargement"]
        .select("td")[2]
        .get_text()
        .startswith("2 ans après la fin de la session, puis anonymisation automatique")
    )
    sections = [h2.get_text() for h2 in page.html.select("main h2")]
    assert sections == [
        "Quelles données, pour quoi faire, combien de temps",
        "Qui y a accès",
        "Vos droits et comment les exercer",
        "Contact",
    ]
    assert page.html.select_one('a[href="mailto:dpo@cnfpt.example"]') is not None
    assert page.html.select_one('a[href="https://www.cnil.fr/fr/plaintes"]') is not None


def test_accessibility_statement_follows_the_rgaa_model(django_app):
    page = django_app.get("/accessibilite/")
    sections = [h2.get_text() for h2 in page.html.select("main h2")]
    assert sections == [
        "État de conformité",
        "Résultats des tests",
        "Contenus non accessibles",
        "Établissement de cette déclaration",
        "Technologies et environnement de test",
        "Retour d'information et contact",
        "Voies de recours",
    ]
    text = page.html.find("main").get_text(" ", strip=True)
    assert (
        "est non conforme avec le référentiel général d'amélioration de l'accessibilité (RGAA), version\xa04.1" in text
    )
    assert "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX\xa007" in text
    # Dated, as the RGAA model asks; no claim that nothing serious is left; the portal shows HTML text.
    assert "Cette déclaration a été établie le 7 décembre 2026" in text
    assert "aucune n'est relevée" not in text
    assert "il ne garantit pas l'absence de violation grave ailleurs" in text
    assert "images" not in text
    assert "le texte du contrat est lisible en HTML" in text


NOTICE = "p.personal-data-notice"


def test_public_event_registration_form_carries_the_personal_data_notice(django_app, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 3 * 365
    event = EventFactory()
    notice = django_app.get(f"/evenements/{event.pk}/").html.select_one(NOTICE).get_text(" ", strip=True)
    assert "conservées 3 ans après l'événement" in notice
    assert notice.startswith("Vos nom, adresse e-mail, qualité, fonction et collectivité servent")


def test_training_registration_form_carries_the_notice(django_app, delegation_staff, delegation, commune):
    session = SessionFactory(action=TrainingActionFactory(delegation=delegation), venue=commune)
    page = django_app.get(f"/formations/sessions/{session.pk}/", user=delegation_staff)
    assert "après la fin de la session" in page.html.select_one(NOTICE).get_text()


@pytest.mark.parametrize(
    ("persona_name", "url"),
    [
        ("delegation_staff", "/contrats/nouveau/"),
        ("national_staff", "/stages-etudes/stages/nouveau/"),
        ("delegation_staff", "/compte/comptes/inviter/"),
    ],
)
def test_staff_forms_collecting_personal_data_carry_the_notice(django_app, persona, persona_name, url):
    page = django_app.get(url, user=persona(persona_name))
    assert len(page.html.select(NOTICE)) == 1


def test_forms_without_personal_data_carry_no_notice(django_app, national_staff):
    assert django_app.get("/stages-etudes/etudes/nouvelle/", user=national_staff).html.select(NOTICE) == []


# --- Error pages ------------------------------------------------------------------------------------------


def test_404_page_is_french_and_in_the_site_layout(django_app, settings):
    settings.DEBUG = False
    page = django_app.get("/nulle-part/", status=404)
    assert page.html.find("title").get_text() == "Page introuvable – Partenariat CNFPT – AMF"
    assert page.html.find("h1").get_text() == "Page introuvable"
    assert _footer(page) == FOOTER


def test_403_page_is_french_and_in_the_site_layout(django_app, hr_contact, settings):
    settings.DEBUG = False
    page = django_app.get("/contrats/", user=hr_contact, status=403)
    assert page.html.find("h1").get_text() == "Accès refusé"
    assert "403 Forbidden" not in page.text
    assert page.html.select_one('main a[href="/a-faire/"]').get_text().replace("\xa0", " ") == (
        "Revenir à votre page « À faire »"
    )


def _boom(request):
    raise RuntimeError("panne simulée")


urlpatterns = [path("panne/", _boom), path("", include("partnership.urls"))]


@pytest.mark.urls("tests.partnership.test_legal_and_errors")
def test_500_page_is_french_and_in_the_site_layout(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = client.get("/panne/")
    content = response.content.decode()
    assert response.status_code == 500
    assert "<title>Erreur du serveur – Partenariat CNFPT – AMF</title>" in content
    assert '<h1 class="h2 mb-3">Une erreur est survenue</h1>' in content


def test_csrf_failure_page_is_french(hr_contact, settings):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/connexion/", {"username": hr_contact.email, "password": "x"})
    assert response.status_code == 403
    assert "Formulaire expiré" in response.content.decode()


def test_pages_have_a_favicon(django_app):
    assert django_app.get("/").html.select_one('link[rel="icon"]')["href"] == "/static/favicon.svg"
    assert django_app.get("/static/favicon.svg").content_type == "image/svg+xml"
