"""The core's middleware: the Content-Security-Policy header, and NUL characters refused before any view."""

from django.http import QueryDict

from .proconnect.config import is_enabled, issuer_origin


class ContentSecurityPolicyMiddleware:
    """Send a strict Content-Security-Policy: every script and style is served by the app itself.

    Templates hold no inline script or style, so 'self' is enough; the admin's few inline
    styles need 'unsafe-inline' for style only. With ProConnect configured, forms may also lead to
    its origin (its button and the logout posted here are redirected there).
    """

    POLICY = (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; frame-src 'self'; frame-ancestors 'none'; object-src 'none'; "
        "base-uri 'self'; form-action 'self'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = self.POLICY
        if is_enabled():
            # The ProConnect button and the logout form are redirected to ProConnect: the browser must let them.
            policy = policy.replace("form-action 'self'", f"form-action 'self' {issuer_origin()}")
        if response.headers.get("X-Frame-Options") == "SAMEORIGIN":
            # A view marked @xframe_options_sameorigin (the signing portal's PDF) is
            # meant to be framed by our own pages: 'none' would blank it.
            policy = policy.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class NullCharacterMiddleware:
    """Turn NUL characters of the query string into spaces (and drop them from its keys).

    No page means one, and PostgreSQL refuses it in any text: a view passing a query parameter to the
    database would answer 500. A separator rather than a refusal, as the search already reads it
    (``partnership.text``), so a search with a stray NUL still finds; Django's form fields refuse
    NUL in posted data, with a message.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query_string = request.META.get("QUERY_STRING", "")
        if "%00" in query_string or "\x00" in query_string:
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", " ") for value in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)
