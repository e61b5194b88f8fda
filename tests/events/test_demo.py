import pytest

from events import demo
from events.models import Event, EventRegistration, Speaker, TimeSlot

pytestmark = pytest.mark.django_db


def test_events_demo_seed_is_idempotent(national_staff, delegation_staff, amf_staff, signatory, speaker_user):
    accounts = {
        "national": national_staff,
        "delegation": delegation_staff,
        "amf": amf_staff,
        "signatory": signatory,
        "speaker": speaker_user,
    }

    demo.seed(accounts)
    counts = [m.objects.count() for m in (Event, TimeSlot, EventRegistration, Speaker)]
    demo.seed(accounts)

    assert [m.objects.count() for m in (Event, TimeSlot, EventRegistration, Speaker)] == counts
    assert counts == [4, 4, 6, 3]  # with an event due for the reminders
    assert Speaker.objects.get(user=speaker_user).time_slots.count() == 2
