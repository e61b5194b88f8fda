"""Journey: a partner reads the API documentation (Swagger UI, Redoc), on a desktop and on a phone.

Both pages declare their language, pass axe-core once the library has drawn them, and frame the
library's (English) interface with French: their title, heading, links back, and what the page is.
"""

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _swagger_drawn(page):
    page.locator(".swagger-ui .opblock-tag").first.wait_for()
    page.locator(".swagger-ui .opblock").first.wait_for()


def test_api_documentation_pages_are_french_framed_and_accessible(journey, delegation):
    run = journey("documentation-api")
    for phone in (False, True):
        page = run.new_page(phone=phone)
        run.goto(page, reverse("api-docs"))
        _swagger_drawn(page)
        assert page.evaluate("document.documentElement.lang") == "fr"
        assert page.title() == "Documentation de l'API ouverte – Partenariat CNFPT – AMF"
        assert page.locator(".api-docs-title").inner_text() == "Documentation de l'API ouverte"
        # Swagger UI draws the schema's title, in French, as the page's only first-level heading.
        assert page.get_by_role("heading", level=1).inner_text().startswith("API ouverte du partenariat CNFPT-AMF")
        # An operation opened, as a reader would: its parameters and answers, still accessible.
        page.locator(".swagger-ui .opblock-summary-control").first.click()
        page.locator(".swagger-ui .opblock-body").first.wait_for()
        run.step(page, "swagger" + (" telephone" if phone else ""))
        if phone:
            assert page.evaluate("document.documentElement.scrollWidth") <= 390

        run.goto(page, reverse("api-redoc"))
        page.locator("redoc .api-content, #redoc-container .api-content").first.wait_for()
        assert page.evaluate("document.documentElement.lang") == "fr"
        assert page.title() == "Documentation de l'API ouverte (Redoc) – Partenariat CNFPT – AMF"
        run.step(page, "redoc" + (" telephone" if phone else ""))
    run.assert_accessible()
