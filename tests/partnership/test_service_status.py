"""A refused service call answers 409 only for a stale form or an object that left its state, else 400."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import RequestFactory

from partnership.conflicts import StaleState
from partnership.viewutils import run_service


class TitleForm(forms.Form):
    title = forms.CharField()


def _view(service):
    """The toolkit's shape: parse with a form, call one service, answer with the call's status."""

    def view(request):
        form = TitleForm(request.POST)
        assert form.is_valid()
        call = run_service(request, service, form, title=form.cleaned_data["title"])
        return HttpResponse(" | ".join(form.non_field_errors() + form.errors.get("title", [])), status=call.status)

    return view


def _refuse(error):
    def service(*, title):
        raise error

    return service


@pytest.mark.parametrize(
    ("error", "status", "shown"),
    [
        (ValidationError("Le titre est déjà pris.", code="duplicate"), 400, "Le titre est déjà pris."),
        (ValidationError({"title": ["Trop long."]}), 400, "Trop long."),
        (StaleState("Quelqu'un a enregistré ce contrat pendant que vous le modifiiez."), 409, "pendant que vous"),
        (StaleState("Ce contrat n'est plus un brouillon.", code="not_draft"), 409, "plus un brouillon"),
        (ValidationError({"title": [StaleState("Modifié entre-temps.")]}), 409, "Modifié entre-temps."),
        (ValidationError([ValidationError("Date invalide."), StaleState("Déjà clôturée.")]), 409, "Déjà clôturée."),
    ],
)
def test_a_refusal_answers_409_only_for_a_stale_state(error, status, shown):
    response = _view(_refuse(error))(RequestFactory().post("/", {"title": "Formation"}))
    assert response.status_code == status
    assert shown in response.content.decode()


def test_an_accepted_call_answers_200():
    response = _view(lambda *, title: title)(RequestFactory().post("/", {"title": "Formation"}))
    assert (response.status_code, response.content) == (200, b"")
