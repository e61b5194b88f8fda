"""Factories of the trainings tests (and, for now, of the contracts they hang under)."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from agreements.enums import ActionFamily, ContractStatus
from agreements.models import ContractParty, PartnershipContract, ProgrammeLine, Theme
from events.models import Speaker
from tests.factories import CommuneFactory, DelegationFactory, numbered
from trainings.attendance_due import session_attendance_refresh
from trainings.enums import ActionMode, AgentCategory, Period, RegistrationStatus
from trainings.models import Registration, Session, SessionHalfDay, TrainingAction, TrainingScheme


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["family", "code"]

    family = ActionFamily.DEVELOPMENT_PROJECTS
    code = "sante-au-travail"
    label = "Développement de la santé au travail et prévention des risques psychosociaux"


class TrainingSchemeFactory(DjangoModelFactory):
    class Meta:
        model = TrainingScheme
        django_get_or_create = ["code"]

    code = "perfectionnement"
    label = "Perfectionnement"


class ContractFactory(DjangoModelFactory):
    class Meta:
        model = PartnershipContract

    reference = factory.Sequence(lambda n: f"PFP26T{n:04d}")
    title = numbered("Contrat de partenariat ")
    delegation = factory.SubFactory(DelegationFactory)
    start_date = factory.LazyFunction(lambda: in_days(-30))
    end_date = factory.LazyFunction(lambda: in_days(3 * 365))
    status = ContractStatus.ACTIVE


class ContractPartyFactory(DjangoModelFactory):
    class Meta:
        model = ContractParty

    contract = factory.SubFactory(ContractFactory)
    collectivity = factory.SubFactory(CommuneFactory)
    signatory_name = "Jeanne Martin"
    signatory_function = "Maire"
    signatory_email = factory.Sequence(lambda n: f"maire{n}@example.fr")


class ProgrammeLineFactory(DjangoModelFactory):
    class Meta:
        model = ProgrammeLine

    contract = factory.SubFactory(ContractFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    theme = factory.SubFactory(ThemeFactory)
    title = "Prévention des risques psychosociaux"
    planned_days = Decimal("2")
    planned_trainees = 12


class TrainingActionFactory(DjangoModelFactory):
    class Meta:
        model = TrainingAction

    delegation = factory.SubFactory(DelegationFactory)
    programme_line = None
    title = numbered("Action de formation ")
    scheme = factory.SubFactory(TrainingSchemeFactory)
    theme = factory.SubFactory(ThemeFactory)
    mode = ActionMode.INTER
    for_category_a = True
    for_category_b = True
    for_category_c = True
    objectives = "Prévenir les risques psychosociaux."
    duration_days = Decimal("1")


class SessionFactory(DjangoModelFactory):
    """A session in ten days, one full day (two half-days)."""

    class Meta:
        model = Session
        skip_postgeneration_save = True

    action = factory.SubFactory(TrainingActionFactory)
    venue = factory.SubFactory(CommuneFactory)
    address = "Salle du conseil, 1 place de la Mairie"
    capacity = 10
    start_date = factory.LazyFunction(lambda: in_days(10))
    end_date = factory.SelfAttribute("start_date")

    @factory.post_generation
    def half_days(self, create, extracted, **kwargs):
        if not create:
            return
        days = extracted or [(self.start_date, Period.MORNING), (self.start_date, Period.AFTERNOON)]
        SessionHalfDay.objects.bulk_create(SessionHalfDay(session=self, date=d, period=p) for d, p in days)


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = Registration
        skip_postgeneration_save = True

    session = factory.SubFactory(SessionFactory)
    first_name = "Camille"
    last_name = numbered("Agent")
    email = factory.Sequence(lambda n: f"agent{n}@mairie.example.fr")
    category = AgentCategory.C
    job = "Agent d'entretien"
    employer = factory.SubFactory(CommuneFactory)
    status = RegistrationStatus.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def attendance_due(self, create, extracted, **kwargs):
        # What ``registration_create`` keeps up to date (``trainings.attendance_due``): the session owes
        # this agent's marks. Tests that write marks directly call ``session_attendance_refresh`` too.
        if create:
            session_attendance_refresh(session_ids=[self.session_id])


class SpeakerFactory(DjangoModelFactory):
    class Meta:
        model = Speaker

    first_name = "Marc"
    last_name = numbered("Formateur")
    email = factory.Sequence(lambda n: f"formateur{n}@example.fr")
