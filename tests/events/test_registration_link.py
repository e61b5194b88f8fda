"""The personal link of an event registration is issued in the worker: no token in the broker nor the outbox."""

import inspect

import pytest
from django.core import mail

from events.enums import RegistrationStatus
from events.models import EventRegistration
from events.tasks import send_registration_email
from partnership.celery import app
from partnership.models import OutboxTask
from partnership.tokens import token_hash
from tests.events.conftest import personal_link_token

pytestmark = pytest.mark.django_db


class BrokerDown(ConnectionError):
    pass


@pytest.fixture
def broker_down(settings, monkeypatch):
    """Redis unreachable: every task lands in the outbox table with its arguments, as they would travel."""
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def refuse(*args, **kwargs):
        raise BrokerDown("Redis injoignable")

    monkeypatch.setattr(app, "send_task", refuse)


def _register_through_the_page(django_app, event, user):
    form = django_app.get(f"/evenements/{event.pk}/", user=user).forms[1]
    form["first_name"] = "Jeanne"
    form["last_name"] = "Martin"
    form["email"] = "jeanne.martin@example.fr"
    form["quality"] = "agent"
    return form.submit()


def test_registration_task_carries_only_the_registration_id(
    django_app, event, hr_contact, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _register_through_the_page(django_app, event, hr_contact)
    assert response.status_code == 302
    registration = EventRegistration.objects.get()
    assert list(OutboxTask.objects.values_list("task_name", "args")) == [
        ("events.tasks.send_registration_email", [registration.pk])
    ]
    assert mail.outbox == []

    # The worker, once Redis is back, runs the task from the outbox's arguments: it issues the link.
    send_registration_email(*OutboxTask.objects.get().args)

    (message,) = mail.outbox
    token = personal_link_token(message.body)
    registration.refresh_from_db()
    assert registration.token_hash == token_hash(token)
    page = django_app.get(f"/evenements/inscription/{token}/")
    assert page.status_code == 200
    assert event.title in page.text


def test_a_task_queued_with_a_token_before_the_change_ignores_it(event, commune, register):
    registration, first_token = register(event, "a@example.fr", commune)
    send_registration_email(registration.pk, "jeton-d-une-ancienne-version")

    new_token = personal_link_token(mail.outbox[-1].body)
    assert new_token not in (first_token, "jeton-d-une-ancienne-version")
    registration.refresh_from_db()
    assert registration.token_hash == token_hash(new_token)


def test_a_cancelled_registration_gets_no_new_link(event, commune, register):
    registration, _token = register(event, "a@example.fr", commune)
    EventRegistration.objects.filter(pk=registration.pk).update(status=RegistrationStatus.CANCELLED)
    mail.outbox.clear()

    send_registration_email(registration.pk)

    assert mail.outbox == []


def test_no_project_task_takes_a_token_or_a_code():
    """Tasks take ids: a personal token or code is made inside the worker, never sent through Redis."""

    project = ("agreements.", "events.", "trainings.", "stats.", "partnership.")
    secrets = {
        f"{name}({parameter})"
        for name, task in app.tasks.items()
        if name.startswith(project)
        for parameter in inspect.signature(task.run).parameters
        if any(word in parameter for word in ("token", "code", "secret", "password"))
        and not parameter.startswith("_legacy")
    }
    assert secrets == set()


def test_the_personal_page_of_a_registration_is_kept_by_no_cache_and_indexed_by_no_engine(
    django_app, event, hr_contact, django_capture_on_commit_callbacks
):
    """As the agents' convocation (issue 21, item 6): a page about one person, behind the link e-mailed to them,
    and the confirmation step of its cancellation."""
    with django_capture_on_commit_callbacks(execute=True):
        _register_through_the_page(django_app, event, hr_contact)
    page = django_app.get(f"/evenements/inscription/{personal_link_token(mail.outbox[-1].body)}/")
    confirmation = next(form for form in page.forms.values() if "annuler" in form.action).submit()
    for response in (page, confirmation):
        assert (response.status_code, response.headers["Cache-Control"], response.headers["X-Robots-Tag"]) == (
            200,
            "private, no-store",
            "noindex, nofollow",
        )
