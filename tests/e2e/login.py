"""Log in through the real login form in a fresh context, on a desktop or on a 390 px phone."""

from tests.factories import DEFAULT_PASSWORD


def log_in(run, user, *, phone: bool = False, next_path: str = ""):
    page = run.new_page(phone=phone)
    run.goto(page, "/connexion/" + (f"?next={next_path}" if next_path else ""))
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state("load")
    return page
