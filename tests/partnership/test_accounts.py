"""Accounts: password reset by e-mail, invitations by staff, deactivation."""

import datetime
import re
from unittest import mock

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from partnership import services
from partnership.enums import Role
from partnership.models import User
from partnership.tokens import invitation_tokens
from tests.factories import DEFAULT_PASSWORD, CommuneFactory, DelegationFactory, UserFactory
from tests.helpers import confirmation_of
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://[^\s]+(/compte/(?:reinitialisation|invitation)/[^\s]+/)")
NEW_PASSWORD = "Une-phrase-de-passe-neuve-42"


def _link(address: str) -> str:
    messages = [m for m in mail.outbox if m.to == [address]]
    assert len(messages) == 1, [m.subject for m in mail.outbox]
    return LINK.search(messages[0].body).group(1)


def _open(django_app, link: str):
    """A valid link redirects to its form (Django hides the token from the URL); an invalid one says so."""
    response = django_app.get(link)
    return response.follow() if response.status_code == 302 else response


def _ask_reset(django_app, email: str):
    page = django_app.get("/compte/mot-de-passe-oublie/")
    form = page.forms["password-reset-form"]
    form["email"] = email
    return form.submit()


# --- Password reset -----------------------------------------------------------------------------


def test_login_page_links_to_password_reset(django_app, db):
    page = django_app.get("/connexion/")
    assert page.click("Mot de passe oublié").request.path == "/compte/mot-de-passe-oublie/"


def test_password_reset_by_email_sets_a_new_password(django_app, hr_contact, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask_reset(django_app, hr_contact.email.upper())
    assert response["Location"] == "/compte/mot-de-passe-oublie/envoye/"
    message = mail.outbox[-1]
    assert message.subject == "Réinitialisation de votre mot de passe – Partenariat CNFPT – AMF"
    assert "testserver" not in message.body

    page = django_app.get(_link(hr_contact.email)).follow()
    form = page.forms["password-set-form"]
    form["new_password1"] = NEW_PASSWORD
    form["new_password2"] = NEW_PASSWORD
    done = form.submit().follow()
    assert done.html.find("h1").get_text() == "Mot de passe enregistré"
    hr_contact.refresh_from_db()
    assert hr_contact.check_password(NEW_PASSWORD)

    # The link served once.
    again = django_app.get(_link(hr_contact.email))
    assert again.html.find("h1").get_text() == "Lien expiré ou déjà utilisé"


def test_password_reset_answers_the_same_for_an_unknown_address(
    django_app, hr_contact, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = _ask_reset(django_app, hr_contact.email).follow()
        unknown = _ask_reset(django_app, "personne@nulle-part.example").follow()
    assert unknown.html.find("main").get_text() == known.html.find("main").get_text()
    assert [m.to for m in mail.outbox] == [[hr_contact.email]]


def test_password_reset_sends_nothing_to_a_deactivated_account(
    django_app, hr_contact, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=hr_contact.pk).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask_reset(django_app, hr_contact.email)
    assert response["Location"] == "/compte/mot-de-passe-oublie/envoye/"
    assert mail.outbox == []


def test_password_reset_link_expires(django_app, hr_contact, django_capture_on_commit_callbacks, settings):
    with django_capture_on_commit_callbacks(execute=True):
        _ask_reset(django_app, hr_contact.email)
    link = _link(hr_contact.email)
    later = datetime.datetime.now() + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with mock.patch("django.contrib.auth.tokens.PasswordResetTokenGenerator._now", return_value=later):
        page = _open(django_app, link)
    assert page.html.find("h1").get_text() == "Lien expiré ou déjà utilisé"


def test_password_reset_is_throttled_per_address_without_saying_so(
    django_app, hr_contact, django_capture_on_commit_callbacks, settings
):
    settings.PASSWORD_RESET_MAX_PER_EMAIL = 2
    with django_capture_on_commit_callbacks(execute=True):
        responses = [_ask_reset(django_app, hr_contact.email) for _ in range(4)]
    assert [r["Location"] for r in responses] == ["/compte/mot-de-passe-oublie/envoye/"] * 4
    assert len(mail.outbox) == 2


def test_password_reset_is_throttled_per_ip_address(django_app, db, settings):
    settings.PASSWORD_RESET_MAX_PER_IP = 2
    for i in range(2):
        _ask_reset(django_app, f"quelquun{i}@example.fr")
    refused = _ask_reset(django_app, "encore@example.fr")
    assert refused.status_code == 200
    assert refused.html.select_one(".alert-danger, .invalid-feedback, .alert").get_text(strip=True) == (
        "Trop de demandes de réinitialisation depuis votre connexion. Réessayez dans une heure."
    )


def test_password_change(django_app, hr_contact):
    page = django_app.get("/compte/", user=hr_contact).click("Changer de mot de passe")
    form = page.forms["password-change-form"]
    form["old_password"] = DEFAULT_PASSWORD
    form["new_password1"] = NEW_PASSWORD
    form["new_password2"] = NEW_PASSWORD
    assert form.submit().follow().html.find("h1").get_text() == "Mot de passe modifié"
    hr_contact.refresh_from_db()
    assert hr_contact.check_password(NEW_PASSWORD)


# --- Invitations ------------------------------------------------------------------------------------------


def _invite(django_app, actor, collectivity, *, email="nouvelle.drh@mairie.example.fr", role=Role.HR_CONTACT):
    page = django_app.get("/compte/comptes/", user=actor).click("Inviter un référent RH ou un signataire")
    form = page.forms["account-invite-form"]
    form["role"] = role
    form["collectivity"] = f"{collectivity.code} – {collectivity.name} ({collectivity.department.code})"
    form["first_name"] = "Nadia"
    form["last_name"] = "Benali"
    form["email"] = email
    form["function"] = "DRH"
    return form.submit()


def test_staff_invite_an_hr_contact_who_chooses_a_password_and_lands_on_their_todo(
    django_app, delegation_staff, commune, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        listing = _invite(django_app, delegation_staff, commune).follow()
    assert "Invitation envoyée à nouvelle.drh@mairie.example.fr." in listing.text
    invited = User.objects.get(email="nouvelle.drh@mairie.example.fr")
    assert (invited.role, invited.collectivity, invited.function, invited.has_usable_password()) == (
        Role.HR_CONTACT,
        commune,
        "DRH",
        False,
    )
    assert listing.html.select_one(f"#compte-{invited.pk}").find(class_="badge").get_text() == "Invitation en attente"
    assert mail.outbox[-1].subject == "Votre compte sur Partenariat CNFPT – AMF"

    django_app.reset()
    page = django_app.get(_link(invited.email)).follow()
    form = page.forms["password-set-form"]
    form["new_password1"] = NEW_PASSWORD
    form["new_password2"] = NEW_PASSWORD
    todo = form.submit().follow()
    assert todo.request.path == "/a-faire/"
    assert "Votre mot de passe est enregistré : bienvenue." in todo.text
    invited.refresh_from_db()
    assert invited.check_password(NEW_PASSWORD)


def test_invitation_link_expires(django_app, delegation_staff, commune, django_capture_on_commit_callbacks, settings):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(django_app, delegation_staff, commune)
    link = _link("nouvelle.drh@mairie.example.fr")
    django_app.reset()
    later = datetime.datetime.now() + datetime.timedelta(days=settings.ACCOUNT_INVITATION_VALIDITY_DAYS, hours=1)
    with mock.patch("partnership.tokens.InvitationTokenGenerator._now", return_value=later):
        page = _open(django_app, link)
    assert page.html.find("h1").get_text() == "Invitation expirée ou déjà utilisée"


def test_a_password_reset_link_is_not_an_invitation(hr_contact):

    assert invitation_tokens.check_token(hr_contact, default_token_generator.make_token(hr_contact)) is False
    assert invitation_tokens.check_token(hr_contact, invitation_tokens.make_token(hr_contact)) is True


def test_delegation_staff_cannot_invite_outside_their_delegation(django_app, delegation_staff, db):
    elsewhere = CommuneFactory(department=DelegationFactory().departments.first())
    page = _invite(django_app, delegation_staff, elsewhere)
    assert page.status_code == 200
    assert "Cette collectivité n'est pas dans le périmètre de votre délégation." in page.html.get_text()
    assert not User.objects.filter(email="nouvelle.drh@mairie.example.fr").exists()


def test_invitation_refuses_an_address_already_used(django_app, delegation_staff, commune, hr_contact):
    page = _invite(django_app, delegation_staff, commune, email=hr_contact.email.upper())
    assert "Un compte existe déjà avec cette adresse e-mail." in page.text
    assert User.objects.filter(email__iexact=hr_contact.email).count() == 1


def test_only_hr_contacts_and_signatories_may_be_invited(delegation_staff, commune):
    with pytest.raises(ValidationError) as error:
        services.user_invite(
            actor=delegation_staff,
            email="x@example.fr",
            first_name="X",
            last_name="Y",
            role=Role.NATIONAL_STAFF,
            collectivity=commune,
        )
    assert error.value.message_dict == {
        "role": ["On ne peut inviter qu'un référent RH ou un signataire de collectivité."]
    }


def test_resend_invitation(django_app, delegation_staff, commune, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        listing = _invite(django_app, delegation_staff, commune).follow()
    invited = User.objects.get(email="nouvelle.drh@mairie.example.fr")
    form = listing.forms[
        next(k for k, f in listing.forms.items() if f.action.endswith(f"/{invited.pk}/renvoyer-invitation/"))
    ]
    with django_capture_on_commit_callbacks(execute=True):
        after = form.submit().follow()
    assert "Invitation renvoyée à Nadia Benali." in after.text
    assert [m.to for m in mail.outbox] == [[invited.email], [invited.email]]


# --- Deactivation -----------------------------------------------------------------------------------------


def _deactivate_form(page, account):
    matches = [f for f in page.forms.values() if f.action.endswith(f"/compte/comptes/{account.pk}/desactiver/")]
    assert len(matches) == 1
    return matches[0]


def test_staff_deactivate_an_account_which_can_no_longer_log_in(django_app, delegation_staff, hr_contact):
    page = django_app.get("/compte/comptes/", user=delegation_staff)
    confirmation = _deactivate_form(page, hr_contact).submit()
    name = hr_contact.get_full_name()
    assert confirmation.html.h1.get_text(strip=True) == f"Désactiver le compte de {name}\u00a0?"
    assert confirmation_of(confirmation) == [
        f"{name} ne pourra plus se connecter avec {hr_contact.email}, ni par un lien de réinitialisation du mot "
        "de passe ou d'invitation déjà envoyé.",
        "Ses sessions ouvertes prennent fin : sur un ordinateur où le compte est connecté, la page suivante "
        "demandera de se connecter.",
        "Ce que cette personne a fait reste enregistré, à son nom ; le compte pourra être réactivé.",
    ]
    hr_contact.refresh_from_db()
    assert hr_contact.is_active is True  # nothing done before the confirmation
    after = confirmation.forms["confirmation-form"].submit().follow()
    assert f"Le compte de {name} est désactivé." in after.text
    hr_contact.refresh_from_db()
    assert hr_contact.is_active is False

    django_app.reset()
    login = django_app.get("/connexion/").forms["login-form"]
    login["username"] = hr_contact.email
    login["password"] = DEFAULT_PASSWORD
    refused = login.submit()
    assert refused.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect." in refused.text


def test_deactivation_ends_the_open_session(client, delegation_staff, hr_contact):
    client.force_login(hr_contact)
    assert client.get("/a-faire/").status_code == 200
    services.user_deactivate(actor=delegation_staff, user=hr_contact)
    response = client.get("/a-faire/")
    assert response.status_code == 302
    assert response["Location"] == "/connexion/?next=/a-faire/"


def test_deactivating_twice_deactivates_once(delegation_staff, hr_contact):
    services.user_deactivate(actor=delegation_staff, user=hr_contact)
    with pytest.raises(ValidationError) as error:
        services.user_deactivate(actor=delegation_staff, user=hr_contact)
    assert error.value.messages == ["Ce compte est déjà désactivé."]
    services.user_reactivate(actor=delegation_staff, user=hr_contact)
    hr_contact.refresh_from_db()
    assert hr_contact.is_active is True


def test_accounts_page_lists_only_the_delegation_s_collectivity_accounts(
    django_app, delegation_staff, other_delegation_staff, hr_contact, signatory, national_staff
):
    page = django_app.get("/compte/comptes/", user=delegation_staff)
    assert sorted(row["id"] for row in page.html.select("tbody tr[id]")) == sorted(
        [f"compte-{hr_contact.pk}", f"compte-{signatory.pk}"]
    )
    other = django_app.get("/compte/comptes/", user=other_delegation_staff)
    assert other.html.select("tbody tr[id]") == []
    national = django_app.get("/compte/comptes/", user=national_staff)
    assert f"compte-{delegation_staff.pk}" in {row["id"] for row in national.html.select("tbody tr[id]")}


def test_another_delegation_cannot_deactivate_an_account_it_does_not_see(client, other_delegation_staff, hr_contact):
    client.force_login(other_delegation_staff)
    response = client.post(f"/compte/comptes/{hr_contact.pk}/desactiver/")
    assert response.status_code == 404
    hr_contact.refresh_from_db()
    assert hr_contact.is_active is True


def test_nobody_deactivates_their_own_account(national_staff):
    with pytest.raises(ValidationError) as error:
        services.user_deactivate(actor=national_staff, user=national_staff)
    assert error.value.messages == ["Vous ne pouvez pas désactiver votre propre compte."]


def test_delegation_staff_cannot_deactivate_staff(delegation_staff, delegation):
    colleague = UserFactory(role=Role.DELEGATION_STAFF, delegation=delegation)
    with pytest.raises(ValidationError):
        services.user_deactivate(actor=delegation_staff, user=colleague)
    colleague.refresh_from_db()
    assert colleague.is_active is True


def test_an_invitation_link_does_not_open_a_deactivated_account(
    django_app, delegation_staff, commune, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(django_app, delegation_staff, commune)
    invited = User.objects.get(email="nouvelle.drh@mairie.example.fr")
    services.user_deactivate(actor=delegation_staff, user=invited)
    django_app.reset()
    page = django_app.get(_link(invited.email))
    assert page.html.find("h1").get_text() == "Invitation expirée ou déjà utilisée"


def test_account_list_query_count_is_constant(client, delegation_staff, commune):
    """Each row says whether its invitation is pending: read with the rows, not one query per account."""

    def invite_hr_contact():
        user = UserFactory(role=Role.HR_CONTACT, collectivity=CommuneFactory(department=commune.department))
        user.set_unusable_password()
        user.save(update_fields=["password"])

    invite_hr_contact()
    client.force_login(delegation_staff)
    shown = assert_constant_queries(
        client, reverse("account_list"), lambda: [invite_hr_contact() for _ in range(29)], rows="tbody tr"
    )
    assert shown == (1, 30)
