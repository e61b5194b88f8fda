import os

from django.conf import settings
from django.core.checks import ERROR, run_checks
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnership.settings")

application = get_wsgi_application()


def startup_checks() -> None:
    """In production, refuse to serve when a check tagged ``startup`` fails (the rollup triggers the database
    runs are not the code's, for one): the figures would silently drift. Each app registers its own."""
    errors = [
        message for message in run_checks(tags=["startup"], include_deployment_checks=True) if message.level >= ERROR
    ]
    if errors:
        raise ImproperlyConfigured("\n".join(f"{error.id}: {error.msg} {error.hint or ''}".strip() for error in errors))


if not settings.DEBUG:
    startup_checks()
