"""The address ``manage.py runserver`` serves, for the links e-mails carry in development.

``make run PORT=8105`` (``runserver 127.0.0.1:8105``) without ``SITE_URL`` used to send links to :8000.
The settings read the address from the command line, as ``runserver`` itself does: the reloaded
child process gets the same arguments, hence the same address. A Celery worker started apart does not
know it: with a worker (``REDIS_URL``), set ``SITE_URL``.
"""

import re

DEFAULT_ADDRESS = "127.0.0.1"
DEFAULT_PORT = "8000"
# runserver's own forms: « 8105 », « 127.0.0.1:8105 », « localhost:8105 », « [::1]:8105 », « 0:8105 ».
_ADDRPORT = re.compile(r"^(?:(?P<address>\[[0-9a-fA-F:.]+\]|[\w.-]+):)?(?P<port>\d+)$")
# An address that listens everywhere is not one a browser can open: the links use the loopback.
_EVERYWHERE = {"0", "0.0.0.0", "[::]"}  # noqa: S104 — a name to replace, not an address to bind


def runserver_site_url(argv: list[str]) -> str | None:
    """``http://host:port`` that ``argv`` (``manage.py runserver [options] [addrport]``) serves, or ``None``."""
    if len(argv) < 2 or argv[1] != "runserver":
        return None
    positional = [arg for arg in argv[2:] if not arg.startswith("-")]
    if not positional:
        return f"http://{DEFAULT_ADDRESS}:{DEFAULT_PORT}"
    match = _ADDRPORT.match(positional[0])
    if match is None:
        return None  # runserver refuses it with its own message
    address = match.group("address") or DEFAULT_ADDRESS
    if address in _EVERYWHERE:
        address = DEFAULT_ADDRESS
    return f"http://{address}:{match.group('port')}"
