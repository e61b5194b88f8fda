"""Journey r: a registrant turns a reminder off from the e-mail; a delegation agent chooses their reminders."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from notifications.keys import address_key
from notifications.models import ReminderOptOut
from notifications.services import reminders_run
from tests.events.factories import EventFactory, EventRegistrationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_registrant_unsubscribes_from_the_email_and_agent_chooses_reminders(journey, delegation_staff, settings):
    settings.EVENT_REMINDER_DAYS = [7, 1]
    starts = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=7), datetime.time(10))
    )
    event = EventFactory(title="Colloque RH", starts_at=starts)
    EventRegistrationFactory(event=event, email="lea@mairie.example.fr")
    run = journey("r-rappels")

    assert reminders_run(only=["event_upcoming"]) == {"event_upcoming": 1}
    [message] = mail.outbox
    link = re.search(r"Pour ne plus le recevoir : (\S+)", message.body).group(1)
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"

    page = run.new_page()
    page.goto(link)
    run.step(page, "desabonnement")
    page.get_by_role("button", name="Me désabonner").click()
    page.wait_for_load_state("load")
    run.step(page, "desabonne")
    assert "ne recevra plus le rappel" in page.get_by_role("status").inner_text()
    assert list(ReminderOptOut.objects.values_list("email_key", "kind")) == [
        (address_key("lea@mairie.example.fr"), "event_upcoming")
    ]

    page = run.login(delegation_staff)
    page.get_by_role("link", name="Mes rappels").click()
    page.wait_for_load_state("load")
    run.step(page, "mes rappels")
    page.get_by_label("Résumé hebdomadaire de la délégation").uncheck()
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state("load")
    run.step(page, "rappels enregistres")
    assert page.get_by_label("Résumé hebdomadaire de la délégation").is_checked() is False
    assert list(
        ReminderOptOut.objects.filter(email_key=address_key(delegation_staff.email)).values_list("kind", flat=True)
    ) == ["weekly_digest"]
    run.assert_accessible()
