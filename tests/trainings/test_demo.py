"""The demo seeder attaches sessions to the active contract's lines and is idempotent."""

from trainings import demo
from trainings.enums import RegistrationStatus
from trainings.models import Attendance, Registration, Session, TrainingAction


def test_demo_seed_is_idempotent(delegation_staff, hr_contact, speaker_user, contract, programme_line):
    accounts = {"delegation": delegation_staff, "hr": hr_contact, "speaker": speaker_user}
    demo.seed(accounts)
    counts = (TrainingAction.objects.count(), Session.objects.count(), Registration.objects.count())
    demo.seed(accounts)
    assert (TrainingAction.objects.count(), Session.objects.count(), Registration.objects.count()) == counts
    assert counts == (2, 6, 22)  # with two sessions due for the reminders
    full = Session.objects.get(action__programme_line=programme_line, capacity=6)
    assert full.registrations.filter(status=RegistrationStatus.WAITLISTED).count() == 4
    assert (
        Attendance.objects.filter(registration__session__action__programme_line=programme_line).count() == 24
    )  # 6 agents × 4 half-days
