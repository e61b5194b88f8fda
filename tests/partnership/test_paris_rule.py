"""« Le CNFPT regroupe la totalité des collectivités territoriales (à l'exception du département et de la
ville de Paris) »: Paris is never a contract party nor a trainee's employer, at every door; events stay open.

One test per door, each asserting the exact French message and that nothing was saved.
"""

import html
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from webtest import Upload

from agreements import services as contract_services
from agreements.enums import ContractStatus
from agreements.models import ContractParty, PartnershipContract
from events.models import EventRegistration
from partnership.enums import CollectivityUse, Role
from partnership.forms import collectivity_label
from partnership.models import Collectivity, User
from partnership.services import collectivity_check_covered_by_cnfpt
from tests.agreements.factories import make_contract, party
from tests.events.factories import EventFactory
from tests.factories import CommuneFactory, DepartmentFactory, EpciFactory, ThemeFactory, UserFactory
from tests.trainings.factories import RegistrationFactory, SessionFactory, TrainingActionFactory, in_days
from trainings import registrations as registration_services
from trainings.enums import Period
from trainings.models import Attendance, Registration

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
EXCEPTION = f"n'est pas couverte par le CNFPT (« à l'exception du département et de la ville de Paris »){NBSP}:"
PARTY_MESSAGE = f"Paris {EXCEPTION} elle ne peut pas être partie à un contrat de partenariat."
EMPLOYER_MESSAGE = f"Paris {EXCEPTION} ses agents ne peuvent pas être inscrits à une formation du CNFPT."


@pytest.fixture
def paris(delegation):
    """The Ville de Paris, on the delegation's territory so that only the Paris rule can refuse it."""
    department = DepartmentFactory(code="75", name="Paris", region=delegation.region)
    delegation.departments.add(department)
    return CommuneFactory(code="75056", siren="217500016", name="Paris", department=department, population=2103778)


@pytest.fixture
def grand_paris(delegation, paris, commune):
    """The Métropole du Grand Paris: Paris is one of its members, and it may sign all the same."""
    metropole = EpciFactory(
        code="200054781", siren="200054781", name="Métropole du Grand Paris", department=commune.department
    )
    metropole.members.set([paris, commune])
    return metropole


@pytest.fixture
def superuser(db):
    return UserFactory(role=Role.NATIONAL_STAFF, is_staff=True, is_superuser=True)


def _form_with(page, field):
    return next(form for form in page.forms.values() if field in form.fields)


def _text(response) -> str:
    return html.unescape(response.text)


# --- The rule itself ----------------------------------------------------------------------------


def test_only_the_ville_de_paris_is_outside_the_cnfpt(paris, grand_paris, commune):
    assert list(Collectivity.objects.not_covered_by_cnfpt()) == [paris]
    assert set(Collectivity.objects.covered_by_cnfpt()) == {grand_paris, commune}
    assert [paris.is_covered_by_cnfpt, grand_paris.is_covered_by_cnfpt, commune.is_covered_by_cnfpt] == [
        False,
        True,
        True,
    ]


def test_check_names_the_use_and_lets_events_through(paris, grand_paris):
    with pytest.raises(ValidationError) as party_error:
        collectivity_check_covered_by_cnfpt(collectivity=paris, use=CollectivityUse.CONTRACT_PARTY)
    with pytest.raises(ValidationError) as employer_error:
        collectivity_check_covered_by_cnfpt(collectivity=paris, use=CollectivityUse.EMPLOYER)
    assert (party_error.value.messages, party_error.value.code) == ([PARTY_MESSAGE], "not_covered_by_cnfpt")
    assert employer_error.value.messages == [EMPLOYER_MESSAGE]
    assert collectivity_check_covered_by_cnfpt(collectivity=paris, use=CollectivityUse.EVENT) is None
    assert collectivity_check_covered_by_cnfpt(collectivity=grand_paris, use=CollectivityUse.CONTRACT_PARTY) is None


# --- Contracts ----------------------------------------------------------------------------------


def test_contract_service_refuses_paris_as_a_party(delegation_staff, paris, commune):
    with pytest.raises(ValidationError) as error:
        make_contract(actor=delegation_staff, collectivities=[commune, paris])
    assert error.value.messages == [PARTY_MESSAGE]
    assert PartnershipContract.objects.count() == 0
    assert ContractParty.objects.count() == 0


def test_contract_update_service_refuses_paris(delegation_staff, paris, commune):
    contract = make_contract(actor=delegation_staff, collectivities=[commune])
    with pytest.raises(ValidationError) as error:
        contract_services.contract_update(
            contract=contract,
            actor=delegation_staff,
            expected_version=contract.version,
            title="Avec Paris",
            start_date=contract.start_date,
            end_date=contract.end_date,
            parties=[party(paris)],
        )
    assert error.value.messages == [PARTY_MESSAGE]
    contract.refresh_from_db()
    assert (contract.title, list(contract.parties.values_list("collectivity", flat=True))) == (
        "Contrat de test",
        [commune.pk],
    )


def test_the_metropole_du_grand_paris_may_be_a_party(delegation_staff, grand_paris):
    contract = make_contract(actor=delegation_staff, collectivities=[grand_paris])
    assert list(contract.parties.values_list("collectivity__name", flat=True)) == ["Métropole du Grand Paris"]


def test_a_draft_naming_paris_cannot_be_sent_for_signature(delegation_staff, paris, commune):
    contract = make_contract(actor=delegation_staff, collectivities=[commune])
    # A draft written before the rule was enforced (or straight into the database).
    contract.parties.update(collectivity=paris)
    assert PARTY_MESSAGE in contract_services.readiness_problems(contract)
    with pytest.raises(ValidationError) as error:
        contract_services.contract_submit_for_signature(contract=contract, actor=delegation_staff)
    assert error.value.messages == [PARTY_MESSAGE]
    contract.refresh_from_db()
    assert (contract.status, contract.reference, contract.documents.count()) == (ContractStatus.DRAFT, None, 0)


def test_contract_form_refuses_paris_with_the_message_under_the_field(django_app, delegation_staff, paris):
    page = django_app.get(reverse("agreements:contract_create"), user=delegation_staff)
    form = _form_with(page, "title")
    form["title"] = "Contrat de Paris"
    form["start_date"] = "2027-01-01"
    form["parties-0-collectivity"] = "paris"
    form["parties-0-signatory_name"] = "Claire Dubois"
    form["parties-0-signatory_function"] = "Maire"
    form["parties-0-signatory_email"] = "maire@paris.example.fr"
    response = form.submit(status=400)
    # Under the field, and in the summary of errors at the top of the form, which links to it.
    assert _text(response).count(PARTY_MESSAGE) == 2
    assert response.html.select_one("#erreurs a[href='#id_parties-0-collectivity']") is not None
    assert response.context["parties"].forms[0].errors == {"collectivity": [PARTY_MESSAGE]}
    assert 'value="paris"' in response.text
    assert PartnershipContract.objects.count() == 0


def test_contract_admin_inline_refuses_paris(django_app, superuser, delegation_staff, paris, commune):
    contract = make_contract(actor=delegation_staff, collectivities=[commune])
    page = django_app.get(f"/admin/agreements/partnershipcontract/{contract.pk}/change/", user=superuser)
    form = page.forms["partnershipcontract_form"]
    # The admin shows the parties read-only: the workspace's edit form, where the service checks the
    # rule, is their one door (tests/agreements/test_admin_contracts.py).
    assert "parties-0-collectivity" not in form.fields
    assert form.submit(status=403).status_code == 403
    assert list(contract.parties.values_list("collectivity", flat=True)) == [commune.pk]


# --- Training registrations ---------------------------------------------------------------------


@pytest.fixture
def session(delegation, commune):
    return SessionFactory(action=TrainingActionFactory(delegation=delegation), venue=commune, capacity=5)


def test_registration_service_refuses_a_paris_employer(delegation_staff, session, paris):
    with pytest.raises(ValidationError) as error:
        registration_services.registration_create(
            actor=delegation_staff,
            session=session,
            first_name="Léa",
            last_name="Petit",
            email="lea.petit@paris.example.fr",
            category="C",
            employer=paris,
        )
    assert error.value.message_dict == {"employer": [EMPLOYER_MESSAGE]}
    assert Registration.objects.count() == 0


def test_registration_form_refuses_a_paris_employer(django_app, delegation_staff, session, paris):
    page = django_app.get(reverse("trainings:session_detail", args=[session.pk]), user=delegation_staff)
    form = _form_with(page, "employer")
    form["first_name"] = "Léa"
    form["last_name"] = "Petit"
    form["email"] = "lea.petit@paris.example.fr"
    form["category"] = "C"
    form["employer"] = collectivity_label(paris)
    response = form.submit(status=400)
    assert response.context["form"].errors == {"employer": [EMPLOYER_MESSAGE]}
    assert _text(response).count(EMPLOYER_MESSAGE) == 1
    assert Registration.objects.count() == 0


def test_an_hr_contact_of_paris_cannot_register_agents(django_app, session, paris):
    hr_contact = UserFactory(role=Role.HR_CONTACT, collectivity=paris)
    session.action.mode = "inter"
    session.action.save(update_fields=["mode"])
    page = django_app.get(reverse("trainings:session_detail", args=[session.pk]), user=hr_contact)
    form = _form_with(page, "first_name")
    assert "employer" not in form.fields
    form["first_name"] = "Léa"
    form["last_name"] = "Petit"
    form["email"] = "lea.petit@paris.example.fr"
    form["category"] = "C"
    response = form.submit(status=400)
    assert response.context["form"].non_field_errors() == [EMPLOYER_MESSAGE]
    assert Registration.objects.count() == 0


def test_registration_admin_refuses_a_paris_employer(django_app, superuser, session, commune, paris):
    registration = registration_services.registration_create(
        actor=superuser,
        session=session,
        first_name="Léa",
        last_name="Petit",
        email="lea.petit@example.fr",
        category="C",
        employer=commune,
    )
    page = django_app.get(f"/admin/trainings/registration/{registration.pk}/change/", user=superuser)
    form = page.forms["registration_form"]
    # Training registrations are read-only in the admin: registering goes through the service.
    assert "employer" not in form.fields
    assert form.submit(status=403).status_code == 403
    registration.refresh_from_db()
    assert registration.employer == commune


# --- The picker ---------------------------------------------------------------------------------


def test_picker_shows_paris_as_not_covered(client, paris, grand_paris):
    results = client.get(reverse("collectivity_search"), {"q": "paris"}).json()["results"]
    assert [(r["label"], r["covered"], r["note"]) for r in results] == [
        ("75056 – Paris (75)", False, "non couverte par le CNFPT"),
        (collectivity_label(grand_paris), True, ""),
    ]


def test_picker_widget_disables_uncovered_collectivities_for_contracts_and_registrations_only(
    django_app, delegation_staff, session, paris
):
    contract_page = django_app.get(reverse("agreements:contract_create"), user=delegation_staff)
    session_page = django_app.get(reverse("trainings:session_detail", args=[session.pk]), user=delegation_staff)
    event_page = django_app.get(reverse("events:event_detail", args=[EventFactory().pk]))
    pickers = [
        page.html.find(id=f"id_{name}")
        for page, name in [
            (contract_page, "parties-0-collectivity"),
            (session_page, "employer"),
            (event_page, "collectivity"),
        ]
    ]
    assert [picker.get("data-collectivity-picker") for picker in pickers] == [reverse("collectivity_search")] * 3
    assert [picker.get("data-requires-coverage") for picker in pickers] == ["true", "true", None]


# --- Events stay open to Paris --------------------------------------------------------------------


def test_an_elected_official_of_paris_registers_to_an_event(django_app, paris):
    event = EventFactory(capacity=5)
    page = django_app.get(reverse("events:event_detail", args=[event.pk]))
    form = _form_with(page, "collectivity")
    form["first_name"] = "Anne"
    form["last_name"] = "Durand"
    form["email"] = "anne.durand@paris.example.fr"
    form["quality"] = "elected"
    form["collectivity"] = "Paris"
    form.submit().follow()
    assert list(EventRegistration.objects.values_list("email", "collectivity")) == [
        ("anne.durand@paris.example.fr", paris.pk)
    ]


# --- Bulk writes past the services ----------------------------------------------------------------


def test_the_benchmark_dataset_never_makes_paris_a_party(delegation, paris, commune, settings):
    settings.DEBUG = True
    ThemeFactory()
    call_command(
        "generate_dataset", contracts=12, sessions=24, registrations=96, events=2, speakers=4, stdout=io.StringIO()
    )
    assert set(ContractParty.objects.values_list("collectivity__name", flat=True)) == {commune.name}


def test_attendance_import_refuses_the_lines_of_a_paris_agent(django_app, delegation_staff, delegation, commune, paris):
    day = in_days(-1)
    past = SessionFactory(
        action=TrainingActionFactory(delegation=delegation),
        venue=commune,
        start_date=day,
        half_days=[(day, Period.MORNING)],
    )
    RegistrationFactory(session=past, email="agent@commune.example.fr", employer=commune)
    # Registered before the rule was enforced, or written straight into the database.
    RegistrationFactory(session=past, email="agent@paris.example.fr", employer=paris)
    content = (
        "email;date;demi-journee;statut\n"
        f"agent@commune.example.fr;{day:%d/%m/%Y};matin;présent\n"
        f"agent@paris.example.fr;{day:%d/%m/%Y};matin;présent\n"
    ).encode()
    page = django_app.get(reverse("trainings:attendance_import", args=[past.pk]), user=delegation_staff)
    form = _form_with(page, "file")
    form["file"] = Upload("presences.csv", content, "text/csv")
    response = form.submit(status=400)
    assert response.context["errors"] == [f"Ligne 3\u00a0: {EMPLOYER_MESSAGE}"]
    assert Attendance.objects.count() == 0


# --- Accounts of a collectivité's people --------------------------------------------------------


@pytest.mark.parametrize(("role", "message"), [(Role.SIGNATORY, PARTY_MESSAGE), (Role.HR_CONTACT, EMPLOYER_MESSAGE)])
def test_staff_cannot_invite_a_signatory_or_hr_contact_of_paris(django_app, delegation_staff, paris, role, message):
    page = django_app.get(reverse("account_list"), user=delegation_staff).click(
        "Inviter un référent RH ou un signataire"
    )
    form = page.forms["account-invite-form"]
    form["role"] = role
    form["collectivity"] = collectivity_label(paris)
    form["first_name"], form["last_name"], form["email"] = "Claire", "Dubois", "claire@paris.example.fr"
    response = form.submit()
    assert response.status_code == 200
    assert message in html.unescape(response.text)
    assert not User.objects.filter(email="claire@paris.example.fr").exists()


@pytest.mark.parametrize(("role", "message"), [(Role.SIGNATORY, PARTY_MESSAGE), (Role.HR_CONTACT, EMPLOYER_MESSAGE)])
def test_user_admin_refuses_a_signatory_or_hr_contact_of_paris(django_app, superuser, paris, commune, role, message):
    page = django_app.get(reverse("admin:partnership_user_add"), user=superuser)
    form = page.forms["user_form"]
    form["email"], form["first_name"], form["last_name"] = "claire@paris.example.fr", "Claire", "Dubois"
    form["role"] = role
    form["collectivity"].force_value(paris.pk)
    form["password1"] = form["password2"] = "Un-mot-de-passe-solide-42"
    response = form.submit()
    assert response.status_code == 200
    assert message in html.unescape(response.text)
    assert not User.objects.filter(email="claire@paris.example.fr").exists()
    # The same account for a covered commune is created: only Paris is refused.
    form = response.forms["user_form"]
    form["collectivity"].force_value(commune.pk)
    form["password1"] = form["password2"] = "Un-mot-de-passe-solide-42"
    assert form.submit().status_code == 302
    assert User.objects.get(email="claire@paris.example.fr").collectivity == commune
