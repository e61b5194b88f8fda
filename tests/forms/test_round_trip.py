"""Round trip over every edit form: render it, send back what the browser sends, nothing changes.

Then each declared change, alone, changes exactly its column. Like the access matrix for URLs, the
registry (``edit_forms.EDIT_FORMS`` and the admin's ``ADMIN_OBJECTS``) must cover every edit form:
a new one that is not declared fails ``test_every_edit_form_is_declared`` or
``test_every_editable_admin_model_is_declared``.
"""

import pytest
from bs4 import BeautifulSoup
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.test import Client, RequestFactory

from partnership.enums import Role
from tests.factories import UserFactory
from tests.forms.admin_objects import ADMIN_OBJECTS
from tests.forms.browser import browser_form
from tests.forms.edit_forms import CHANGED, EDIT_FORMS
from tests.forms.snapshot import diff, label_of, snapshot
from tests.security.test_access_matrix import CHECKS, COLUMNS


def _submit_unchanged(django_app, target, form_id):
    page = django_app.get(target.url, user=target.user)
    form = browser_form(page, form_id)
    before = snapshot()
    response = form.submit()
    return before, response


def _expect_saved(response):
    """Saved and sent on: 302. Otherwise the form came back, and the test shows its errors."""
    errors = [
        " ".join(element.get_text(" ", strip=True).split())
        for element in BeautifulSoup(response.text, "html.parser").select(
            ".errorlist, .errornote, .invalid-feedback, .alert-danger"
        )
    ]
    assert (response.status_int, errors) == (302, [])


@pytest.mark.parametrize("edit", EDIT_FORMS, ids=lambda edit: edit.route)
def test_saving_unchanged_changes_nothing(edit, db, django_app, persona):
    target = edit.build(persona)
    before, response = _submit_unchanged(django_app, target, edit.form_id)
    _expect_saved(response)
    assert diff(before, snapshot()) == {}


CHANGES = [(edit, change) for edit in EDIT_FORMS for change in edit.changes]


@pytest.mark.parametrize("edit,change", CHANGES, ids=[f"{e.route} {c.name}" for e, c in CHANGES])
def test_changing_one_field_changes_only_it(edit, change, db, django_app, persona):
    target = edit.build(persona)
    form = browser_form(django_app.get(target.url, user=target.user), edit.form_id)
    change.apply(form)
    before = snapshot(audit=False)
    _expect_saved(form.submit())
    changes = diff(before, snapshot(audit=False))
    expected = {}
    for row_name, column, value in change.expect:
        row = target.rows[row_name]
        key = (label_of(row), row.pk, row._meta.get_field(column).attname)
        assert key in changes, f"{row_name}.{column} n'a pas changé : {changes}"
        expected[key] = (changes[key][0], changes[key][1] if value is CHANGED else value)
    assert changes == expected


# --- Every edit form is declared --------------------------------------------------------------------

# Pages whose POST form shows values without editing a stored row: they create, or act, with defaults.
NOT_EDIT_FORMS = {}

TEXT_INPUTS = {"text", "email", "number", "date", "datetime-local", "time", "url", "tel", "search", ""}


def prefilled_fields(html: str) -> list[str]:
    """Names of the fields of the page's POST forms that show a value, as a user would see them."""
    soup = BeautifulSoup(html, "html.parser")
    names = []
    for form in soup.find_all("form"):
        if (form.get("method") or "get").lower() != "post":
            continue
        for template in form.find_all("template"):
            template.decompose()
        for element in form.find_all(["input", "textarea", "select"]):
            name = element.get("name") or ""
            if "__prefix__" in name:
                continue
            if element.name == "textarea":
                shown = element.get_text().strip()
            elif element.name == "select":
                shown = any(
                    option.has_attr("selected") and option.get("value") for option in element.find_all("option")
                )
            elif (element.get("type") or "").lower() in ("checkbox", "radio"):
                shown = element.has_attr("checked")
            else:
                shown = (element.get("type") or "").lower() in TEXT_INPUTS and element.get("value")
            if shown:
                names.append(name)
    return names


def test_every_edit_form_is_declared(world, persona):
    """Each page of the access matrix, opened by the first persona it answers 200 to: one whose POST
    form shows stored values is an edit form, and must be in ``EDIT_FORMS`` (or explained above)."""
    declared = {edit.route for edit in EDIT_FORMS} | set(NOT_EDIT_FORMS)
    undeclared = {}
    for check in CHECKS:
        if check.method != "GET" or check.route in declared:
            continue
        reader = next((name for name in COLUMNS if check.expected[name] == 200), None)
        if reader is None:
            continue
        client = Client()
        user = persona(reader)
        if user is not None:
            client.force_login(user)
        response = client.get(check.url(world))
        if response.streaming or "html" not in response.get("Content-Type", ""):
            continue
        shown = prefilled_fields(response.content.decode())
        if shown:
            undeclared[check.route] = shown
    assert undeclared == {}, "formulaires d'édition absents de EDIT_FORMS : déclarez-les avec un objet à modifier"
    routes = {check.route for check in CHECKS}
    assert sorted(declared - routes) == []


# --- The Django admin ---------------------------------------------------------------------------

FREE_TEXT = (models.CharField, models.TextField)
CONSTRAINED_TEXT = (models.EmailField, models.URLField, models.SlugField)


@pytest.fixture
def superuser(db):
    return UserFactory(role=Role.AMF_STAFF, is_staff=True, is_superuser=True, email="admin-aller-retour@example.fr")


def _admin_request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _editable_admin_labels(user) -> set[str]:
    request = _admin_request(user)
    return {
        model._meta.label_lower
        for model, model_admin in admin.site._registry.items()
        if model_admin.has_change_permission(request)
    }


def test_every_editable_admin_model_is_declared(superuser):
    editable = _editable_admin_labels(superuser)
    assert sorted(editable - set(ADMIN_OBJECTS)) == [], "modèles modifiables dans l'admin sans objet d'aller-retour"
    assert sorted(set(ADMIN_OBJECTS) - editable) == [], "objets d'aller-retour pour des modèles non modifiables"


def _admin_form(django_app, user, instance):
    opts = instance._meta
    page = django_app.get(f"/admin/{opts.app_label}/{opts.model_name}/{instance.pk}/change/", user=user)
    return browser_form(page, f"{opts.model_name}_form")


SUFFIX = " (modifié)"
# Columns the model computes from another one when it changes: (model, field) → derived columns.
DERIVED = {("partnership.collectivity", "name"): {"search_name"}}


def _change_for(form, instance):
    """One field of the object itself that the admin renders editable, and a new value for it: free
    text first, then a unique or constrained text (kept valid), then another choice of a list."""
    fields = []
    for name in form.fields:
        if name and "-" not in name:
            try:
                fields.append(instance._meta.get_field(name))
            except FieldDoesNotExist:
                continue
    texts = [
        f
        for f in fields
        if isinstance(f, FREE_TEXT)
        and not f.choices
        and form[f.name].value
        and (f.max_length is None or f.max_length >= 40)
    ]
    texts.sort(key=lambda f: (isinstance(f, CONSTRAINED_TEXT), f.unique))
    for field in texts:
        old = form[field.name].value
        if isinstance(field, models.EmailField):
            return field, "modifie." + old
        if isinstance(field, models.URLField):
            return field, old.rstrip("/") + "/modifie"
        if isinstance(field, models.SlugField):
            return field, (old + "-modifie")[: field.max_length]
        return field, old[: (field.max_length or len(old) + len(SUFFIX)) - len(SUFFIX)] + SUFFIX
    for field in fields:
        if field.choices or (field.many_to_one or field.one_to_one):
            options = [value for value, _selected, _text in getattr(form[field.name], "options", []) if value]
            other = next((value for value in options if value != form[field.name].value), None)
            if other is not None:
                return field, field.to_python(other) if field.choices else int(other)
    return None, None


@pytest.mark.parametrize("label", sorted(ADMIN_OBJECTS))
def test_admin_saving_unchanged_changes_nothing(label, superuser, django_app, persona):
    instance = ADMIN_OBJECTS[label](persona)
    model_admin = admin.site._registry[instance.__class__]
    assert model_admin.has_change_permission(_admin_request(superuser), instance)
    form = _admin_form(django_app, superuser, instance)
    before = snapshot()
    _expect_saved(form.submit("_save"))
    assert diff(before, snapshot()) == {}


@pytest.mark.parametrize("label", sorted(ADMIN_OBJECTS))
def test_admin_changing_one_field_changes_only_it(label, superuser, django_app, persona):
    instance = ADMIN_OBJECTS[label](persona)
    form = _admin_form(django_app, superuser, instance)
    field, new = _change_for(form, instance)
    assert field is not None, "aucun champ modifiable à changer dans ce formulaire"
    old = getattr(instance, field.attname)
    form[field.name] = new
    before = snapshot(audit=False)
    _expect_saved(form.submit("_save"))
    changes = diff(before, snapshot(audit=False))
    for derived in DERIVED.get((label_of(instance), field.name), ()):
        changes.pop((label_of(instance), instance.pk, derived), None)
    assert changes == {(label_of(instance), instance.pk, field.attname): (old, new)}
