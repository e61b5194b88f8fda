"""Test data never depends on chance: no factory draws a random value that could collide with another."""

import importlib
import inspect
import pkgutil

import factory
import factory.fuzzy

import tests


def _factories():
    for module_info in pkgutil.walk_packages(tests.__path__, "tests."):
        if module_info.name.rsplit(".", 1)[-1] != "factories":
            continue
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, factory.Factory) and value.__module__ == module.__name__:
                yield f"{module.__name__}.{name}", value


def test_factories_are_found():
    names = {name for name, _ in _factories()}
    assert {"tests.factories.UserFactory", "tests.events.factories.EventRegistrationFactory"} <= names


def test_no_factory_draws_random_values():
    random = sorted(
        f"{name}.{field}"
        for name, factory_class in _factories()
        for field, declaration in factory_class._meta.declarations.items()
        if isinstance(declaration, factory.Faker | factory.fuzzy.BaseFuzzyAttribute)
    )
    assert random == [], "utilisez une séquence (tests.factories.numbered) plutôt qu'une valeur aléatoire"
