import html

from bs4 import BeautifulSoup


def text(response) -> str:
    """The response body as a reader sees it: decoded, with HTML entities (apostrophes…) unescaped."""
    return html.unescape(response.content.decode())


def admin_messages(page) -> list[str]:
    """The messages the Django admin shows at the top of ``page`` (a django-webtest response)."""
    return [li.get_text(strip=True) for li in page.html.select("ul.messagelist li")]


def run_admin_action(django_app, changelist_url: str, *, user, action: str, selected):
    """Tick ``selected`` on the admin change list, choose ``action`` and press « Envoyer », as a user would.

    Returns the page shown after the action (the redirect followed).
    """
    page = django_app.get(changelist_url, user=user)
    form = page.forms["changelist-form"]
    form["action"] = action
    wanted = {str(obj.pk) for obj in selected}
    for box in form.fields["_selected_action"]:
        box.checked = box._value in wanted
    return form.submit("index").maybe_follow()


def form_to(page, action: str):
    """The form of ``page`` (a django-webtest response) that posts to ``action``."""
    # ``page.forms`` names each form by its index and, if it has one, by its id: count each once.
    forms = list({id(form): form for form in page.forms.values() if form.action == action}.values())
    assert len(forms) == 1, f"{len(forms)} formulaire(s) vers {action}"
    return forms[0]


def confirmation_of(page) -> list[str]:
    """What a confirmation page says will happen, one consequence per item."""
    return [li.get_text(" ", strip=True) for li in page.html.select(".alert-warning li")]


def admin_confirmation(page) -> list[str]:
    """What the admin's confirmation page of an action says will happen."""
    return [li.get_text(" ", strip=True) for li in page.html.select("ul.action-consequences li")]


def confirm_admin_action(page):
    """Press « Oui » on the admin's confirmation page of an action; returns the page shown next."""
    return page.forms["action-confirmation-form"].submit().maybe_follow()


def history_rows(page) -> list[tuple[str, str, str]]:
    """The « Historique » table of an object's page (or admin page), newest first: one (author, action,
    « avant → après ») per row, as read aloud; ``[]`` when the page shows no history."""
    soup = page.html if hasattr(page, "html") else BeautifulSoup(page.content.decode(), "html.parser")
    return [
        tuple(" ".join(cell.get_text(" ", strip=True).split()) for cell in row.select("td")[1:])
        for row in soup.select(".action-history tbody tr")
    ]
