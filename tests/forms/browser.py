"""Submit a page's form the way a browser does, through django-webtest.

WebTest collects every field in the form's HTML, including those inside ``<template>`` elements;
a browser never submits those (their content is inert until a script clones it). ``browser_form``
drops them, so what a test posts is what Chromium would post.
"""

from bs4 import BeautifulSoup
from webtest.forms import Form


def browser_form(page, form_id: str) -> Form:
    """The form ``form_id`` of ``page``, as a browser would submit it."""
    soup = BeautifulSoup(page.text, page.parser_features)
    element = soup.find("form", id=form_id)
    assert element is not None, f"pas de formulaire « {form_id} » sur la page"
    for template in element.find_all("template"):
        template.decompose()
    return Form(page, str(element), page.parser_features)


def submitted_fields(form: Form) -> list[tuple[str, str]]:
    """The (name, value) pairs the browser would send, management forms and hidden ids included."""
    return list(form.submit_fields())
