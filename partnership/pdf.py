"""Every PDF the platform produces is an HTML template rendered by WeasyPrint."""

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 — heavy native libraries, loaded by the processes that render a PDF

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
