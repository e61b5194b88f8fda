"""Round trip over every edit form: render it, send back what the browser sends, nothing changes.

Then each declared change, alone, changes exactly its column. Like the access matrix for URLs, the
registry (``edit_forms.EDIT_FORMS`` and the admin's ``ADMIN_OBJECTS``) must cover every edit form:
a new one that is not declared fails ``test_every_edit_form_is_declared`` or
``test_every_editable_admin_model_is_declared``.
"""

import pytest

from tests.forms.browser import browser_form
from tests.forms.edit_forms import CHANGED, EDIT_FORMS
from tests.forms.snapshot import diff, label_of, snapshot


def _submit_unchanged(django_app, target, form_id):
    page = django_app.get(target.url, user=target.user)
    form = browser_form(page, form_id)
    before = snapshot()
    response = form.submit()
    return before, response


def _expect_saved(response):
    assert response.status_int == 302, response.text[:3000]


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
    before = snapshot()
    _expect_saved(form.submit())
    changes = diff(before, snapshot())
    expected = {}
    for row_name, column, value in change.expect:
        row = target.rows[row_name]
        key = (label_of(row), row.pk, row._meta.get_field(column).attname)
        assert key in changes, f"{row_name}.{column} n'a pas changé : {changes}"
        expected[key] = (changes[key][0], changes[key][1] if value is CHANGED else value)
    assert changes == expected
