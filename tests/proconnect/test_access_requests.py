"""Access requests by SIRET: asking after a ProConnect login, who decides, accepting and refusing from the pages."""

import re
import time

import pytest
from django.urls import reverse

from partnership.enums import AccessRequestAudience, AccessRequestStatus, CollectivityKind, Role
from partnership.models import AccessRequest, ActionLogEntry, Collectivity, ProConnectIdentity, User
from partnership.proconnect.selectors import access_requests_pending_for, access_requests_visible_to
from partnership.proconnect.services import access_request_accept
from tests.factories import CommuneFactory, DepartmentFactory
from tests.proconnect.conftest import NIC, location_path, logged_in_user_id, messages_of, proconnect_login
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.integration

PARIS_SIREN = "217500016"


def _ask_login(client, proconnect, *, sub: str, email: str, siret: str):
    """A person without an account comes back from ProConnect: the access request page."""
    proconnect.add_account(sub=sub, email=email, given_name="Rose", usual_name="Référente", siret=siret)
    response = proconnect_login(client, proconnect, email)
    assert location_path(response) == reverse("proconnect_access_request")
    return client.get(reverse("proconnect_access_request"))


def _form_fields(html: str, form_id: str) -> dict[str, str]:
    """What the browser would send from the form ``form_id``: its inputs and textareas as rendered."""
    form = re.search(rf'<form[^>]*id="{form_id}"[^>]*>(.*?)</form>', html, re.S).group(1)
    fields = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if name:
            value = re.search(r'value="([^"]*)"', tag)
            fields[name.group(1)] = value.group(1) if value else ""
    for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        fields[name] = value.strip()
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        selected = re.search(r'<option value="([^"]*)"[^>]*selected', options)
        fields[name] = selected.group(1) if selected else ""
    return fields


# --- Asking ---------------------------------------------------------------------------------------------------


def test_a_commune_s_person_asks_for_the_hr_contact_role_and_the_covering_delegation_decides(
    client, commune, delegation, proconnect
):
    page = _ask_login(client, proconnect, sub="sub-rose", email="rose@mairie.example", siret=commune.siren + NIC)
    html = page.content.decode()

    assert f"Vous demandez le rôle de <strong>référent RH de {commune.name}</strong>" in html
    assert f"la {delegation} du CNFPT" in html
    assert "rose@mairie.example" in html
    fields = _form_fields(html, "demande-acces")
    assert set(fields) == {"csrfmiddlewaretoken", "function", "phone", "message"}

    response = client.post(
        reverse("proconnect_access_request"),
        {**fields, "function": "Directrice des ressources humaines", "phone": "01 23 45 67 89"},
    )

    assert location_path(response) == reverse("login")
    assert messages_of(response) == [
        "Votre demande d'accès est envoyée. Vous recevrez la décision par e-mail, à rose@mairie.example."
    ]
    request = AccessRequest.objects.get()
    assert (
        request.sub,
        request.email,
        request.first_name,
        request.last_name,
        request.siret,
        request.audience,
        request.collectivity,
        request.function,
        request.phone,
        request.status,
    ) == (
        "sub-rose",
        "rose@mairie.example",
        "Rose",
        "Référente",
        commune.siren + NIC,
        AccessRequestAudience.COLLECTIVITY,
        commune,
        "Directrice des ressources humaines",
        "01 23 45 67 89",
        AccessRequestStatus.PENDING,
    )
    assert logged_in_user_id(client) is None
    assert User.objects.filter(email="rose@mairie.example").exists() is False


def test_a_request_cannot_be_replayed(client, commune, proconnect):
    page = _ask_login(client, proconnect, sub="sub-rejeu", email="rejeu@mairie.example", siret=commune.siren + NIC)
    data = {**_form_fields(page.content.decode(), "demande-acces"), "function": "DRH"}
    client.post(reverse("proconnect_access_request"), data)
    client.get(reverse("login"))  # the first request's message read

    response = client.post(reverse("proconnect_access_request"), data)

    assert location_path(response) == reverse("login")
    assert messages_of(response) == ["Identifiez-vous d'abord avec ProConnect pour demander un accès."]
    assert AccessRequest.objects.count() == 1


def test_a_second_login_while_a_request_waits_says_so_and_asks_nothing_more(client, commune, proconnect):
    page = _ask_login(client, proconnect, sub="sub-attente", email="attente@mairie.example", siret=commune.siren + NIC)
    client.post(
        reverse("proconnect_access_request"),
        {**_form_fields(page.content.decode(), "demande-acces"), "function": "DRH"},
    )

    page = _ask_login(client, proconnect, sub="sub-attente", email="attente@mairie.example", siret=commune.siren + NIC)
    response = client.post(reverse("proconnect_access_request"), {"function": "DRH encore"})

    assert "attend sa décision" in page.content.decode()
    assert 'id="demande-acces"' not in page.content.decode()
    assert response.status_code == 200
    assert AccessRequest.objects.count() == 1


def test_paris_gets_the_source_document_s_refusal(client, db, proconnect):
    paris = CommuneFactory(code="75056", name="Paris", siren=PARIS_SIREN, department=DepartmentFactory(code="75"))
    page = _ask_login(client, proconnect, sub="sub-paris", email="agent@paris.example", siret=PARIS_SIREN + "00016")
    html = page.content.decode()

    assert (
        "Paris n&#x27;est pas couverte par le CNFPT (« à l&#x27;exception du département et de la ville de Paris »)\u00a0: "
        "ses agents ne peuvent pas être inscrits à une formation du CNFPT." in html
    )
    assert 'id="demande-acces"' not in html
    client.post(reverse("proconnect_access_request"), {"function": "DRH"})
    assert AccessRequest.objects.count() == 0
    assert paris.access_requests.count() == 0


def test_the_grand_paris_metropolis_may_ask(client, db, proconnect):
    metropolis = Collectivity.objects.create(
        kind=CollectivityKind.EPCI,
        code="200054781",
        siren="200054781",
        name="Métropole du Grand Paris",
        department=DepartmentFactory(code="94"),
        epci_type="METRO",
    )
    page = _ask_login(client, proconnect, sub="sub-mgp", email="rh@mgp.example", siret="20005478100022")

    assert f"référent RH de {metropolis.name}" in page.content.decode()


def test_a_cnfpt_siret_goes_to_national_staff(client, db, proconnect, national_staff, delegation_staff):
    page = _ask_login(client, proconnect, sub="sub-cnfpt", email="agent@cnfpt.example", siret="18004356400018")
    client.post(
        reverse("proconnect_access_request"),
        {**_form_fields(page.content.decode(), "demande-acces"), "function": "Conseillère formation"},
    )

    request = AccessRequest.objects.get()
    assert (request.audience, request.collectivity) == (AccessRequestAudience.CNFPT, None)
    assert list(access_requests_pending_for(national_staff)) == [request]
    assert list(access_requests_pending_for(delegation_staff)) == []


def test_an_amf_siret_goes_to_national_staff_when_configured(client, db, proconnect, settings):
    settings.AMF_SIRENS = ["123456782"]
    page = _ask_login(client, proconnect, sub="sub-amf", email="agent@amf.example", siret="12345678200011")

    assert "examinée par les agents nationaux du CNFPT" in page.content.decode()


def test_an_organisation_nobody_here_decides_for_is_told_so(client, db, proconnect):
    page = _ask_login(client, proconnect, sub="sub-ailleurs", email="x@ailleurs.example", siret="55208131766522")

    assert (
        "Votre organisation (SIRET 552\u00a0081\u00a0317\u00a066522) n&#x27;est ni une commune ni une intercommunalité de "
        "l&#x27;annuaire, ni le CNFPT, ni l&#x27;AMF" in page.content.decode()
    )
    assert 'id="demande-acces"' not in page.content.decode()


def test_requests_are_throttled_by_address(client, commune, proconnect, settings):
    settings.ACCESS_REQUEST_MAX_PER_IP = 1
    for number in (1, 2):
        page = _ask_login(
            client,
            proconnect,
            sub=f"sub-flot-{number}",
            email=f"flot{number}@mairie.example",
            siret=commune.siren + NIC,
        )
        response = client.post(
            reverse("proconnect_access_request"),
            {**_form_fields(page.content.decode(), "demande-acces"), "function": "DRH"},
        )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Trop de demandes d'accès envoyées\u00a0: réessayez dans une heure."
    ]
    assert list(AccessRequest.objects.values_list("sub", flat=True)) == ["sub-flot-1"]


def test_an_identity_left_waiting_too_long_must_log_in_again(client, commune, proconnect, settings):
    _ask_login(client, proconnect, sub="sub-lent", email="lent@mairie.example", siret=commune.siren + NIC)
    session = client.session
    session["proconnect_pending_identity"]["verified_at"] = (
        time.time() - settings.ACCESS_REQUEST_FORM_VALIDITY_SECONDS - 1
    )
    session.save()

    response = client.post(reverse("proconnect_access_request"), {"function": "DRH"})

    assert location_path(response) == reverse("login")
    assert AccessRequest.objects.count() == 0


def test_the_page_needs_an_identity_vouched_for_by_proconnect(client, db, proconnect):
    response = client.get(reverse("proconnect_access_request"))

    assert location_path(response) == reverse("login")
    assert messages_of(response) == ["Identifiez-vous d'abord avec ProConnect pour demander un accès."]


# --- Who sees which request --------------------------------------------------------------------------------------


def _request(collectivity=None, *, sub: str, audience=AccessRequestAudience.COLLECTIVITY) -> AccessRequest:
    return AccessRequest.objects.create(
        sub=sub,
        email=f"{sub}@exemple.fr",
        first_name="Prénom",
        last_name=sub,
        siret=(collectivity.siren if collectivity else "180043564") + NIC,
        audience=audience,
        collectivity=collectivity,
        function="DRH",
    )


def test_each_delegation_sees_the_requests_of_its_collectivities_only(
    commune, other_delegation, delegation_staff, other_delegation_staff, national_staff, hr_contact, amf_staff
):
    ours = _request(commune, sub="ours")
    theirs = _request(CommuneFactory(department=other_delegation.departments.first()), sub="theirs")
    national = _request(sub="national", audience=AccessRequestAudience.CNFPT)

    assert list(access_requests_pending_for(delegation_staff)) == [ours]
    assert list(access_requests_pending_for(other_delegation_staff)) == [theirs]
    assert list(access_requests_pending_for(national_staff)) == [national]
    assert set(access_requests_visible_to(national_staff)) == {ours, theirs, national}
    for nobody in (hr_contact, amf_staff):
        assert list(access_requests_visible_to(nobody)) == []
    client_of_other = other_delegation_staff
    assert ours not in access_requests_visible_to(client_of_other)


def test_a_collectivity_no_delegation_covers_waits_for_national_staff(db, national_staff):
    orphan = _request(CommuneFactory(department=DepartmentFactory()), sub="orphelin")

    assert list(access_requests_pending_for(national_staff)) == [orphan]


# --- Deciding from the pages ------------------------------------------------------------------------------------


def test_the_delegation_accepts_from_the_page_then_the_new_hr_contact_logs_in_with_proconnect(
    client, commune, delegation_staff, proconnect, mailoutbox, django_capture_on_commit_callbacks
):
    page = _ask_login(
        client, proconnect, sub="sub-nouvelle", email="nouvelle@mairie.example", siret=commune.siren + NIC
    )
    client.post(
        reverse("proconnect_access_request"),
        {**_form_fields(page.content.decode(), "demande-acces"), "function": "DRH"},
    )
    request = AccessRequest.objects.get()

    staff = client.__class__()
    staff.force_login(delegation_staff)
    listing = staff.get(reverse("access_request_list")).content.decode()
    assert reverse("access_request_detail", args=[request.pk]) in listing
    detail = staff.get(reverse("access_request_detail", args=[request.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            reverse("access_request_accept", args=[request.pk]), _form_fields(detail, "accepter-demande")
        )

    assert location_path(response) == reverse("access_request_list")
    account = User.objects.get(email="nouvelle@mairie.example")
    assert (account.role, account.collectivity, account.first_name, account.last_name, account.function) == (
        Role.HR_CONTACT,
        commune,
        "Rose",
        "Référente",
        "DRH",
    )
    assert account.has_usable_password() is False
    assert ProConnectIdentity.objects.get(user=account).sub == "sub-nouvelle"
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.account) == (
        AccessRequestStatus.ACCEPTED,
        delegation_staff,
        account,
    )
    assert [(message.subject, message.to) for message in mailoutbox] == [
        ("Votre demande d'accès à Partenariat CNFPT – AMF est acceptée", ["nouvelle@mairie.example"])
    ]
    assert "S'identifier avec ProConnect" in mailoutbox[0].body
    entry = ActionLogEntry.objects.get()
    assert entry.changes == [["Statut", "En attente", "Acceptée"], ["Compte ouvert", None, str(account)]]

    response = proconnect_login(client, proconnect, "nouvelle@mairie.example")
    assert location_path(response) == reverse("todo")
    assert int(logged_in_user_id(client)) == account.pk


def test_the_delegation_refuses_with_a_reason_that_is_e_mailed(
    client, commune, delegation_staff, mailoutbox, django_capture_on_commit_callbacks
):
    request = _request(commune, sub="refusee")
    client.force_login(delegation_staff)
    detail = client.get(reverse("access_request_detail", args=[request.pk])).content.decode()

    empty = client.post(reverse("access_request_refuse", args=[request.pk]), _form_fields(detail, "refuser-demande"))
    assert empty.status_code == 200
    assert empty.context["refuse_form"].errors == {"reason": ["Ce champ est obligatoire."]}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("access_request_refuse", args=[request.pk]),
            {**_form_fields(detail, "refuser-demande"), "reason": "La commune a déjà une référente RH."},
        )

    request.refresh_from_db()
    assert (request.status, request.refusal_reason) == (
        AccessRequestStatus.REFUSED,
        "La commune a déjà une référente RH.",
    )
    assert User.objects.filter(email=request.email).exists() is False
    assert [(message.subject, message.to) for message in mailoutbox] == [
        ("Votre demande d'accès à Partenariat CNFPT – AMF est refusée", [request.email])
    ]
    assert "Motif : La commune a déjà une référente RH." in mailoutbox[0].body


def test_another_delegation_s_request_does_not_exist_for_them(client, commune, other_delegation_staff):
    request = _request(commune, sub="pas-a-eux")
    client.force_login(other_delegation_staff)

    assert client.get(reverse("access_request_detail", args=[request.pk])).status_code == 404
    assert client.post(reverse("access_request_accept", args=[request.pk]), {"role": "hr_contact"}).status_code == 404
    assert client.post(reverse("access_request_refuse", args=[request.pk]), {"reason": "non"}).status_code == 404
    request.refresh_from_db()
    assert request.status == AccessRequestStatus.PENDING


def test_a_request_decided_twice_is_refused_the_second_time(commune, delegation_staff, national_staff):
    request = _request(commune, sub="deux-fois")
    access_request_accept(actor=delegation_staff, access_request=request)

    with pytest.raises(Exception) as refusal:
        access_request_accept(actor=national_staff, access_request=request)

    assert refusal.value.messages == ["Cette demande est déjà acceptée."]
    assert User.objects.filter(email=request.email).count() == 1


def test_national_staff_choose_the_role_of_a_cnfpt_agent(client, db, national_staff, delegation):
    request = _request(sub="agent-cnfpt", audience=AccessRequestAudience.CNFPT)
    client.force_login(national_staff)
    detail = client.get(reverse("access_request_detail", args=[request.pk])).content.decode()
    fields = _form_fields(detail, "accepter-demande")
    assert fields["role"] == Role.NATIONAL_STAFF

    missing = client.post(
        reverse("access_request_accept", args=[request.pk]), {**fields, "role": Role.DELEGATION_STAFF}
    )
    assert missing.context["accept_form"].errors == {"delegation": ["Choisissez la délégation de cet agent."]}
    client.post(
        reverse("access_request_accept", args=[request.pk]),
        {**fields, "role": Role.DELEGATION_STAFF, "delegation": str(delegation.pk)},
    )

    account = User.objects.get(email=request.email)
    assert (account.role, account.delegation, account.collectivity) == (Role.DELEGATION_STAFF, delegation, None)


def test_the_list_costs_the_same_queries_for_one_request_or_many(client, commune, delegation_staff):
    _request(commune, sub="premiere")
    client.force_login(delegation_staff)

    def grow():
        for number in range(5):
            request = _request(CommuneFactory(department=commune.department), sub=f"autre-{number}")
            if number % 2:
                access_request_accept(actor=delegation_staff, access_request=request)

    assert_constant_queries(
        client,
        reverse("access_request_list"),
        grow,
        rows=".access-requests-pending tbody tr, .access-requests-decided tbody tr",
    )


def test_a_department_two_delegations_cover_counts_each_request_once(
    commune, other_delegation, delegation_staff, other_delegation_staff, national_staff
):
    other_delegation.departments.add(commune.department)
    shared = _request(commune, sub="partagee")

    assert list(access_requests_pending_for(delegation_staff)) == [shared]
    assert list(access_requests_pending_for(other_delegation_staff)) == [shared]
    assert access_requests_pending_for(delegation_staff).count() == 1
    assert access_requests_pending_for(national_staff).count() == 0
