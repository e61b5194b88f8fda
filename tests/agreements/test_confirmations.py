"""Terminating a contract, withdrawing or replacing a signature request, declining to sign: each asks
first, saying what will happen, and acts only on the confirmation's POST (no JavaScript needed)."""

import datetime

import pytest
from django.utils import timezone

from agreements.enums import ContractStatus, SignatureRequestStatus
from agreements.signing.services import sending
from tests.agreements.factories import make_contract
from tests.agreements.signing_helpers import CODE, last_mail_to, link_token_for, portal
from tests.helpers import confirmation_of, form_to, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(delegation_staff, commune, django_capture_on_commit_callbacks):
    contract = make_contract(actor=delegation_staff, collectivities=[commune])
    with django_capture_on_commit_callbacks(execute=True):
        sending.contract_send_for_signature(contract=contract, actor=delegation_staff)
    contract.refresh_from_db()
    return contract


def _status(contract) -> str:
    contract.refresh_from_db()
    return contract.status


def test_terminating_asks_first_then_terminates(django_app, delegation_staff, commune):
    start = timezone.localdate() - datetime.timedelta(days=10)
    contract = make_contract(
        actor=delegation_staff, collectivities=[commune], status=ContractStatus.ACTIVE, start=start
    )
    page = django_app.get(f"/contrats/{contract.pk}/", user=delegation_staff)
    form = form_to(page, f"/contrats/{contract.pk}/resilier/")
    form["reason"] = "Fusion de la commune au 1er janvier"
    form["on_date"] = "2026-12-31"

    confirmation = form.submit()

    assert confirmation_of(confirmation) == [
        f"Le contrat {contract.reference} (« {contract.title} ») sera résilié à la date du 31/12/2026.",
        "Motif inscrit dans l'historique du contrat : « Fusion de la commune au 1er janvier ».",
        "La résiliation est définitive : le contrat ne pourra plus être modifié, prolongé par avenant ni remis "
        "en vigueur.",
    ]
    assert _status(contract) == ContractStatus.ACTIVE

    done = confirmation.forms["confirmation-form"].submit().follow()

    assert "Le contrat est résilié." in text(done)
    contract.refresh_from_db()
    assert (contract.status, contract.terminated_on, contract.termination_reason) == (
        ContractStatus.TERMINATED,
        datetime.date(2026, 12, 31),
        "Fusion de la commune au 1er janvier",
    )


def test_terminating_without_a_reason_is_refused_before_any_confirmation(django_app, delegation_staff, commune):
    start = timezone.localdate() - datetime.timedelta(days=10)
    contract = make_contract(
        actor=delegation_staff, collectivities=[commune], status=ContractStatus.ACTIVE, start=start
    )
    form = form_to(
        django_app.get(f"/contrats/{contract.pk}/", user=delegation_staff), f"/contrats/{contract.pk}/resilier/"
    )
    form["reason"] = ""

    response = form.submit().follow()

    assert confirmation_of(response) == []
    assert _status(contract) == ContractStatus.ACTIVE


def test_withdrawing_from_signature_names_the_pending_signers(django_app, delegation_staff, sent):
    pending = sent.signature_requests.get(step=1)
    page = django_app.get(f"/contrats/{sent.pk}/", user=delegation_staff)
    form = form_to(page, f"/contrats/{sent.pk}/retour-en-brouillon/")
    form["reason"] = "Erreur de dates"

    confirmation = form.submit()

    assert confirmation_of(confirmation)[0] == (
        f"Les demandes de signature en attente seront annulées ({', '.join(r.signer_name for r in sent.signature_requests.order_by('pk'))}) : "
        "les liens déjà envoyés ne permettront plus de signer."
    )
    assert confirmation_of(confirmation)[2] == "Motif inscrit dans l'historique du contrat : « Erreur de dates »."
    assert _status(sent) == ContractStatus.READY_FOR_SIGNATURE

    confirmation.forms["confirmation-form"].submit().follow()

    assert _status(sent) == ContractStatus.DRAFT
    pending.refresh_from_db()
    assert pending.status == SignatureRequestStatus.CANCELLED


def test_replacing_a_signer_says_who_loses_and_who_gets_the_link(
    django_app, delegation_staff, sent, django_capture_on_commit_callbacks
):
    request = sent.signature_requests.get(step=1)
    page = django_app.get(f"/contrats/{sent.pk}/", user=delegation_staff)
    form = form_to(page, f"/contrats/{sent.pk}/signatures/{request.pk}/remplacer/")
    form["name"] = "Paul Adjoint"
    form["email"] = "Adjoint@Example.fr"
    form["function"] = "Premier adjoint"

    confirmation = form.submit()

    assert confirmation_of(confirmation) == [
        f"La demande de signature adressée à {request.signer_name} ({request.signer_email}) sera retirée : "
        "son lien ne permettra plus de signer.",
        "Paul Adjoint (adjoint@example.fr), Premier adjoint, signera à sa place et recevra son lien personnel "
        "par e-mail.",
    ]
    request.refresh_from_db()
    assert request.status == SignatureRequestStatus.SENT

    with django_capture_on_commit_callbacks(execute=True):
        confirmation.forms["confirmation-form"].submit().follow()

    request.refresh_from_db()
    assert (request.status, request.replaced_by.signer_email) == (SignatureRequestStatus.REPLACED, "adjoint@example.fr")
    assert link_token_for("adjoint@example.fr")


def test_declining_to_sign_asks_first(django_app, sent, django_capture_on_commit_callbacks):
    party = sent.parties.get()
    token = link_token_for(party.signatory_email)
    page = django_app.get(portal(token))
    with django_capture_on_commit_callbacks(execute=True):
        page = form_to(page, portal(token, "send_code")).submit().follow()
    code_form = form_to(page, portal(token, "verify_code"))
    code_form["code"] = CODE.search(last_mail_to(party.signatory_email).body).group(1)
    page = code_form.submit().follow()
    # « Refuser » is a secondary link after « Continuer vers la signature »: it opens the refusal form.
    page = page.click("Refuser de signer")
    form = form_to(page, portal(token, "decline"))
    form["reason"] = "Le programme 2028 ne convient pas"

    confirmation = form.submit()

    assert confirmation_of(confirmation) == [
        f"Vous refusez de signer le contrat {sent.reference} (« {sent.title} ») au nom de la commune "
        f"de {party.collectivity.name}.",
        "La délégation recevra votre motif : « Le programme 2028 ne convient pas ».",
        "La signature s'arrête pour tous les signataires : le contrat retourne à la délégation, qui pourra le "
        "modifier puis l'envoyer de nouveau à la signature.",
        "Ce lien ne permettra plus de signer ce contrat.",
    ]
    assert _status(sent) == ContractStatus.READY_FOR_SIGNATURE

    with django_capture_on_commit_callbacks(execute=True):
        confirmation.forms["confirmation-form"].submit().follow()

    assert _status(sent) == ContractStatus.DRAFT
    assert sent.signature_requests.get(step=1).status == SignatureRequestStatus.DECLINED


def test_sending_for_signature_asks_first_naming_the_emails_and_the_frozen_pdf(
    django_app, delegation_staff, commune, django_capture_on_commit_callbacks
):
    contract = make_contract(actor=delegation_staff, collectivities=[commune], title="Plan de formation 2027")
    party = contract.parties.get()
    page = django_app.get(f"/contrats/{contract.pk}/", user=delegation_staff)

    confirmation = form_to(page, f"/contrats/{contract.pk}/envoyer-a-la-signature/").submit()

    assert confirmation.html.h1.get_text(strip=True) == "Envoyer « Plan de formation 2027 » à la signature\u00a0?"
    assert confirmation_of(confirmation) == [
        "Un e-mail part aussitôt, avec un lien personnel de signature, au signataire : "
        f"{party.signatory_name} ({party.signatory_function}, {commune.name}) à {party.signatory_email}.",
        "Le contrat reçoit sa référence définitive et son PDF est figé : c'est ce document exact, avec son "
        "empreinte, que les signataires liront et signeront.",
        "Le contrat ne peut plus être modifié ; pour le corriger, il faudra le retirer de la signature, ce qui "
        "annule les liens envoyés.",
        f"Une fois toutes les collectivités signataires, {delegation_staff.get_full_name()} contresigne pour "
        "la délégation.",
    ]
    assert (_status(contract), contract.signature_requests.count()) == (ContractStatus.DRAFT, 0)

    with django_capture_on_commit_callbacks(execute=True):
        done = confirmation.forms["confirmation-form"].submit().follow()

    assert "Le contrat est envoyé à la signature" in text(done)
    assert _status(contract) == ContractStatus.READY_FOR_SIGNATURE
    # Sent: the status says the signature is under way, not that the contract is « prêt ».
    assert done.html.select_one(".badge.status-ready_for_signature").get_text(strip=True) == "En cours de signature"
    assert last_mail_to(party.signatory_email) is not None


def test_a_contract_not_ready_is_refused_without_a_confirmation(client, delegation_staff, commune):
    contract = make_contract(actor=delegation_staff, collectivities=[commune])
    contract.parties.update(deliberation_date=None)
    client.force_login(delegation_staff)

    response = client.post(f"/contrats/{contract.pk}/envoyer-a-la-signature/", follow=True)

    assert response.redirect_chain == [(f"/contrats/{contract.pk}/", 302)]
    assert f"La date de la délibération de {commune.name} n'est pas renseignée." in text(response)
    assert _status(contract) == ContractStatus.DRAFT
