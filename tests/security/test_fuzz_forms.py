"""Property tests: arbitrary, unicode and overlong values in the main forms never give a 5xx nor half-save.

Each property runs a few dozen examples (CI time); a failure prints the smallest input hypothesis found.
"""

import string

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agreements.enums import ContractStatus
from agreements.models import AuditEvent, ContractDocument, ContractParty, PartnershipContract, ProgrammeLine
from events.models import EventRegistration
from tests.agreements.signing_helpers import portal, verify_identity
from tests.factories import DEFAULT_PASSWORD
from trainings.models import Registration

pytestmark = pytest.mark.fuzz

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,  # no .hypothesis/ directory left in the working tree
)

# Arbitrary text, the edge cases forms trip on, and overlong values.
value = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=string.digits + "-/ .,", max_size=12),
    st.sampled_from(
        ["", " ", "\x00", "0", "-1", "1e309", "NaN", "2027-02-30", "9" * 40, "é" * 300, "'; --", "<b>x</b>"]
    ),
    st.text(min_size=256, max_size=3000),
)


def form_data(*fields: str, **fixed):
    return st.fixed_dictionaries(dict.fromkeys(fields, value)).map(lambda data: {**data, **fixed})


def assert_not_server_error(response):
    assert response.status_code < 500, response.status_code


def _contract_counts():
    return (
        PartnershipContract.objects.count(),
        ContractParty.objects.count(),
        ProgrammeLine.objects.count(),
        AuditEvent.objects.count(),
    )


CONTRACT_FIELDS = [
    "title",
    "start_date",
    "end_date",
    "delegate",
    "advisers",
    "objectives",
    "specific_clauses",
    "version",
    "parties-TOTAL_FORMS",
    "parties-0-collectivity",
    "parties-0-signatory_name",
    "parties-0-signatory_function",
    "parties-0-signatory_email",
    "parties-0-deliberation_date",
    "lines-TOTAL_FORMS",
    "lines-0-year",
    "lines-0-theme",
    "lines-0-title",
    "lines-0-planned_days",
    "lines-0-planned_trainees",
]


def test_contract_create_form_fuzzed(delegation_staff, commune):
    client = Client()
    client.force_login(delegation_staff)

    @FUZZ
    @given(data=form_data(*CONTRACT_FIELDS, **{"parties-INITIAL_FORMS": "0", "lines-INITIAL_FORMS": "0"}))
    def check(data):
        before = _contract_counts()
        response = client.post("/contrats/nouveau/", data)
        assert_not_server_error(response)
        if response.status_code != 302:
            assert _contract_counts() == before

    check()


def test_session_registration_form_fuzzed(world, hr_contact, delegation_staff):
    clients = []
    for user in (hr_contact, delegation_staff):
        clients.append(Client())
        clients[-1].force_login(user)

    @FUZZ
    @given(
        data=form_data("first_name", "last_name", "email", "category", "job", "employer"),
        who=st.sampled_from([0, 1]),
    )
    def check(data, who):
        before = Registration.objects.count()
        response = clients[who].post(f"/formations/sessions/{world.session.pk}/inscrire/", data)
        assert_not_server_error(response)
        if response.status_code != 302:
            assert Registration.objects.count() == before

    check()


def test_event_registration_form_fuzzed(world):
    client = Client()

    @FUZZ
    @given(
        data=form_data("first_name", "last_name", "email", "quality", "collectivity", "job_title"),
    )
    def check(data):
        before = EventRegistration.objects.count()
        response = client.post(f"/evenements/{world.event.pk}/", data)
        assert_not_server_error(response)
        if response.status_code != 302:
            assert EventRegistration.objects.count() == before

    check()


def test_signing_code_form_fuzzed(world):
    client = Client()

    @FUZZ
    @given(data=form_data("code"))
    def check(data):
        response = client.post(portal(world.token, "verify_code"), data)
        assert_not_server_error(response)
        world.signature_request.refresh_from_db()
        assert world.signature_request.code_verified_at is None

    # The first request opens the link and sends a code, as a signer would.
    assert_not_server_error(client.get(portal(world.token)))
    assert_not_server_error(client.post(portal(world.token, "send_code")))
    check()


def test_signing_sign_and_decline_forms_fuzzed(world, django_capture_on_commit_callbacks):
    client = Client()
    verify_identity(client, world.token, world.signature_request.signer_email, django_capture_on_commit_callbacks)
    right_digest = world.document.sha256

    @FUZZ
    @given(
        sign=form_data("consent", "name", "function", "document_sha256"),
        decline=form_data("reason"),
        action=st.sampled_from(["sign", "decline"]),
    )
    def check(sign, decline, action):
        if sign["document_sha256"] == right_digest:
            sign["document_sha256"] = ""
        response = client.post(portal(world.token, action), sign if action == "sign" else decline)
        assert_not_server_error(response)
        world.contract.refresh_from_db()
        world.signature_request.refresh_from_db()
        # Never signed without the document's digest; declined only with a reason that fits.
        assert world.signature_request.status in ("sent", "declined")
        assert world.contract.status in (ContractStatus.READY_FOR_SIGNATURE, ContractStatus.DRAFT)
        if world.signature_request.status == "declined":
            assert 0 < len(world.signature_request.decline_reason.strip()) <= 2000

    check()


def test_verification_upload_fuzzed(db):
    client = Client()

    @FUZZ
    @given(content=st.binary(max_size=4096), name=value, prefix=st.sampled_from([b"", b"%PDF-1.7\n"]))
    def check(content, name, prefix):
        before = ContractDocument.objects.count()
        # Any name the browser may send; the path separators are the test client's business, not the view's.
        upload = SimpleUploadedFile(name[:200].replace("/", "").replace("\\", "") + ".pdf", prefix + content)
        response = client.post("/verification/", {"file": upload})
        assert_not_server_error(response)
        assert "Document authentique" not in response.content.decode()
        assert ContractDocument.objects.count() == before

    check()


def test_login_form_fuzzed(delegation_staff):
    client = Client()

    @FUZZ
    @given(data=form_data("username", "password", "next"))
    def check(data):
        if data["password"] == DEFAULT_PASSWORD:
            data["password"] += "x"
        response = client.post("/connexion/", data)
        assert_not_server_error(response)
        assert "_auth_user_id" not in client.session

    check()


@pytest.mark.parametrize("huge", [str(2**63), "9" * 40])
def test_contract_form_refuses_ids_beyond_64_bits(client, delegation_staff, huge):
    """Found by the fuzzing above: on SQLite such an id in ``advisers`` raised OverflowError (a 500)."""
    client.force_login(delegation_staff)
    response = client.post("/contrats/nouveau/", {"title": "x", "start_date": "2027-01-01", "advisers": huge})
    assert response.status_code == 400
    assert PartnershipContract.objects.count() == 0
