"""People choose: optional reminders off in the profile or by the e-mail's one-click link; mandatory ones stay."""

import pytest
from django.core import signing
from django.test import Client

from notifications.keys import address_key
from notifications.models import ReminderOptOut
from notifications.services import unsubscribe_token, unsubscribe_url


def test_preferences_list_the_optional_reminders_of_the_role_and_save_them(django_app, delegation_staff):
    page = django_app.get("/", user=delegation_staff).click("Mes rappels")
    form = page.forms["preferences-form"]
    assert sorted(name for name in form.fields if name and name != "csrfmiddlewaretoken") == [
        "contract_ending",
        "event_upcoming",
        "session_participants",
        "weekly_digest",
    ]
    assert form["weekly_digest"].checked is True
    # Mandatory reminders are listed, without a box.
    assert "Signature en attente : relance du signataire" in page.text
    assert "Émargement non saisi après une session" in page.text

    form["weekly_digest"] = False
    page = form.submit().follow()
    assert "Vos préférences de rappels sont enregistrées." in page.text
    assert list(ReminderOptOut.objects.values_list("email_key", "kind")) == [
        (address_key(delegation_staff.email), "weekly_digest")
    ]
    assert page.forms["preferences-form"]["weekly_digest"].checked is False

    form = page.forms["preferences-form"]
    form["weekly_digest"] = True
    form.submit().follow()
    assert ReminderOptOut.objects.count() == 0


def test_preferences_of_one_role_leave_the_other_kinds_alone(django_app, hr_contact):
    ReminderOptOut.objects.create(
        email_key=address_key(hr_contact.email), kind="weekly_digest"
    )  # not on an HR contact's page
    form = django_app.get("/compte/notifications/", user=hr_contact).forms["preferences-form"]
    assert sorted(name for name in form.fields if name and name != "csrfmiddlewaretoken") == [
        "event_upcoming",
        "session_participants",
    ]
    form["event_upcoming"] = False
    form.submit().follow()
    assert sorted(ReminderOptOut.objects.values_list("kind", flat=True)) == ["event_upcoming", "weekly_digest"]


def test_preferences_need_a_login(django_app):
    response = django_app.get("/compte/notifications/")
    assert (response.status_code, response.location) == (302, "/connexion/?next=/compte/notifications/")


def test_unsubscribe_page_has_a_button_that_turns_the_reminder_off(django_app, db):
    url = unsubscribe_url(email="Lea@Mairie.example.fr", kind="event_upcoming").removeprefix("http://127.0.0.1:8000")
    page = django_app.get(url)
    assert "L'adresse <strong>lea@mairie.example.fr</strong> ne recevra plus le rappel" in page.text
    assert ReminderOptOut.objects.count() == 0  # opening the link (or a link scanner) changes nothing
    page = page.forms["unsubscribe-form"].submit()
    assert "C'est fait : l'adresse lea@mairie.example.fr ne recevra plus le rappel" in page.text
    # Kept as the address's key: enough to honour the choice, nothing to write to.
    assert list(ReminderOptOut.objects.values_list("email_key", "kind")) == [
        (address_key("lea@mairie.example.fr"), "event_upcoming")
    ]


def test_one_click_post_from_a_mail_client_works_without_login_nor_csrf(db):
    # RFC 8058: the mail client POSTs this exact body to the List-Unsubscribe address.
    client = Client(enforce_csrf_checks=True)
    url = f"/notifications/desabonnement/{unsubscribe_token(email='paul@mairie.example.fr', kind='weekly_digest')}/"
    for _ in range(2):  # idempotent
        response = client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
        assert response.status_code == 200
    assert list(ReminderOptOut.objects.values_list("email_key", "kind")) == [
        (address_key("paul@mairie.example.fr"), "weekly_digest")
    ]


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (
            lambda: unsubscribe_token(email="a@b.fr", kind="event_upcoming")[:-3] + "xyz",
            "Ce lien de désabonnement n&#x27;est pas valide : copiez-le en entier depuis l&#x27;e-mail.",
        ),
        (
            lambda: signing.dumps(["a@b.fr", "event_upcoming"], salt="autre-usage", compress=True),
            "Ce lien de désabonnement n&#x27;est pas valide",
        ),
        (lambda: unsubscribe_token(email="a@b.fr", kind="signature_pending"), "Ce rappel ne peut pas être désactivé."),
        (lambda: unsubscribe_token(email="a@b.fr", kind="attendance_missing"), "Ce rappel ne peut pas être désactivé."),
    ],
)
def test_an_altered_or_mandatory_link_is_refused_in_french(db, token, message):
    response = Client().post(f"/notifications/desabonnement/{token()}/")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ReminderOptOut.objects.count() == 0
