"""The signing portal as a signer walks it in a browser: its own layout, the steps code → lecture → signature,
the contract's text beside the exact PDF, « Refuser » secondary, and after signing what happens next and the
documents signed, handed out through that signer's link only."""

import datetime
import html

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from agreements.enums import AuditEventKind, ContractStatus, DocumentKind, SignatureRequestStatus
from agreements.models import AuditEvent
from agreements.signing.services import sending, signatures
from partnership.text import french_date
from tests.agreements.factories import make_contract
from tests.agreements.signing_helpers import CODE, last_mail_to, link_token_for, portal, sign_request
from tests.factories import CommuneFactory, UserFactory
from tests.helpers import confirmation_of, form_to

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


@pytest.fixture
def delegate(delegation):
    return UserFactory(
        role="delegation_staff",
        delegation=delegation,
        function="Délégué régional",
        email="delegue@cnfpt.example",
        first_name="Bernard",
        last_name="Roux",
    )


@pytest.fixture
def union(delegation, delegation_staff, delegate, django_capture_on_commit_callbacks):
    """Two communes out for signature: « Arles-sur-Tech » (elided) and « Le Mans » (contracted)."""
    first = CommuneFactory(name="Arles-sur-Tech", department=delegation.departments.first())
    second = CommuneFactory(name="Le Mans", department=delegation.departments.first())
    contract = make_contract(
        actor=delegation_staff, collectivities=[first, second], delegate=delegate, title="Formation des agents"
    )
    with django_capture_on_commit_callbacks(execute=True):
        sending.contract_send_for_signature(contract=contract, actor=delegation_staff)
    contract.refresh_from_db()
    return contract


def _request(contract, collectivity_name: str):
    return contract.signature_requests.get(party__collectivity__name=collectivity_name)


def _steps(page) -> tuple[str, list[str], str]:
    """The step indicator: its sentence, its items, and the item marked aria-current="step"."""
    indicator = page.html.select_one(".portal-steps")
    items = indicator.select("ol > li")
    current = [li for li in items if li.get("aria-current") == "step"]
    return (
        indicator.select_one(".portal-steps-title").get_text(strip=True),
        [li.get_text(" ", strip=True) for li in items],
        current[0].get_text(" ", strip=True) if current else "",
    )


def _open_and_verify(django_app, token: str, email: str, capture):
    """Step 1 as the browser does it: « Recevoir un code », then the code read in the e-mail."""
    page = django_app.get(portal(token))
    with capture(execute=True):
        page = form_to(page, portal(token, "send_code")).submit().follow()
    form = form_to(page, portal(token, "verify_code"))
    form["code"] = CODE.search(last_mail_to(email).body).group(1)
    return form.submit().follow()


def test_portal_pages_show_only_the_sender_and_the_legal_footer(django_app, union):
    request = _request(union, "Arles-sur-Tech")
    page = django_app.get(portal(link_token_for(request.signer_email)))

    assert page.html.html["lang"] == "fr"
    assert page.html.select_one("a.skip-link")["href"] == "#contenu"
    assert page.html.select_one("main")["id"] == "contenu"
    assert page.html.select("nav") == []  # no site navigation
    sender = page.html.select_one("header .portal-sender-name").get_text(strip=True)
    assert sender == f"CNFPT – {union.delegation.name}"
    footer = {a.get_text(strip=True): a["href"] for a in page.html.select("footer a")}
    assert footer == {
        "Vérifier un contrat signé": reverse("signing:verify"),
        "Mentions légales": reverse("legal_notice"),
        "Données personnelles": reverse("personal_data"),
        f"Accessibilité{NBSP}: non conforme": reverse("accessibility"),
    }


def test_the_step_indicator_follows_the_signer(django_app, union, django_capture_on_commit_callbacks):
    request = _request(union, "Arles-sur-Tech")
    token = link_token_for(request.signer_email)
    page = django_app.get(portal(token))
    assert _steps(page) == (
        f"Étape 1 sur 3{NBSP}: code de vérification",
        ["1 Code", "2 Lecture", "3 Signature"],
        "1 Code",
    )

    page = _open_and_verify(django_app, token, request.signer_email, django_capture_on_commit_callbacks)
    assert _steps(page) == (
        f"Étape 2 sur 3{NBSP}: lecture du contrat",
        ["1 Code : étape terminée", "2 Lecture", "3 Signature"],
        "2 Lecture",
    )

    page = page.click("Continuer vers la signature")
    assert _steps(page)[0] == f"Étape 3 sur 3{NBSP}: signature"
    assert _steps(page)[2] == "3 Signature"


def test_reading_shows_the_contract_text_beside_the_exact_pdf(django_app, union, django_capture_on_commit_callbacks):
    request = _request(union, "Arles-sur-Tech")
    token = link_token_for(request.signer_email)
    page = _open_and_verify(django_app, token, request.signer_email, django_capture_on_commit_callbacks)

    contract_text = page.html.select_one("article.contract-text")
    headings = [h.get_text(strip=True) for h in contract_text.select("h2, h3")]
    assert headings == [
        "Contrat de partenariat de formation professionnelle territorialisée",
        "Entre les soussignés",
        "Article 1 – Objet",
        "Article 2 – Durée",
        "Article 3 – Engagements du CNFPT",
        "Article 4 – Engagements de la collectivité",
        "Article 5 – Programme prévisionnel",
        "Article 6 – Suivi et évaluation",
        "Article 7 – Résiliation",
    ]
    programme = [li.get_text(" ", strip=True) for li in contract_text.select(".contract-programme li")]
    line = union.programme_lines.get()
    assert programme == [
        f"Élaboration du plan de formation ({line.year}) {line.theme.get_family_display()} – {line.theme.label} "
        f"3{NBSP}jours, 10{NBSP}stagiaires"
    ]
    # The PDF that is signed, with its fingerprint: the same bytes through this link.
    document = union.documents.get(kind=DocumentKind.FOR_SIGNATURE)
    assert document.sha256 == page.html.select_one(".portal-document code").get_text(strip=True)
    assert page.click("Télécharger le contrat au format PDF").body == document.file.read()


def test_signer_is_the_primary_action_and_refusal_follows_as_secondary(
    django_app, union, django_capture_on_commit_callbacks
):
    request = _request(union, "Arles-sur-Tech")
    token = link_token_for(request.signer_email)
    page = _open_and_verify(django_app, token, request.signer_email, django_capture_on_commit_callbacks)
    page = page.click("Continuer vers la signature")

    controls = page.html.select("main button, main a.btn")
    labels = [(c.get_text(strip=True), c["class"]) for c in controls]
    assert labels == [
        ("Signer le contrat", ["btn", "btn-primary", "btn-lg", "portal-action"]),
        ("Refuser de signer", ["btn", "btn-outline-secondary", "portal-decline"]),
    ]


def test_signing_then_the_link_says_what_happens_next_and_hands_out_what_was_signed(
    django_app, union, delegate, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    request = _request(union, "Arles-sur-Tech")
    token = link_token_for(request.signer_email)
    page = _open_and_verify(django_app, token, request.signer_email, capture)
    page = page.click("Continuer vers la signature")
    form = page.forms["sign-form"]
    form["consent"] = True
    with capture(execute=True):
        page = form.submit().follow()

    assert page.html.h1.get_text(strip=True) == f"Vous avez signé le contrat {union.reference}"
    assert _steps(page)[0] == "Signature terminée"
    next_steps = [li.get_text(" ", strip=True) for li in page.html.select(".portal-next li")]
    signed_on = timezone.localdate(_request(union, "Arles-sur-Tech").signed_at)
    assert next_steps == [
        f"Fait{NBSP}: Votre signature, le {french_date(signed_on)}.",
        f"À venir{NBSP}: Le Mans doit encore signer.",
        f"À venir{NBSP}: La contre-signature au nom du CNFPT, par Bernard Roux, délégué régional{NBSP}: elle lui "
        "sera demandée dès que toutes les collectivités auront signé.",
        f"À venir{NBSP}: Une fois le contrat contresigné, vous recevrez par e-mail le contrat final, signé par "
        "toutes les parties et scellé par la plateforme.",
    ]
    presented = union.documents.get(kind=DocumentKind.FOR_SIGNATURE).file.read()
    assert page.click("Le contrat que vous avez signé").body == presented
    assert django_app.get(portal(token, "final_document"), status=404).status_code == 404

    # The last collectivité signs: the countersignature has now been asked for, and the page says so.
    with capture(execute=True):
        sign_request(_request(union, "Le Mans"), name="Jean Dupont")
    asked = timezone.localtime(union.signature_requests.get(step=2).sent_at)
    page = django_app.get(portal(token))
    next_steps = [li.get_text(" ", strip=True) for li in page.html.select(".portal-next li")]
    assert next_steps[1:3] == [
        f"Fait{NBSP}: Le Mans a signé.",
        f"À venir{NBSP}: La contre-signature au nom du CNFPT, par Bernard Roux, délégué régional{NBSP}: toutes les "
        f"collectivités ayant signé, elle lui a été demandée le {french_date(asked, 'j F Y à G')}{NBSP}h{NBSP}"
        f"{asked:%M}.",
    ]
    # The délégué countersigns; the sealed final PDF comes through the same link.
    with capture(execute=True):
        sign_request(union.signature_requests.get(step=2), name="Bernard Roux", function="Délégué régional")
    union.refresh_from_db()
    assert union.status in (ContractStatus.SIGNED, ContractStatus.ACTIVE)
    page = django_app.get(portal(token))
    next_steps = [li.get_text(" ", strip=True) for li in page.html.select(".portal-next li")]
    assert next_steps[1:] == [
        f"Fait{NBSP}: Le Mans a signé.",
        f"Fait{NBSP}: La contre-signature au nom du CNFPT, par Bernard Roux, délégué régional.",
        f"Fait{NBSP}: Le contrat final, signé par toutes les parties et scellé par la plateforme, vous a été envoyé "
        "par e-mail.",
    ]
    sealed = union.documents.get(kind=DocumentKind.SIGNED).file.read()
    download = page.click("Le contrat signé par toutes les parties et scellé")
    assert download.body == sealed
    assert download["Content-Disposition"] == f'attachment; filename="{union.reference}-signe.pdf"'


def test_what_was_signed_is_scoped_to_the_link_and_its_validity(
    django_app, union, settings, django_capture_on_commit_callbacks
):
    settings.SIGNATURE_LINK_VALIDITY_DAYS = 30
    request = _request(union, "Arles-sur-Tech")
    token = link_token_for(request.signer_email)
    other_token = link_token_for(_request(union, "Le Mans").signer_email)
    with django_capture_on_commit_callbacks(execute=True):
        sign_request(request, name="Marie Martin")
    request.refresh_from_db()
    presented = union.documents.get(kind=DocumentKind.FOR_SIGNATURE).file.read()

    # The signer's link, in any browser: what they signed. The other mayor's link, unsigned: nothing.
    assert django_app.get(portal(token, "document")).body == presented
    assert django_app.get(portal(other_token, "document"), status=404).status_code == 404
    page = django_app.get(portal(token))
    until = request.signed_at + datetime.timedelta(days=30)
    assert f"Ce lien reste valable jusqu'au {french_date(timezone.localdate(until))}" in html.unescape(page.text)

    with time_machine.travel(until + datetime.timedelta(minutes=1)):
        assert django_app.get(portal(token, "document"), status=404).status_code == 404
        page = django_app.get(portal(token))
        assert page.html.select_one("[role=status]").get_text(strip=True) == "Vous avez déjà signé ce contrat. Merci."


def test_sign_form_errors_stay_on_the_form_and_nothing_is_saved(django_app, union, django_capture_on_commit_callbacks):
    request = _request(union, "Arles-sur-Tech")
    token = link_token_for(request.signer_email)
    page = _open_and_verify(django_app, token, request.signer_email, django_capture_on_commit_callbacks)
    page = page.click("Continuer vers la signature")
    form = page.forms["sign-form"]
    form["name"] = ""

    page = form.submit(status=400)

    errors = [e.get_text(strip=True) for e in page.html.select(".invalid-feedback")]
    assert errors == ["Cochez la case pour confirmer votre accord.", "Ce champ est obligatoire."]
    assert _request(union, "Arles-sur-Tech").status == SignatureRequestStatus.SENT
    assert not AuditEvent.objects.filter(contract=union, kind=AuditEventKind.SIGNED).exists()


def test_refusal_has_its_own_form_then_a_confirmation_in_the_portal_layout(
    django_app, union, django_capture_on_commit_callbacks
):
    request = _request(union, "Le Mans")
    token = link_token_for(request.signer_email)
    page = _open_and_verify(django_app, token, request.signer_email, django_capture_on_commit_callbacks)
    page = page.click("Continuer vers la signature").click("Refuser de signer")
    assert page.html.h1.get_text(strip=True) == f"Refuser de signer le contrat {union.reference}"

    page = page.forms["decline-form"].submit(status=400)
    assert [e.get_text(strip=True) for e in page.html.select(".invalid-feedback")] == [
        "Indiquez le motif de votre refus."
    ]
    form = page.forms["decline-form"]
    form["reason"] = "Le programme ne convient pas"
    confirmation = form.submit()
    assert confirmation.html.select("nav") == []  # still the portal's layout
    assert confirmation_of(confirmation)[0] == (
        f"Vous refusez de signer le contrat {union.reference} (« Formation des agents ») au nom de la commune du Mans."
    )
    assert _request(union, "Le Mans").status == SignatureRequestStatus.SENT

    with django_capture_on_commit_callbacks(execute=True):
        page = confirmation.forms["confirmation-form"].submit().follow()
    assert _request(union, "Le Mans").status == SignatureRequestStatus.DECLINED
    assert [alert.get_text(" ", strip=True) for alert in page.html.select(".alert-info")] == [
        "Votre refus est enregistré et la délégation en est informée.",
        "Vous avez refusé de signer ce contrat. La délégation a été prévenue.",
    ]


def test_after_a_refusal_the_first_signer_is_told_the_signing_stopped(
    django_app, union, django_capture_on_commit_callbacks
):
    first = _request(union, "Arles-sur-Tech")
    with django_capture_on_commit_callbacks(execute=True):
        sign_request(first, name="Marie Martin")
        declining = _request(union, "Le Mans")
        codes = []
        signatures.signature_request_send_code(
            request=declining, client=sending.PLATFORM, deliver=lambda _r, code: codes.append(code)
        )
        signatures.signature_request_verify_code(request=declining, code=codes[-1], client=sending.PLATFORM)
        declining.refresh_from_db()
        signatures.signature_request_decline(request=declining, reason="Non", client=sending.PLATFORM)

    page = django_app.get(portal(link_token_for(first.signer_email)))
    said = page.html.select_one("#la-suite").find_next("p").get_text(" ", strip=True)
    assert said.startswith(
        "La signature de ce contrat a été interrompue (Marie Martin a refusé de signer). Il retourne à la délégation"
    )
