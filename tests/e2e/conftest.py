"""A real browser for the journeys: one headless Chromium per test process, a fresh context per actor.

Every page a journey shows is photographed (``var/e2e-screenshots/<journey>/<nn>-<step>.png``, kept by
CI as an artefact) and checked with axe-core: a serious or critical WCAG 2.1 AA violation fails the test.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import sync_playwright

from tests.factories import DEFAULT_PASSWORD

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=fr-FR",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "e2e-screenshots"
# RGAA 4.1 follows WCAG 2.1 level AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
TIMEOUT_MS = 15_000
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(
            f"Chromium introuvable ({CHROMIUM}) : installez-le avec « sudo apt-get install chromium » "
            "ou indiquez son chemin dans E2E_CHROMIUM"
        )

    # Playwright's sync API keeps an event loop running in this thread, and Django refuses ORM calls
    # from a thread with a running loop. Only while the browser lives: a subprocess started by
    # another test (``check --deploy``) must not inherit the variable.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} violation(s) d'accessibilité sur {url} :"]
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


class Journey:
    """Screenshots and accessibility checks, numbered in the order of the journey's steps."""

    def __init__(self, browser, live_server, name: str):
        self.browser = browser
        self.url = live_server.url
        self.directory = SCREENSHOTS / name
        shutil.rmtree(self.directory, ignore_errors=True)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.step_number = 0
        self.axe = Axe()
        self.contexts = []
        self.violations: list[str] = []

    def new_page(self, *, phone: bool = False):
        """A fresh browser context: a desktop window, or with ``phone`` a 390 × 844 touch screen (iPhone 12–15)."""
        size = PHONE if phone else DESKTOP
        context = self.browser.new_context(
            locale="fr-FR",
            timezone_id="Europe/Paris",
            viewport=size,
            is_mobile=phone,
            has_touch=phone,
            device_scale_factor=2 if phone else 1,
        )
        context.set_default_timeout(TIMEOUT_MS)
        self.contexts.append(context)
        return context.new_page()

    def goto(self, page, path: str):
        response = page.goto(self.url + path)
        assert response is not None and response.status < 400, f"{path} → {response and response.status}"
        return response

    def step(self, page, name: str) -> None:
        """Photograph the page as it is now and run axe-core on it; see ``assert_accessible``."""
        page.wait_for_load_state("load")
        # Scroll through once: Chromium paints scrollable boxes below the fold lazily, and a
        # full-page screenshot would show them blank.
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.evaluate("window.scrollTo(0, 0)")
        self.step_number += 1
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        page.screenshot(path=str(self.directory / f"{self.step_number:02d}-{slug}.png"), full_page=True)
        result = self.axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        blocking = [v for v in result.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
        if blocking:
            self.violations.append(f"étape {self.step_number:02d} ({name}) – " + format_violations(page.url, blocking))

    def assert_accessible(self) -> None:
        """Fail on any serious or critical violation met on the way, listing them all (called at the end)."""
        assert not self.violations, "\n\n".join(self.violations)

    def login(self, user, *, path: str = "/connexion/", phone: bool = False):
        """A fresh browser context (``phone``: 390 px) logged in through the real login form."""
        page = self.new_page(phone=phone)
        self.goto(page, path)
        page.get_by_label("Adresse e-mail").fill(user.email)
        page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_load_state("load")
        assert "/connexion/" not in page.url, f"échec de connexion de {user.email}"
        if path == "/connexion/":
            # Every role starts from its « À faire » page.
            assert page.url == self.url + "/a-faire/", page.url
        return page

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def journey(request, browser, live_server, settings):
    settings.SITE_URL = live_server.url
    # The live server's static files come from the app's own finders, like ``runserver``.
    journeys = []

    def start(name: str) -> Journey:
        journeys.append(Journey(browser, live_server, name))
        return journeys[-1]

    yield start
    for item in journeys:
        item.close()
