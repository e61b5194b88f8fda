"""Systematic fuzzing: boundary values in every query parameter of every URL and every field of every form.

The URLs are the access matrix's (``CHECKS``), so a new page is fuzzed as soon as it is declared there.
For each page, one persona allowed to see it:

- the query parameters the view actually reads (recorded on a first, plain request) receive boundary
  values: 0, negatives, the neighbours of 2³¹ and 2⁶³, years 1 and 9999, NUL, very long strings,
  mixed scripts…;
- every form the page shows is filled as a browser would, some of its fields replaced by such values,
  and submitted.

Whatever the input: never a 5xx, and a form answered with errors has written nothing. Each example runs
in a savepoint rolled back afterwards, so the pages keep the same objects. Each value alone is tried
exhaustively (``…_each_boundary_value``); values drawn together are hypothesis examples, derandomized
in the suite (tests/conftest.py) and drawn again by CI's pass with a random seed, printed on failure.
That pass skips the exhaustive tests: a seed changes nothing in them.
"""

import os
import re
from urllib.parse import parse_qsl, urlencode

import pytest
from django.apps import apps
from django.db import transaction
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from webtest.forms import Checkbox, File, Form, MultipleSelect, Radio, Select, Submit

from tests.security.test_access_matrix import CHECKS

pytestmark = pytest.mark.fuzz

EXAMPLES = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

INTEGERS = [
    "0",
    "-1",
    "1",
    str(2**31 - 1),
    str(2**31),
    str(-(2**31) - 1),
    str(2**63 - 1),
    str(2**63),
    str(-(2**63) - 1),
    "9" * 40,
    "1e309",
    "NaN",
    "-0.5",
]
DATES = [
    "0001-01-01",
    "9999-12-31",
    "31/12/9999",
    "01/01/0001",
    "0001-01",
    "9999-12",
    "9999-12-31T23:59",
    "0001-01-01 00:00",
    "2027-02-30",
    "10000-01-01",
    "1",
    "9999",
]
STRINGS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "x" * 5000,
    "Ωμέγα 中文 العربية 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 e\u0301 \u202eabc",
    "'; DROP TABLE x; --",
    "<script>alert(1)</script>",
    "%00",
    "../../../etc/passwd",
]
# Tried one at a time in every query parameter a view reads, and in every field of every form at once.
EACH = [
    "-1",
    str(2**63),
    "0001-01",
    "9999-12-31",
    "\x00",
    "x" * 5000,
    "Ωμέγα 中文 العربية 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 e\u0301 \u202eabc",
]
# Then random combinations of these and more.
BOUNDARY = st.one_of(
    st.sampled_from(INTEGERS + DATES + STRINGS),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(max_size=40),
)

# One persona per page: the first of these the matrix lets in (200).
PREFERENCE = [
    "delegation_staff",
    "national_staff",
    "amf_staff",
    "signatory",
    "hr_contact",
    "speaker_user",
    "anonymous",
    "other_delegation_staff",
    "other_signatory",
    "other_hr_contact",
]


def _pages():
    seen = set()
    for check in CHECKS:
        if check.method != "GET" or check.route in seen:
            continue
        # A page nobody opens (a 404 until a code is typed…) is still fuzzed, anonymously.
        visitor = next((name for name in PREFERENCE if check.expected.get(name) == 200), "anonymous")
        seen.add(check.route)
        yield pytest.param(check, visitor, id=f"/{check.route} ({visitor})")


PAGES = list(_pages())


def _project_row_counts() -> dict[str, int]:
    project = ("partnership", "agreements", "trainings", "events", "stats")
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in project and not model._meta.proxy
    }


class _ReadKeys:
    """Records the keys a view reads from its QueryDicts (request.GET, filter forms bound to it…)."""

    def __init__(self, monkeypatch):
        self.keys: set[str] = set()
        for method in ("get", "getlist", "__getitem__", "__contains__"):
            original = getattr(MultiValueDict, method)
            monkeypatch.setattr(MultiValueDict, method, self._wrap(original))

    def _wrap(self, original):
        def recorded(mapping, key, *args, **kwargs):
            if isinstance(key, str):
                self.keys.add(key)
            return original(mapping, key, *args, **kwargs)

        return recorded


def _as_user(persona, visitor):
    user = persona(visitor)
    return {"user": user} if user is not None else {}


def _attempt(failures: list, what: str, send) -> None:
    """Send one request in a savepoint rolled back afterwards; note a 5xx or an exception."""
    try:
        with transaction.atomic():
            response = send()
            if response.status_code >= 500:
                failures.append(f"{response.status_code} : {what}"[:400])
            transaction.set_rollback(True)
    except AssertionError:
        raise
    except Exception as exc:  # the view's exception, propagated by the test server: a 500 in production
        failures.append(f"{exc!r} : {what}"[:400])


def _query_targets(world, persona, django_app, monkeypatch) -> list[tuple]:
    """(path, its own query, the parameters the view reads, the visitor) of every page."""
    targets = []
    for param in PAGES:
        check, visitor = param.values
        url = check.url(world)
        path, query = url.split("?", 1) if "?" in url else (url, "")
        auth = _as_user(persona, visitor)
        with monkeypatch.context() as patch:
            recorder = _ReadKeys(patch)
            django_app.get(url, expect_errors=True, **auth)
        keys = sorted(recorder.keys - {"csrfmiddlewaretoken"})
        targets.append((path, dict(parse_qsl(query, keep_blank_values=True)), keys, auth))
    return targets


def _get(django_app, failures, target, values):
    path, known, _keys, auth = target
    url = f"{path}?{urlencode({**known, **values})}"
    _attempt(failures, f"GET {path} {values!r}", lambda: django_app.get(url, expect_errors=True, **auth))


@pytest.mark.skipif(
    os.environ.get("HYPOTHESIS_PROFILE") == "random",
    reason="exhaustif et déterministe : la suite principale l'a déjà exécuté, une graine n'y change rien",
)
def test_query_parameters_each_boundary_value(world, persona, django_app, monkeypatch):
    """Every boundary value, alone, in every parameter every page reads."""
    failures: list[str] = []
    for target in _query_targets(world, persona, django_app, monkeypatch):
        for key in target[2]:
            for value in EACH:
                _get(django_app, failures, target, {key: value})
    assert failures == []


def test_query_parameters_combined_never_give_a_server_error(world, persona, django_app, monkeypatch):
    """Boundary values drawn together in all the parameters of a page (a new draw with each seed)."""
    targets = _query_targets(world, persona, django_app, monkeypatch)
    failures: list[str] = []

    @EXAMPLES
    @given(data=st.data())
    def combinations(data):
        target = data.draw(st.sampled_from(targets), label="page")
        _get(
            django_app,
            failures,
            target,
            data.draw(st.fixed_dictionaries(dict.fromkeys(target[2], BOUNDARY)), label="query"),
        )
        assert failures == []

    combinations()


def _forms(page):
    return [form for form in page.forms.values() if form.action is not None]


def _fill(form: Form, field_name: str, value: str) -> None:
    for field in form.fields.get(field_name, []):
        if isinstance(field, Submit):
            continue
        if isinstance(field, File):
            field.value = (f"{value[:50]}.pdf", value.encode("utf-8", "surrogatepass"))
        elif isinstance(field, Checkbox):
            field.checked = bool(value)
        elif isinstance(field, Select | MultipleSelect | Radio):
            field.force_value([value] if isinstance(field, MultipleSelect) else value)
        else:
            field.value = value


ERROR_MARKERS = re.compile(r'class="[^"]*(is-invalid|invalid-feedback|errorlist|alert-danger)')
NUMBER_OR_DATE = re.compile(r"^-?\d+([.,]\d+)?$|^\d{4}-\d{2}(-\d{2})?|^\d{2}/\d{2}/\d{4}$")
# Deep values, tried in one field at a time while the others keep their (often valid) rendered value:
# they pass a field's own parsing and break the arithmetic or the database behind it.
DEEP = [str(2**31), "0001-01-01", "9999-12-31"]


def _is_number_or_date(field) -> bool:
    kind = (field.attrs.get("type") or "").lower()
    return kind in ("number", "date", "datetime-local", "month", "time") or bool(
        NUMBER_OR_DATE.match(str(field.value or ""))
    )


def _form_targets(world, persona, django_app) -> list[tuple]:
    """(page, form text, field names, number or date fields, visitor, url) of every form of every page."""
    targets = []
    for param in PAGES:
        check, visitor = param.values
        url = check.url(world)
        auth = _as_user(persona, visitor)
        page = django_app.get(url, expect_errors=True, **auth)
        if page.status_code != 200 or not page.content_type.startswith("text/html"):
            continue
        for form in _forms(page):
            names = sorted(name for name in form.fields if name and name != "csrfmiddlewaretoken")
            deep = [name for name in names if any(_is_number_or_date(f) for f in form.fields[name])]
            targets.append((page, form.text, names, deep, auth, url))
    assert len(targets) >= 40, "les pages de la matrice n'ont presque plus de formulaires ?"
    return targets


def _submit(failures, target, values):
    """Submit the form as its page offers it, ``values`` typed in; a refused form has written nothing."""
    page, text, _names, _deep, auth, url = target
    form = Form(page, text)
    for name, value in values.items():
        _fill(form, name, value)
    what = f"{form.method} {form.action or url} (formulaire de {url}) {values!r}"

    def send():
        before = _project_row_counts()
        response = form.submit(expect_errors=True, **auth)
        if response.status_code != 302 and ERROR_MARKERS.search(response.text or ""):
            assert _project_row_counts() == before, f"enregistrement partiel : {what}"[:400]
        return response

    _attempt(failures, what, send)


@pytest.mark.skipif(
    os.environ.get("HYPOTHESIS_PROFILE") == "random",
    reason="exhaustif et déterministe : la suite principale l'a déjà exécuté, une graine n'y change rien",
)
def test_every_form_field_each_boundary_value(world, persona, django_app):
    """Every boundary value in every field of every form at once, then each deep value in each number or date."""
    failures: list[str] = []
    for target in _form_targets(world, persona, django_app):
        names, deep = target[2], target[3]
        for value in EACH:  # every field at once: each field's own parsing
            _submit(failures, target, dict.fromkeys(names, value))
        for name in deep:
            for value in DEEP:
                _submit(failures, target, {name: value})
    assert failures == []


def test_form_fields_combined_never_give_a_server_error_nor_a_half_save(world, persona, django_app):
    """Boundary values drawn in a few fields of a form (a new draw with each seed)."""
    targets = _form_targets(world, persona, django_app)
    failures: list[str] = []

    @EXAMPLES
    @given(data=st.data())
    def combinations(data):
        target = data.draw(st.sampled_from(targets), label="form")
        values = {}
        if target[2]:
            for name in data.draw(st.lists(st.sampled_from(target[2]), min_size=1, unique=True), label="fields"):
                values[name] = data.draw(BOUNDARY, label=name)
        _submit(failures, target, values)
        assert failures == []

    combinations()


def test_every_page_of_the_matrix_is_fuzzed():
    """A GET page nobody may open would escape the fuzzing: the matrix gives each one a visitor."""
    routes = {check.route for check in CHECKS if check.method == "GET"}
    fuzzed = {param.values[0].route for param in PAGES}
    assert sorted(routes - fuzzed) == []


def test_boundary_values_cover_the_announced_cases():
    announced = {str(2**31), str(2**63), "0001-01-01", "9999-12-31", "0001-01", "\x00", "-1", "0"}
    assert announced <= set(EACH + DEEP + INTEGERS + DATES)
    assert any(len(value) >= 5000 for value in EACH)
