import re

import pytest
from django.core import mail

from events import registrations as event_registrations
from tests.events.factories import EventFactory


@pytest.fixture
def event(delegation, commune):
    """A published event of ``delegation`` in a month, 2 seats."""
    return EventFactory(delegation=delegation, venue_commune=commune, capacity=2)


@pytest.fixture
def other_event(other_delegation, commune):
    return EventFactory(delegation=other_delegation, venue_commune=commune)


@pytest.fixture
def register(django_capture_on_commit_callbacks):
    """Call ``registration_create`` with sensible defaults, running the on-commit e-mail tasks.

    Returns the registration and the token of the personal link its e-mail carries.
    """

    def _register(event, email, collectivity, **kwargs):
        values = {
            "first_name": "Jeanne",
            "last_name": "Martin",
            "quality": "agent",
            "job_title": "Secrétaire de mairie",
            **kwargs,
        }
        sent = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            registration = event_registrations.registration_create(
                event_id=event.pk, email=email, collectivity=collectivity, **values
            )
        registration.refresh_from_db()
        return registration, personal_link_token(mail.outbox[sent].body)

    return _register


def personal_link_token(body: str) -> str:
    """The token of the personal link in an e-mail's body."""
    return re.search(r"/evenements/inscription/([^/\s]+)/", body).group(1)
