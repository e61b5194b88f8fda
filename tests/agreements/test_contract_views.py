import datetime
import html

import pytest
from django.urls import reverse

from agreements.enums import ContractStatus
from agreements.models import ContractParty, PartnershipContract
from tests.agreements.factories import make_contract, party
from tests.factories import CommuneFactory, ThemeFactory
from tests.helpers import text
from tests.querycount import assert_constant_queries


def _contract_form(page):
    return next(form for form in page.forms.values() if "title" in form.fields)


def _form_data(commune, **overrides):
    theme = ThemeFactory(
        family="development_projects",
        code="handicap",
        label="Prise en compte des travailleurs en situation de handicap",
    )
    data = {
        "title": "Contrat de Saint-Étienne",
        "start_date": "2027-01-01",
        "end_date": "",
        "objectives": "Former les encadrants",
        "specific_clauses": "",
        "version": "",
        "parties-TOTAL_FORMS": "1",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "50",
        "parties-0-collectivity": f"{commune.code} – {commune.name} ({commune.department.code})",
        "parties-0-signatory_name": "Mireille Fontanel",
        "parties-0-signatory_function": "Maire",
        "parties-0-signatory_email": "maire@example.fr",
        "parties-0-deliberation_date": "2026-10-15",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
        "lines-0-year": "2027",
        "lines-0-theme": str(theme.pk),
        "lines-0-title": "Accueil des travailleurs handicapés",
        "lines-0-planned_days": "2",
        "lines-0-planned_trainees": "15",
    }
    data.update(overrides)
    return data


def test_delegation_agent_drafts_and_sends_for_signature(client, delegation_staff, commune):
    client.force_login(delegation_staff)
    response = client.post(
        reverse("agreements:contract_create"), _form_data(commune, delegate=str(delegation_staff.pk))
    )
    contract = PartnershipContract.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("agreements:contract_detail", args=[contract.pk])
    assert contract.delegation == delegation_staff.delegation
    assert contract.end_date == datetime.date(2029, 12, 31)
    assert list(contract.programme_lines.values_list("title", "planned_days", "planned_trainees")) == [
        ("Accueil des travailleurs handicapés", 2, 15)
    ]

    page = client.get(response["Location"]).content.decode()
    assert "Accueil des travailleurs handicapés" in page
    assert "Envoyer à la signature" in page

    client.post(reverse("agreements:contract_submit", args=[contract.pk]), {"confirmation": "oui"})
    contract.refresh_from_db()
    assert contract.status == ContractStatus.READY_FOR_SIGNATURE
    pdf = client.get(reverse("agreements:contract_pdf", args=[contract.pk]))
    body = b"".join(pdf.streaming_content)
    assert pdf["Content-Type"] == "application/pdf"
    assert body == contract.documents.get().file.read()


def test_collectivity_typed_by_name_is_refused_with_message(client, delegation_staff, commune):
    client.force_login(delegation_staff)
    response = client.post(
        reverse("agreements:contract_create"), _form_data(commune, **{"parties-0-collectivity": "Ville inconnue"})
    )
    assert response.status_code == 400
    assert (
        "Aucune collectivité ne correspond à « Ville inconnue »\u00a0: choisissez-la dans la liste proposée ou "
        "saisissez son code INSEE ou son SIREN." in text(response)
    )
    assert PartnershipContract.objects.count() == 0


def test_end_before_start_keeps_the_input(client, delegation_staff, commune):
    client.force_login(delegation_staff)
    response = client.post(reverse("agreements:contract_create"), _form_data(commune, end_date="2026-01-01"))
    content = response.content.decode()
    assert response.status_code == 400
    assert "La date de fin doit être postérieure à la date de début." in content
    assert 'value="Contrat de Saint-Étienne"' in content
    assert "Accueil des travailleurs handicapés" in content
    assert PartnershipContract.objects.count() == 0


def test_edit_form_refuses_stale_version(django_app, delegation_staff, commune):
    contract = make_contract(actor=delegation_staff, collectivities=[commune])
    url = reverse("agreements:contract_update", args=[contract.pk])
    # Two tabs open on the same draft: the second one saved last works on a stale version.
    first, second = (_contract_form(django_app.get(url, user=delegation_staff)) for _ in range(2))
    first["title"] = "Version A"
    assert first.submit().status_code == 302
    second["title"] = "Version B"
    response = second.submit(status=409)
    assert "Quelqu'un a enregistré ce contrat" in html.unescape(response.text)
    contract.refresh_from_db()
    assert contract.title == "Version A"


def test_editing_a_sent_contract_redirects_with_message(client, delegation_staff, commune):
    contract = make_contract(
        actor=delegation_staff, collectivities=[commune], status=ContractStatus.READY_FOR_SIGNATURE
    )
    client.force_login(delegation_staff)
    response = client.get(reverse("agreements:contract_update", args=[contract.pk]), follow=True)
    assert "n'est plus un brouillon" in text(response)


@pytest.mark.parametrize(
    "url_name", ["contract_detail", "contract_update", "contract_pdf", "contract_submit", "contract_terminate"]
)
def test_other_delegation_cannot_reach_contract(client, delegation_staff, other_delegation_staff, commune, url_name):
    contract = make_contract(actor=delegation_staff, collectivities=[commune])
    client.force_login(other_delegation_staff)
    url = reverse(f"agreements:{url_name}", args=[contract.pk])
    response = client.post(url) if url_name in ("contract_submit", "contract_terminate") else client.get(url)
    assert response.status_code == 404
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT


def test_national_staff_and_amf_see_all_delegations(client, national_staff, amf_staff, delegation_staff, commune):
    contract = make_contract(actor=delegation_staff, collectivities=[commune])
    for user in (national_staff, amf_staff):
        client.force_login(user)
        assert client.get(reverse("agreements:contract_detail", args=[contract.pk])).status_code == 200
        assert contract.title in client.get(reverse("agreements:contract_list")).content.decode()


def test_amf_staff_cannot_change_contracts_in_workspace(client, amf_staff, delegation_staff, commune):
    contract = make_contract(actor=delegation_staff, collectivities=[commune])
    client.force_login(amf_staff)
    assert client.post(reverse("agreements:contract_submit", args=[contract.pk])).status_code == 403
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT


def test_signatory_sees_only_own_sent_contracts(
    client, delegation_staff, signatory, other_signatory, commune, other_commune
):
    own = make_contract(
        actor=delegation_staff, collectivities=[commune], status=ContractStatus.READY_FOR_SIGNATURE, title="Le mien"
    )
    draft = make_contract(
        actor=delegation_staff, collectivities=[commune], start=datetime.date(2031, 1, 1), title="Brouillon"
    )
    theirs = make_contract(
        actor=delegation_staff,
        collectivities=[other_commune],
        status=ContractStatus.READY_FOR_SIGNATURE,
        title="Le leur",
    )
    client.force_login(signatory)
    page = client.get(reverse("agreements:my_contracts")).content.decode()
    assert "Le mien" in page and "Le leur" not in page and "Brouillon" not in page
    assert client.get(reverse("agreements:contract_pdf", args=[own.pk])).status_code == 200
    assert client.get(reverse("agreements:contract_pdf", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("agreements:contract_pdf", args=[draft.pk])).status_code == 404
    assert client.get(reverse("agreements:contract_list")).status_code == 403


def test_anonymous_is_sent_to_login(client, delegation_staff, commune):
    contract = make_contract(actor=delegation_staff, collectivities=[commune])
    response = client.get(reverse("agreements:contract_detail", args=[contract.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_list_search_filters_and_sort(client, delegation_staff, delegation):
    department = delegation.departments.first()
    saint_etienne = CommuneFactory(name="Saint-Étienne", department=department)
    lyon = CommuneFactory(name="Lyon", department=department)
    make_contract(
        actor=delegation_staff,
        collectivities=[saint_etienne],
        title="Contrat stéphanois",
        status=ContractStatus.READY_FOR_SIGNATURE,
    )
    make_contract(actor=delegation_staff, collectivities=[lyon], title="Contrat lyonnais")
    client.force_login(delegation_staff)
    url = reverse("agreements:contract_list")
    page = client.get(url, {"q": "saint etienne"}).content.decode()
    assert "Contrat stéphanois" in page and "Contrat lyonnais" not in page
    page = client.get(url, {"status": "draft"}).content.decode()
    assert "Contrat lyonnais" in page and "Contrat stéphanois" not in page
    page = client.get(url, {"year": "2040"}).content.decode()
    assert "Aucun contrat ne correspond" in page
    page = client.get(url, {"sort": "status"}).content.decode()
    assert page.index("Contrat lyonnais") < page.index("Contrat stéphanois")


def _make_many(delegation_staff, delegation, count):
    department = delegation.departments.first()
    for index in range(count):
        make_contract(actor=delegation_staff, collectivities=[CommuneFactory(department=department)], title=f"C{index}")


def test_contract_list_query_count_is_constant(client, delegation_staff, delegation):
    client.force_login(delegation_staff)
    _make_many(delegation_staff, delegation, 1)
    shown = assert_constant_queries(
        client,
        reverse("agreements:contract_list"),
        lambda: _make_many(delegation_staff, delegation, 49),
        rows="tbody tr",
    )
    assert shown == (1, 25)  # one page


def test_my_contracts_query_count_is_constant(client, delegation_staff, signatory, commune):
    def send(first, last):
        # Contracts of one collectivité may not overlap: each gets its own years.
        for index in range(first, last):
            make_contract(
                actor=delegation_staff,
                collectivities=[commune, CommuneFactory(department=commune.department)],
                status=ContractStatus.READY_FOR_SIGNATURE,
                start=datetime.date(2030 + 4 * index, 1, 1),
            )

    client.force_login(signatory)
    send(0, 1)
    shown = assert_constant_queries(client, reverse("agreements:my_contracts"), lambda: send(1, 10), rows="tbody tr")
    assert shown == (1, 10)


def test_contract_page_query_count_is_constant(client, delegation_staff, delegation):
    department = delegation.departments.first()
    contract = make_contract(
        actor=delegation_staff, collectivities=[CommuneFactory(department=department)], title="Grandit"
    )

    def add_parties():
        for position in range(2, 52):
            collectivity = CommuneFactory(department=department)
            ContractParty.objects.create(contract=contract, position=position, **vars(party(collectivity)))

    client.force_login(delegation_staff)
    shown = assert_constant_queries(
        client,
        reverse("agreements:contract_detail", args=[contract.pk]),
        add_parties,
        rows=lambda response: response.content.decode().count("<td>Marie Martin, Maire"),
    )
    assert shown == (1, 51)


def test_admin_shows_contract_read_only_past_draft(client, amf_staff, delegation_staff, commune):
    contract = make_contract(
        actor=delegation_staff, collectivities=[commune], status=ContractStatus.READY_FOR_SIGNATURE
    )
    client.force_login(amf_staff)
    listing = client.get("/admin/agreements/partnershipcontract/")
    assert contract.reference in listing.content.decode()
    page = client.get(f"/admin/agreements/partnershipcontract/{contract.pk}/change/")
    assert page.status_code == 200
    assert 'name="title"' not in page.content.decode()
    response = client.post(f"/admin/agreements/partnershipcontract/{contract.pk}/change/", {"title": "Modifié"})
    assert response.status_code == 403
    contract.refresh_from_db()
    assert contract.title == "Contrat de test"
