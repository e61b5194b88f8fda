"""factory_boy factories for the directory; each app's factories live beside its tests."""

import factory
from factory.django import DjangoModelFactory

from partnership.enums import CollectivityKind, EpciType, Role, Zone
from partnership.models import Collectivity, Delegation, Department, Region, User

DEFAULT_PASSWORD = "mot-de-passe-de-test-1"


def numbered(text: str):
    """``text`` + a fixed-width serial number: unique, and never a prefix of another value nor a real name.

    Factories never draw random values (Faker, fuzzy): a random name that happens to match another
    one made a permission test fail once in a few hundred runs.
    """
    return factory.Sequence(lambda n: f"{text}{n:06d}")


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"{n % 1000:03d}")
    name = numbered("Région ")
    zone = Zone.METRO


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"{(n % 900) + 100}")
    name = numbered("Département ")
    region = factory.SubFactory(RegionFactory)
    zone = Zone.METRO


class DelegationFactory(DjangoModelFactory):
    class Meta:
        model = Delegation
        skip_postgeneration_save = True

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"delegation-{n}")
    name = numbered("Délégation ")
    seat = "Lyon"

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is not None:
            self.departments.set(extracted)
        else:
            self.departments.add(DepartmentFactory(region=self.region))


class CommuneFactory(DjangoModelFactory):
    class Meta:
        model = Collectivity

    kind = CollectivityKind.COMMUNE
    code = factory.Sequence(lambda n: f"{n:05d}")
    siren = factory.Sequence(lambda n: f"2{n:08d}")
    name = numbered("Commune-")
    department = factory.SubFactory(DepartmentFactory)
    population = 2000
    postal_codes = factory.LazyAttribute(lambda o: [o.code])


class EpciFactory(CommuneFactory):
    kind = CollectivityKind.EPCI
    code = factory.Sequence(lambda n: f"24{n:07d}")
    siren = factory.SelfAttribute("code")
    name = numbered("Communauté de communes ")
    epci_type = EpciType.CC
    postal_codes = factory.List([])


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@example.fr")
    first_name = numbered("Prénom")
    last_name = numbered("Nom")
    role = Role.DELEGATION_STAFF
    password = factory.django.Password(DEFAULT_PASSWORD)


class ThemeFactory(DjangoModelFactory):
    """Themes come from a data migration; get_or_create keeps them available after a transactional test's flush."""

    class Meta:
        model = "agreements.Theme"
        django_get_or_create = ["family", "code"]

    family = "hr_support"
    code = "plan-de-formation"
    label = "Accompagnement dans les démarches d’élaboration de plan de formation"
